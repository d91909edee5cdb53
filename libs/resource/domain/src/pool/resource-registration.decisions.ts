import { invalid } from '@pm/shared/ddd';
import type { RegisterEquipment, RegisterGenericResource, RegisterPerson } from './resource.commands';
import type { EquipmentRegistered, GenericResourceRegistered, PersonRegistered } from './resource.events';
import { availabilityMustBeAPercentage, nameMustNotBeBlank, rateMustBeNonNegative, resourceMustNotExist } from './resource.rules';
import type { ResourceState } from './resource.state';

export function registerPerson(command: RegisterPerson, state: ResourceState): PersonRegistered[] {
  resourceMustNotExist(state);
  const { data, metadata } = command;
  const availabilityPercent = data.availabilityPercent ?? 100;
  availabilityMustBeAPercentage(availabilityPercent);
  return [
    {
      type: 'PersonRegistered',
      data: {
        resourceId: data.resourceId,
        userId: data.userId?.trim() || null,
        name: nameMustNotBeBlank(data.name),
        role: nameMustNotBeBlank(data.role, 'role'),
        department: nameMustNotBeBlank(data.department, 'department'),
        calendar: data.calendar ?? null,
        availabilityPercent,
        registeredAt: metadata.now,
      },
    },
  ];
}

export function registerGenericResource(command: RegisterGenericResource, state: ResourceState): GenericResourceRegistered[] {
  resourceMustNotExist(state);
  const { data, metadata } = command;
  const department = data.department?.trim() || null;
  return [
    {
      type: 'GenericResourceRegistered',
      data: { resourceId: data.resourceId, name: nameMustNotBeBlank(data.name), role: nameMustNotBeBlank(data.role, 'role'), department, registeredAt: metadata.now },
    },
  ];
}

export function registerEquipment(command: RegisterEquipment, state: ResourceState): EquipmentRegistered[] {
  resourceMustNotExist(state);
  const { data, metadata } = command;
  const costPerUse = data.costPerUse ?? null;
  const costPerUnit = data.costPerUnit ?? null;
  if (costPerUse) rateMustBeNonNegative(costPerUse, 'costPerUse');
  if (costPerUnit) rateMustBeNonNegative(costPerUnit, 'costPerUnit');
  // Material is consumed in units, so it is priced per unit; equipment is booked, so per use.
  if (data.kind === 'material' && (costPerUnit === null || !data.unit?.trim())) {
    throw invalid('MATERIAL_NEEDS_UNIT_PRICE', 'material needs a unit and a cost per unit');
  }
  return [
    {
      type: 'EquipmentRegistered',
      data: {
        resourceId: data.resourceId,
        name: nameMustNotBeBlank(data.name),
        kind: data.kind,
        unit: data.unit?.trim() || null,
        costPerUse,
        costPerUnit,
        registeredAt: metadata.now,
      },
    },
  ];
}
