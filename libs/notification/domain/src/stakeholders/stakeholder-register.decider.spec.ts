import { deciderSpecification } from '@pm/shared/ddd/testing';
import type { StakeholderRegisterEvent } from '../notification.events';
import { meta, now, projectId } from '../notification.spec-fixtures';
import { nextRunAt } from './communication-plan';
import type { Communication } from './communication-plan';
import { MAX_STAKEHOLDERS, stakeholderRegisterDecider } from './stakeholder-register.decider';
import type { StakeholderInput, StakeholderRegisterCommand } from './stakeholder-register.decider';

const spec = deciderSpecification(stakeholderRegisterDecider);
const cfo: StakeholderInput = { stakeholderId: 'cfo', name: 'Dana Whitfield', role: 'Sponsor', organisation: 'Finance', interest: 'high', influence: 'high', preferredChannel: 'email', userId: 'dana' };
const by = { registeredBy: meta.actor, registeredAt: now };
const registered = (input: StakeholderInput = cfo): StakeholderRegisterEvent => ({ type: 'StakeholderRegistered', data: { projectId, ...input, ...by } });
const register = (input: Partial<StakeholderInput> = {}): StakeholderRegisterCommand => ({ type: 'RegisterStakeholder', data: { projectId, ...cfo, ...input }, metadata: meta });
const revise = (input: Partial<StakeholderInput> = {}): StakeholderRegisterCommand => ({ type: 'ReviseStakeholder', data: { projectId, ...cfo, ...input }, metadata: meta });
const remove = (stakeholderId = 'cfo'): StakeholderRegisterCommand => ({ type: 'RemoveStakeholder', data: { projectId, stakeholderId }, metadata: meta });
const removed: StakeholderRegisterEvent = { type: 'StakeholderRemoved', data: { projectId, stakeholderId: 'cfo', removedBy: meta.actor, removedAt: now } };

const weekly: Communication = {
  communicationId: 'weekly-status',
  report: 'status-summary',
  audience: { stakeholders: ['cfo'], roles: ['project-manager'] },
  cadence: { every: 'week', at: '08:00', weekday: 1, timeZone: 'Europe/Berlin' },
};
const plan = (overrides: Partial<Communication> = {}): StakeholderRegisterCommand => ({ type: 'PlanCommunication', data: { projectId, ...weekly, ...overrides }, metadata: meta });
const planned: StakeholderRegisterEvent = { type: 'CommunicationPlanned', data: { projectId, ...weekly, plannedBy: meta.actor, plannedAt: now } };
const cancel: StakeholderRegisterCommand = { type: 'CancelCommunication', data: { projectId, communicationId: 'weekly-status' }, metadata: meta };
const cancelled: StakeholderRegisterEvent = { type: 'CommunicationCancelled', data: { projectId, communicationId: 'weekly-status', cancelledBy: meta.actor, cancelledAt: now } };
const dueAt = '2026-03-09T07:00:00.000Z';
const record: StakeholderRegisterCommand = {
  type: 'RecordCommunicationSent',
  data: { projectId, communicationId: 'weekly-status', dueAt, recipients: ['dana', 'pm-1', 'dana'], unreachable: [], changes: 3 },
  metadata: { ...meta, actor: 'service:notification-service' },
};
const sent: StakeholderRegisterEvent = { type: 'CommunicationSent', data: { projectId, communicationId: 'weekly-status', dueAt, recipients: ['dana', 'pm-1'], unreachable: [], changes: 3, sentAt: now } };

describe('A stakeholder register', () => {
  describe('when registering', () => {
    it('records a stakeholder, once, and keeps ids as data', () => {
      spec.given([]).when(register()).then([registered()]);
      spec.given([registered()]).when(register()).thenNothingHappens();
      spec.given([]).when(register({ stakeholderId: 'constructor', role: null, organisation: null, userId: null })).then([registered({ ...cfo, stakeholderId: 'constructor', role: null, organisation: null, userId: null })]);
    });
    it('refuses an id taken by someone else, bad levels or channels, blank names and a full register', () => {
      spec.given([registered()]).when(register({ name: 'Someone else' })).thenRejects('STAKEHOLDER_ID_TAKEN', 'conflict');
      spec.given([]).when(register({ interest: 'extreme' as never })).thenRejects('STAKEHOLDER_LEVEL_INVALID');
      spec.given([]).when(register({ preferredChannel: 'pigeon' as never })).thenRejects('STAKEHOLDER_CHANNEL_INVALID');
      spec.given([]).when(register({ name: '   ' })).thenRejects('TEXT_REQUIRED');
      const full = Array.from({ length: MAX_STAKEHOLDERS }, (_, i) => registered({ ...cfo, stakeholderId: `s${i}` }));
      spec.given(full).when(register({ stakeholderId: 'one-more' })).thenRejects('STAKEHOLDER_LIMIT');
    });
  });

  describe('when revising and removing', () => {
    it('revises what changed, and nothing when nothing did', () => {
      spec.given([registered()]).when(revise({ influence: 'medium' })).then([{ type: 'StakeholderRevised', data: { projectId, ...cfo, influence: 'medium', revisedBy: meta.actor, revisedAt: now } }]);
      spec.given([registered()]).when(revise()).thenNothingHappens();
      spec.given([]).when(revise()).thenRejects('STAKEHOLDER_NOT_FOUND', 'not-found');
    });
    it('removes once; removing again changes nothing; an unknown id is missing', () => {
      spec.given([registered()]).when(remove()).then([removed]);
      spec.given([registered(), removed]).when(remove()).thenNothingHappens();
      spec.given([]).when(remove('__proto__')).thenRejects('STAKEHOLDER_NOT_FOUND', 'not-found');
    });
  });
});

describe('A communication plan', () => {
  it('plans a report for stakeholders of the register and roles, once', () => {
    spec.given([registered()]).when(plan()).then([planned]);
    spec.given([registered(), planned]).when(plan()).thenNothingHappens();
    spec.given([registered(), planned]).when(plan({ cadence: { ...weekly.cadence, at: '09:00' } })).then([
      { type: 'CommunicationPlanned', data: { projectId, ...weekly, cadence: { ...weekly.cadence, at: '09:00' }, plannedBy: meta.actor, plannedAt: now } },
    ]);
  });

  it('refuses an unknown stakeholder, an empty or repeated audience, a bad cadence or zone', () => {
    spec.given([]).when(plan()).thenRejects('STAKEHOLDER_NOT_FOUND', 'not-found');
    spec.given([registered()]).when(plan({ audience: { stakeholders: [], roles: [] } })).thenRejects('COMMUNICATION_AUDIENCE_EMPTY');
    spec.given([registered()]).when(plan({ audience: { stakeholders: ['cfo', 'cfo'], roles: [] } })).thenRejects('COMMUNICATION_AUDIENCE_REPEATS');
    spec.given([registered()]).when(plan({ cadence: { ...weekly.cadence, weekday: null } })).thenRejects('COMMUNICATION_WEEKDAY_INVALID');
    spec.given([registered()]).when(plan({ cadence: { ...weekly.cadence, timeZone: 'Mars/Olympus' } })).thenRejects('TIME_ZONE_UNKNOWN');
    spec.given([registered()]).when(plan({ cadence: { ...weekly.cadence, at: '25:00' } })).thenRejects('LOCAL_TIME_INVALID');
  });

  it('cancels once; an unknown plan is missing', () => {
    spec.given([registered(), planned]).when(cancel).then([cancelled]);
    spec.given([registered(), planned, cancelled]).when(cancel).thenNothingHappens();
    spec.given([]).when(cancel).thenRejects('COMMUNICATION_NOT_FOUND', 'not-found');
  });

  it('records each run once per due time, and none for a cancelled plan', () => {
    spec.given([registered(), planned]).when(record).then([sent]);
    spec.given([registered(), planned, sent]).when(record).thenNothingHappens();
    spec.given([registered(), planned, cancelled]).when(record).thenNothingHappens();
  });

  it('runs next at its wall time in its zone, strictly after now', () => {
    // Monday 9 March 2026, 08:00 in Berlin (CET) is 07:00 UTC.
    expect(nextRunAt(weekly.cadence, '2026-03-03T09:00:00.000Z')).toBe('2026-03-09T07:00:00.000Z');
    expect(nextRunAt(weekly.cadence, '2026-03-09T07:00:00.000Z')).toBe('2026-03-16T07:00:00.000Z');
    expect(nextRunAt({ every: 'day', at: '08:00', weekday: null, timeZone: 'UTC' }, '2026-03-03T09:00:00.000Z')).toBe('2026-03-04T08:00:00.000Z');
  });
});
