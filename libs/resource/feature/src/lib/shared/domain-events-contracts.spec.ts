import { randomUUID } from 'node:crypto';
import { contractRegistry } from '@pm/contracts';
import { validateEvent } from '@pm/platform/event-store';
import {
  allocationDecider,
  assignmentDecider,
  budgetDecider,
  levellingProposalDecider,
  money,
  resourceDecider,
  timesheetDecider,
  toAssignmentId,
  toResourceId,
  tenantSettingsDecider,
  toTimesheetId,
  utilisationDecider,
} from '@pm/resource/domain';

/**
 * The write path refuses (500 EVENT_CONTRACT_VIOLATION) any event whose data does not parse under the latest
 * contract of `pm.resource.<type>`, and stores what the contract parsed. Drive every decider through a realistic
 * story and put what it emits through that same check: each must pass, unchanged.
 */
describe('Resource domain events match their public contracts', () => {
  const meta = { now: '2026-03-02T09:00:00.000Z', actor: 'user:rm-1', tenantId: 't' };
  const rm = { userId: 'rm-1', actor: 'user:rm-1', roles: ['resource-manager' as const] };
  const eur = (minor: number) => money(minor, 'EUR');
  const ada = toResourceId(randomUUID());
  const tbd = toResourceId(randomUUID());
  const projectId = randomUUID();
  const emitted: Array<{ type: string; data: unknown }> = [];

  function run<C, E extends { type: string; data: unknown }, S>(decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S }, commands: C[]): void {
    let state = decider.initialState();
    for (const c of commands) {
      const events = decider.decide(c, state);
      emitted.push(...events);
      state = events.reduce(decider.evolve, state);
    }
  }

  beforeAll(() => {
    const calendar = { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: ['2026-12-25'] };
    run(resourceDecider, [
      { type: 'RegisterPerson', data: { resourceId: ada, userId: 'ada', name: 'Ada', role: 'Dev', department: 'IT', calendar }, metadata: meta },
      { type: 'RecordSkill', data: { resourceId: ada, skill: 'Java', level: 4 }, metadata: meta },
      { type: 'ScheduleCostRate', data: { resourceId: ada, effectiveFrom: '2026-01-01', standardRate: eur(8550), caller: rm }, metadata: meta },
      { type: 'SetAvailability', data: { resourceId: ada, availabilityPercent: 80 }, metadata: meta },
      { type: 'RecordLeave', data: { resourceId: ada, from: '2026-08-03', to: '2026-08-07' }, metadata: meta },
    ]);
    run(resourceDecider, [{ type: 'RegisterGenericResource', data: { resourceId: tbd, name: 'Dev TBD', role: 'Dev' }, metadata: meta }]);
    run(resourceDecider, [{ type: 'RegisterEquipment', data: { resourceId: toResourceId(randomUUID()), name: 'Cable', kind: 'material', unit: 'm', costPerUnit: eur(250) }, metadata: meta }]);
    const assignmentId = toAssignmentId(randomUUID());
    run(assignmentDecider, [
      { type: 'AssignResource', data: { assignmentId, resource: { resourceId: tbd, kind: 'generic' }, task: { taskId: 'build', projectId }, requestedTaskId: 'build', load: { kind: 'units', percent: 50 } }, metadata: meta },
      { type: 'ReviseAssignmentLoad', data: { assignmentId, load: { kind: 'work', minutes: 2400 } }, metadata: meta },
      { type: 'ReplaceAssignedResource', data: { assignmentId, replacement: { resourceId: ada, kind: 'person' }, requestedResourceId: ada }, metadata: meta },
      { type: 'RemoveAssignment', data: { assignmentId, reason: 'Descoped' }, metadata: meta },
    ]);
    const period = { from: '2026-03-02', to: '2026-03-06', minutesOver: 600, taskIds: ['build'] };
    const window = { from: '2026-03-01', to: '2026-03-31' };
    run(allocationDecider, [
      { type: 'EvaluateAllocation', data: { resourceId: ada, periods: [period], window }, metadata: meta },
      { type: 'EvaluateAllocation', data: { resourceId: ada, periods: [], window }, metadata: meta },
    ]);
    const profile = { name: 'Ada', kind: 'person' as const, role: 'Dev', department: 'IT' };
    run(utilisationDecider, [
      { type: 'RecordResourceUtilisation', data: { resourceId: ada, profile, weeks: [{ weekStart: '2026-03-02', capacityMinutes: 1920, demandMinutes: 2400 }] }, metadata: meta },
      { type: 'RecordResourceUtilisation', data: { resourceId: ada, profile: null, weeks: [] }, metadata: meta },
    ]);
    const timesheetId = toTimesheetId(randomUUID());
    const owner = { resourceId: ada, userId: 'ada', rates: [{ effectiveFrom: '2026-01-01', standardRate: eur(8550), overtimeRate: eur(12825) }] };
    const lines = [{ date: '2026-03-02', projectId, taskId: 'build', minutes: 480, overtimeMinutes: 30 }];
    run(timesheetDecider, [
      { type: 'SubmitTimesheet', data: { timesheetId, owner, weekStart: '2026-03-02', lines, caller: { userId: 'ada', actor: 'user:ada', roles: ['team-member'] } }, metadata: { ...meta, actor: 'user:ada' } },
      { type: 'RejectTimesheet', data: { timesheetId, reason: 'Wrong task', owner, caller: rm }, metadata: meta },
      { type: 'SubmitTimesheet', data: { timesheetId, owner, weekStart: '2026-03-02', lines, caller: { userId: 'ada', actor: 'user:ada', roles: ['team-member'] } }, metadata: { ...meta, actor: 'user:ada' } },
      { type: 'ApproveTimesheet', data: { timesheetId, owner, caller: rm }, metadata: meta },
    ]);
    const categories = { labour: eur(100_00), equipment: eur(0), materials: eur(0), other: eur(0) };
    run(budgetDecider, [
      { type: 'SetProjectBudget', data: { projectId, categories, contingency: eur(0), managementReserve: eur(50_00), thresholdPercent: 100 }, metadata: meta },
      { type: 'RecordExpense', data: { projectId, expenseId: randomUUID(), category: 'equipment', amount: eur(20_00), incurredOn: '2026-03-03' }, metadata: meta },
      { type: 'RecordActualCost', data: { projectId, costId: 'x', category: 'labour', amount: eur(90_00) }, metadata: meta },
      { type: 'ReviseForecast', data: { projectId, estimateToComplete: eur(0) }, metadata: meta },
    ]);
    run(budgetDecider, [
      { type: 'SetProjectBudget', data: { projectId, categories, contingency: eur(0), managementReserve: eur(0), thresholdPercent: 100 }, metadata: meta },
      { type: 'ReviseForecast', data: { projectId, estimateToComplete: eur(200_00) }, metadata: meta },
      { type: 'ReviseForecast', data: { projectId, estimateToComplete: eur(10_00) }, metadata: meta },
    ]);
    run(tenantSettingsDecider, [
      { type: 'SetTenantCalendar', data: { calendar: { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: [], exceptions: [{ date: '2026-03-07', working: true, hours: 4 }] }, caller: rm }, metadata: meta },
      { type: 'SetBudgetThreshold', data: { thresholdPercent: 90, caller: { userId: 'pmo', actor: 'user:pmo', roles: ['pmo-admin'] } }, metadata: meta },
    ]);
    run(levellingProposalDecider, [
      {
        type: 'ProposeLevelling',
        data: {
          proposalId: randomUUID(),
          projectId,
          moves: [{ projectId, taskId: 'build', fromStart: '2026-03-02', toStart: '2026-03-09', toFinish: '2026-03-13', delayDays: 5, withinFloat: false }],
          finishBefore: '2026-03-06',
          finishAfter: '2026-03-13',
          unresolved: [{ projectId, taskId: 'test', resourceId: ada, from: '2026-03-02', to: '2026-03-03', reason: 'demand-exceeds-capacity-every-day' }],
        },
        metadata: meta,
      },
    ]);
  });

  it('covers every resource contract', () => {
    const types = new Set(emitted.map((e) => `pm.resource.${e.type}`));
    expect(contractRegistry.all().filter((c) => c.context === 'resource').map((c) => c.type).filter((t) => !types.has(t))).toEqual([]);
  });

  it("passes every emitted event through the write path's contract check, unchanged", () => {
    for (const event of emitted) {
      const checked = validateEvent('resource', event);
      expect({ type: event.type, data: checked.data }).toEqual({ type: event.type, data: event.data });
      expect(checked.schemaVersion).toBe(contractRegistry.latest(`pm.resource.${event.type}`).version);
    }
  });
});
