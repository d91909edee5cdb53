import { toResourceId } from '../shared/ids';
import { money } from '../shared/money';
import { at, deciderSpecification } from '../testing/decider-specification';
import type { ResourceEvent } from './resource.events';
import { resourceDecider } from './resource.decider';
import { rateInForceOn } from './resource.rules';

const spec = deciderSpecification(resourceDecider);
const id = toResourceId('r-ada');
const now = '2026-03-02T09:00:00.000Z';
const manager = { userId: 'rm-1', actor: 'user:rm-1', roles: ['resource-manager' as const] };
const eur = (minor: number) => money(minor, 'EUR');

const ada: ResourceEvent = {
  type: 'PersonRegistered',
  data: { resourceId: id, userId: null, name: 'Ada', role: 'Developer', department: 'IT', calendar: null, availabilityPercent: 100, registeredAt: now },
};
const rate2026: ResourceEvent = {
  type: 'CostRateScheduled',
  data: { resourceId: id, effectiveFrom: '2026-01-01', standardRate: eur(8000), overtimeRate: eur(12000), scheduledBy: 'user:rm-1', scheduledAt: now },
};
const crane: ResourceEvent = {
  type: 'EquipmentRegistered',
  data: { resourceId: id, name: 'Crane', kind: 'equipment', unit: null, costPerUse: eur(50000), costPerUnit: null, registeredAt: now },
};

describe('Resource', () => {
  describe('RegisterPerson', () => {
    it('registers a person at full availability on the tenant calendar by default', () => {
      spec.given([]).when({ type: 'RegisterPerson', data: { resourceId: id, name: ' Ada ', role: 'Developer', department: 'IT' }, metadata: at(now) }).then([ada]);
    });
    it('rejects a second registration of the same id', () => {
      spec.given([ada]).when({ type: 'RegisterPerson', data: { resourceId: id, name: 'Ada', role: 'Dev', department: 'IT' }, metadata: at(now) }).thenRejects('RESOURCE_ALREADY_EXISTS', 'conflict');
    });
    it('rejects an availability over 100 %', () => {
      spec.given([]).when({ type: 'RegisterPerson', data: { resourceId: id, name: 'Ada', role: 'Dev', department: 'IT', availabilityPercent: 120 }, metadata: at(now) }).thenRejects('AVAILABILITY_OUT_OF_RANGE');
    });
  });

  describe('RegisterGenericResource and RegisterEquipment', () => {
    it('registers a role placeholder', () => {
      spec.given([]).when({ type: 'RegisterGenericResource', data: { resourceId: id, name: 'Java dev (TBD)', role: 'Developer' }, metadata: at(now) }).then([
        { type: 'GenericResourceRegistered', data: { resourceId: id, name: 'Java dev (TBD)', role: 'Developer', department: null, registeredAt: now } },
      ]);
    });
    it('registers equipment priced per use', () => {
      spec.given([]).when({ type: 'RegisterEquipment', data: { resourceId: id, name: 'Crane', kind: 'equipment', costPerUse: eur(50000) }, metadata: at(now) }).then([crane]);
    });
    it('rejects material without a unit price', () => {
      spec.given([]).when({ type: 'RegisterEquipment', data: { resourceId: id, name: 'Cable', kind: 'material', unit: 'm' }, metadata: at(now) }).thenRejects('MATERIAL_NEEDS_UNIT_PRICE', 'invalid');
    });
  });

  describe('RecordSkill', () => {
    const java = { type: 'RecordSkill' as const, data: { resourceId: id, skill: 'Java', level: 4 as const }, metadata: at(now) };
    it('records a skill, normalised to lower case', () => {
      spec.given([ada]).when(java).then([{ type: 'SkillRecorded', data: { resourceId: id, skill: 'java', level: 4, recordedAt: now } }]);
    });
    it('does nothing when the level is already recorded', () => {
      spec.given([ada, { type: 'SkillRecorded', data: { resourceId: id, skill: 'java', level: 4, recordedAt: now } }]).when(java).thenNothingHappens();
    });
    it('rejects skills on equipment', () => {
      spec.given([crane]).when(java).thenRejects('NOT_LABOUR');
    });
    it.each(['__proto__', 'constructor', 'hasownproperty'])('keeps a skill named %s as data: recorded once, then a no-op', (skill) => {
      const recorded: ResourceEvent = { type: 'SkillRecorded', data: { resourceId: id, skill, level: 3, recordedAt: now } };
      const command = { type: 'RecordSkill' as const, data: { resourceId: id, skill, level: 3 as const }, metadata: at(now) };
      spec.given([ada]).when(command).then([recorded]);
      spec.given([ada, recorded]).when(command).thenNothingHappens();
      const { state } = spec.given([ada, recorded]);
      expect(state.status === 'registered' && state.resource.kind === 'person' && [...state.resource.skills]).toEqual([[skill, 3]]);
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    });
  });

  describe('ScheduleCostRate', () => {
    const schedule = (caller = manager, standard = 8000) =>
      ({ type: 'ScheduleCostRate', data: { resourceId: id, effectiveFrom: '2026-01-01', standardRate: eur(standard), overtimeRate: eur(12000), caller }, metadata: at(now) }) as const;
    it('adds a row to the rate table', () => {
      spec.given([ada]).when(schedule()).then([rate2026]);
    });
    it('forbids a project manager from editing rates', () => {
      spec.given([ada]).when(schedule({ userId: 'pm-1', actor: 'user:pm-1', roles: ['project-manager' as never] })).thenRejects('RATE_EDIT_FORBIDDEN', 'forbidden');
    });
    it('does nothing when the same row exists', () => {
      spec.given([ada, rate2026]).when(schedule()).thenNothingHappens();
    });
    it('rejects a second currency in one rate table', () => {
      spec.given([ada, rate2026]).when({ ...schedule(), data: { ...schedule().data, effectiveFrom: '2026-07-01', standardRate: money(1, 'USD'), overtimeRate: money(1, 'USD') } }).thenRejects('RATE_CURRENCY_MISMATCH');
    });
    it('keeps the table sorted so the rate in force on a day is the latest row before it', () => {
      const july: ResourceEvent = { ...rate2026, data: { ...rate2026.data, effectiveFrom: '2026-07-01', standardRate: eur(9000) } } as ResourceEvent;
      const state = spec.given([ada, july, rate2026]).state;
      if (state.status !== 'registered' || state.resource.kind !== 'person') throw new Error('expected a person');
      expect(rateInForceOn(state.resource.rates, '2025-12-31')).toBeNull();
      expect(rateInForceOn(state.resource.rates, '2026-06-30')?.standardRate).toEqual(eur(8000));
      expect(rateInForceOn(state.resource.rates, '2026-07-01')?.standardRate).toEqual(eur(9000));
    });
  });

  describe('SetAvailability', () => {
    const set = (p: number) => ({ type: 'SetAvailability' as const, data: { resourceId: id, availabilityPercent: p }, metadata: at(now) });
    it('sets a part-time availability', () => {
      spec.given([ada]).when(set(50)).then([{ type: 'AvailabilitySet', data: { resourceId: id, availabilityPercent: 50, previousPercent: 100, setAt: now } }]);
    });
    it('does nothing when unchanged', () => spec.given([ada]).when(set(100)).thenNothingHappens());
    it('rejects an unknown resource', () => spec.given([]).when(set(50)).thenRejects('RESOURCE_NOT_FOUND', 'not-found'));
  });

  describe('RecordLeave', () => {
    const leave = (from: string, to: string) => ({ type: 'RecordLeave' as const, data: { resourceId: id, from, to, reason: 'Holiday' }, metadata: at(now) });
    const recorded: ResourceEvent = { type: 'LeaveRecorded', data: { resourceId: id, from: '2026-08-03', to: '2026-08-14', reason: 'Holiday', recordedAt: now } };
    it('records leave', () => spec.given([ada]).when(leave('2026-08-03', '2026-08-14')).then([recorded]));
    it('does nothing for leave already covered', () => spec.given([ada, recorded]).when(leave('2026-08-04', '2026-08-05')).thenNothingHappens());
    it('rejects leave that ends before it starts', () => spec.given([ada]).when(leave('2026-08-14', '2026-08-03')).thenRejects('LEAVE_ENDS_BEFORE_IT_STARTS'));
  });
});
