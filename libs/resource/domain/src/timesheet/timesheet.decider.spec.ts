import type { Caller } from '../shared/command-metadata';
import { toTimesheetId } from '../shared/ids';
import { money } from '../shared/money';
import type { CostRate } from '../pool/resource.state';
import { at, deciderSpecification } from '../testing/decider-specification';
import { timesheetDecider } from './timesheet.decider';
import type { TimesheetEvent, TimesheetLine } from './timesheet.events';

const spec = deciderSpecification(timesheetDecider);
const timesheetId = toTimesheetId('ts-ada-w10');
const eur = (minor: number) => money(minor, 'EUR');
// The actor is the principal's (`user:` + the percent-encoded login), as the platform writes it into every event.
const callerFor = (userId: string, role: Caller['roles'][number]): Caller => ({ userId, actor: `user:${encodeURIComponent(userId)}`, roles: [role] });
const ada = callerFor('ada', 'team-member');
const bob = callerFor('bob', 'team-member');
const manager = callerFor('rm-1', 'resource-manager');
// The rate rises on Wednesday 2026-03-04: Monday and Tuesday are paid at 80/h, Wednesday at 90/h.
const rates: CostRate[] = [
  { effectiveFrom: '2026-01-01', standardRate: eur(8000), overtimeRate: eur(12000) },
  { effectiveFrom: '2026-03-04', standardRate: eur(9000), overtimeRate: eur(13500) },
];
const owner = { resourceId: 'r-ada', userId: 'ada', rates };
const lines: TimesheetLine[] = [
  { date: '2026-03-02', projectId: 'p-erp', taskId: 't-build', minutes: 480, overtimeMinutes: 60 },
  { date: '2026-03-03', projectId: 'p-crm', taskId: null, minutes: 450, overtimeMinutes: 0 },
  { date: '2026-03-04', projectId: 'p-erp', taskId: 't-build', minutes: 480, overtimeMinutes: 0 },
];
const submittedAt = '2026-03-06T17:00:00.000Z';
const approvedAt = '2026-03-09T09:00:00.000Z';
const submitted: TimesheetEvent = {
  type: 'TimesheetSubmitted',
  data: { timesheetId, resourceId: 'r-ada', weekStart: '2026-03-02', lines, submittedBy: 'user:ada', submittedAt },
};
const submit = (caller: Caller = ada, l = lines, weekStart = '2026-03-02') => ({
  type: 'SubmitTimesheet' as const,
  data: { timesheetId, owner, weekStart, lines: l, caller },
  metadata: at(submittedAt, caller.actor),
});
const approve = (caller: Caller = manager, o: typeof owner | null = owner) => ({ type: 'ApproveTimesheet' as const, data: { timesheetId, owner: o, caller }, metadata: at(approvedAt, caller.actor) });

describe('Timesheet', () => {
  describe('SubmitTimesheet', () => {
    it('a team member submits their own week', () => spec.given([]).when(submit()).then([submitted]));
    it('a team member may not submit for someone else', () => spec.given([]).when(submit(bob)).thenRejects('NOT_YOUR_TIMESHEET', 'forbidden'));
    it('the same submission again changes nothing', () => spec.given([submitted]).when(submit()).thenNothingHappens());
    it('rejects a week that does not start on Monday', () => spec.given([]).when(submit(ada, lines, '2026-03-03')).thenRejects('WEEK_MUST_START_ON_MONDAY'));
    it('rejects more than 24 hours on one day', () => {
      spec.given([]).when(submit(ada, [{ ...lines[0], minutes: 1200, overtimeMinutes: 300 }])).thenRejects('DAY_OVER_24_HOURS');
    });
  });

  describe('ApproveTimesheet', () => {
    it('prices each day at the rate in force that day and books actual cost per project', () => {
      const events = spec.given([submitted]).when(approve()).events();
      // Mon 8 h × 80 + 1 h × 120 = 760; Tue 7.5 h × 80 = 600; Wed 8 h × 90 = 720.
      expect(events[0]).toMatchObject({ type: 'TimesheetApproved', data: { total: eur(208000) } });
      expect(events[0].type === 'TimesheetApproved' && events[0].data.lines.map((l) => [l.rateEffectiveFrom, l.cost.amountMinor])).toEqual([
        ['2026-01-01', 76000],
        ['2026-01-01', 60000],
        ['2026-03-04', 72000],
      ]);
      expect(events.slice(1)).toEqual([
        { type: 'CostIncurred', data: { costId: 'ts-ada-w10:p-crm', projectId: 'p-crm', category: 'labour', amount: eur(60000), from: '2026-03-03', to: '2026-03-03', source: { kind: 'timesheet', id: timesheetId }, resourceId: 'r-ada', incurredAt: approvedAt } },
        { type: 'CostIncurred', data: { costId: 'ts-ada-w10:p-erp', projectId: 'p-erp', category: 'labour', amount: eur(148000), from: '2026-03-02', to: '2026-03-04', source: { kind: 'timesheet', id: timesheetId }, resourceId: 'r-ada', incurredAt: approvedAt } },
      ]);
    });

    it('a later, back-dated rate change does not reprice approved work', () => {
      const approvedEvents = spec.given([submitted]).when(approve()).events();
      const backDated = { ...owner, rates: [{ effectiveFrom: '2025-01-01', standardRate: eur(1), overtimeRate: eur(1) }] };
      spec.given([submitted, ...approvedEvents]).when(approve(manager, backDated)).thenNothingHappens();
    });

    it('nobody approves their own timesheet', () => {
      const selfSubmitted: TimesheetEvent = { ...submitted, data: { ...submitted.data, submittedBy: 'user:rm-1' } } as TimesheetEvent;
      spec.given([selfSubmitted]).when(approve()).thenRejects('SELF_APPROVAL_FORBIDDEN', 'forbidden');
    });
    it('nobody approves a week they submitted when their login has an @ or a space (actors are percent-encoded)', () => {
      for (const login of ['rm@corp.example', 'Rosa Manager', 'team/rm']) {
        const rm = callerFor(login, 'resource-manager');
        const selfSubmitted = { ...submitted, data: { ...submitted.data, submittedBy: `user:${encodeURIComponent(login)}` } } as TimesheetEvent;
        // Ada's time, submitted by the manager for her: only the submitter comparison can refuse this.
        spec.given([selfSubmitted]).when(approve(rm)).thenRejects('SELF_APPROVAL_FORBIDDEN', 'forbidden');
      }
    });
    it("nobody approves their own time that someone else submitted for them", () => {
      const pm = callerFor('pm-owner', 'project-manager');
      const submittedByAdmin = { ...submitted, data: { ...submitted.data, submittedBy: 'user:admin-1' } } as TimesheetEvent;
      spec.given([submittedByAdmin]).when(approve(pm, { ...owner, userId: 'pm-owner' })).thenRejects('SELF_APPROVAL_FORBIDDEN', 'forbidden');
    });
    it('compares the owner by login, so another manager with an encoded login still approves', () => {
      const rm = callerFor('rm@corp.example', 'resource-manager');
      const events = spec.given([submitted]).when(approve(rm)).events();
      expect(events[0]).toMatchObject({ type: 'TimesheetApproved', data: { approvedBy: 'user:rm%40corp.example' } });
    });
    it('a team member may not approve', () => spec.given([submitted]).when(approve(bob)).thenRejects('APPROVAL_FORBIDDEN'));
    it('rejects a day with no rate in force', () => {
      spec.given([submitted]).when(approve(manager, { ...owner, rates: [rates[1]] })).thenRejects('NO_RATE_IN_FORCE', 'invalid');
    });
  });

  describe('RejectTimesheet', () => {
    const reject = (reason = 'Wrong project on Tuesday', caller: Caller = manager, o: typeof owner | null = owner) => ({
      type: 'RejectTimesheet' as const,
      data: { timesheetId, reason, owner: o, caller },
      metadata: at(approvedAt, caller.actor),
    });
    const rejected: TimesheetEvent = { type: 'TimesheetRejected', data: { timesheetId, resourceId: 'r-ada', reason: 'Wrong project on Tuesday', rejectedBy: 'user:rm-1', rejectedAt: approvedAt } };
    it('sends it back with a reason', () => spec.given([submitted]).when(reject()).then([rejected]));
    it('rejecting twice changes nothing', () => spec.given([submitted, rejected]).when(reject()).thenNothingHappens());
    it('needs a reason', () => spec.given([submitted]).when(reject('  ')).thenRejects('REASON_REQUIRED'));
    it('may be resubmitted after rejection', () => spec.given([submitted, rejected]).when(submit()).then([submitted]));
    it('nobody rejects a week they submitted, however their login is spelt', () => {
      const rm = callerFor('rm@corp.example', 'resource-manager');
      const selfSubmitted = { ...submitted, data: { ...submitted.data, submittedBy: 'user:rm%40corp.example' } } as TimesheetEvent;
      spec.given([selfSubmitted]).when(reject(undefined, rm)).thenRejects('SELF_APPROVAL_FORBIDDEN', 'forbidden');
    });
    it('nobody rejects their own time that someone else submitted for them', () => {
      const pm = callerFor('ada', 'project-manager');
      spec.given([{ ...submitted, data: { ...submitted.data, submittedBy: 'user:rm-1' } } as TimesheetEvent]).when(reject(undefined, pm)).thenRejects('SELF_APPROVAL_FORBIDDEN', 'forbidden');
    });
    it('rejects the week of a person who no longer exists', () => spec.given([submitted]).when(reject(undefined, manager, null)).then([rejected]));
  });
});
