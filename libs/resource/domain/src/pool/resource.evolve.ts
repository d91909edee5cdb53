import { ignoreUnknownEvent } from '@pm/shared/ddd';
import type { ResourceEvent } from './resource.events';
import type { CostRate, RegisteredResource, ResourceState } from './resource.state';

function withResource(state: ResourceState, change: (r: RegisteredResource) => RegisteredResource): ResourceState {
  return state.status === 'registered' ? { status: 'registered', resource: change(state.resource) } : state;
}

function withRate(rates: readonly CostRate[], rate: CostRate): CostRate[] {
  return [...rates.filter((r) => r.effectiveFrom !== rate.effectiveFrom), rate].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
}

export function evolveResource(state: ResourceState, event: ResourceEvent): ResourceState {
  switch (event.type) {
    case 'PersonRegistered': {
      const { registeredAt: _at, ...person } = event.data;
      return { status: 'registered', resource: { kind: 'person', ...person, skills: new Map(), rates: [], leave: [] } };
    }
    case 'GenericResourceRegistered': {
      const { registeredAt: _at, ...generic } = event.data;
      return { status: 'registered', resource: { kind: 'generic', ...generic, skills: new Map(), rates: [] } };
    }
    case 'EquipmentRegistered': {
      const { registeredAt: _at, ...equipment } = event.data;
      return { status: 'registered', resource: equipment };
    }
    case 'SkillRecorded':
      return withResource(state, (r) => (r.kind === 'person' || r.kind === 'generic' ? { ...r, skills: new Map(r.skills).set(event.data.skill, event.data.level) } : r));
    case 'CostRateScheduled': {
      const { effectiveFrom, standardRate, overtimeRate } = event.data;
      return withResource(state, (r) => (r.kind === 'person' || r.kind === 'generic' ? { ...r, rates: withRate(r.rates, { effectiveFrom, standardRate, overtimeRate }) } : r));
    }
    case 'AvailabilitySet':
      return withResource(state, (r) => (r.kind === 'person' ? { ...r, availabilityPercent: event.data.availabilityPercent } : r));
    case 'LeaveRecorded':
      return withResource(state, (r) => (r.kind === 'person' ? { ...r, leave: [...r.leave, { from: event.data.from, to: event.data.to }] } : r));
    default:
      return ignoreUnknownEvent(state, event);
  }
}
