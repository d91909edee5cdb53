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
const ada = { userId: 'ada', roles: ['team-member' as const] };
const bob = { userId: 'bob', roles: ['team-member' as const] };
const manager = { userId: 'rm-1', roles: ['resource-manager' as const] };
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
  metadata: at(submittedAt, `user:${caller.userId}`),
});
const approve = (caller: Caller = manager, o: typeof owner | null = owner) => ({ type: 'ApproveTimesheet' as const, data: { timesheetId, owner: o, caller }, metadata: at(approvedAt, `user:${caller.userId}`) });

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
    it('a team member may not approve', () => spec.given([submitted]).when(approve(bob)).thenRejects('APPROVAL_FORBIDDEN'));
    it('rejects a day with no rate in force', () => {
      spec.given([submitted]).when(approve(manager, { ...owner, rates: [rates[1]] })).thenRejects('NO_RATE_IN_FORCE', 'invalid');
    });
  });

  describe('RejectTimesheet', () => {
    const reject = (reason = 'Wrong project on Tuesday') => ({ type: 'RejectTimesheet' as const, data: { timesheetId, reason, caller: manager }, metadata: at(approvedAt, 'user:rm-1') });
    const rejected: TimesheetEvent = { type: 'TimesheetRejected', data: { timesheetId, resourceId: 'r-ada', reason: 'Wrong project on Tuesday', rejectedBy: 'user:rm-1', rejectedAt: approvedAt } };
    it('sends it back with a reason', () => spec.given([submitted]).when(reject()).then([rejected]));
    it('rejecting twice changes nothing', () => spec.given([submitted, rejected]).when(reject()).thenNothingHappens());
    it('needs a reason', () => spec.given([submitted]).when(reject('  ')).thenRejects('REASON_REQUIRED'));
    it('may be resubmitted after rejection', () => spec.given([submitted, rejected]).when(submit()).then([submitted]));
  });
});
