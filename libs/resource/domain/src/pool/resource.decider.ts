import { unknownCommand } from '@pm/shared/ddd';
import type { ResourceCommand } from './resource.commands';
import type { ResourceEvent } from './resource.events';
import { evolveResource } from './resource.evolve';
import { recordLeave, recordSkill, scheduleCostRate, setAvailability } from './resource-profile.decisions';
import { registerEquipment, registerGenericResource, registerPerson } from './resource-registration.decisions';
import type { ResourceState } from './resource.state';
import { initialResourceState } from './resource.state';

export function decideResource(command: ResourceCommand, state: ResourceState): ResourceEvent[] {
  switch (command.type) {
    case 'RegisterPerson':
      return registerPerson(command, state);
    case 'RegisterGenericResource':
      return registerGenericResource(command, state);
    case 'RegisterEquipment':
      return registerEquipment(command, state);
    case 'RecordSkill':
      return recordSkill(command, state);
    case 'ScheduleCostRate':
      return scheduleCostRate(command, state);
    case 'SetAvailability':
      return setAvailability(command, state);
    case 'RecordLeave':
      return recordLeave(command, state);
    default:
      return unknownCommand(command);
  }
}

export const resourceDecider = { decide: decideResource, evolve: evolveResource, initialState: initialResourceState };
