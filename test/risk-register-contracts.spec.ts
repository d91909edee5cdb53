import { randomUUID } from 'node:crypto';
import { contractRegistry } from '@pm/contracts';
import { validateEvent } from '@pm/platform/event-store';
import { applySignalDecisions, evaluateSignals, issueDecider, projectExposureDecider, raiseIssueFromOccurredRisk, riskDecider, riskSettingsDecider, scheduleRiskDecider, scheduleRiskSettingsDecider, dueSettingsDecider, toIssueId, toRiskId, toRiskProjectId } from '@pm/risk/domain';
import type { DefineScheduleRiskSpread, DueSettings, DueTimeZoneSet, SetDueTimeZone, IssueCommand, IssueEvent, IssueState, ProjectExposureCommand, ProjectExposureState, ProjectRiskExposureChanged, RecordScheduleRiskSimulation, RiskCommand, RiskOccurred, RiskSettings, RiskSettingsCommand, RiskSettingsEvent, RiskState, RiskStreamEvent, ScheduleRiskSettings, ScheduleRiskSimulated, ScheduleRiskSpreadDefined, ScheduleRiskState } from '@pm/risk/domain';

/**
 * The write path refuses (500 EVENT_CONTRACT_VIOLATION) any event whose data does not parse under the latest contract
 * of `pm.risk.<type>`. This drives the register's three
 * deciders through one story here and puts everything they emit through that same check: each must pass, unchanged.
 */
/** Earned-value figures on which every project rule fires (bad) and none does (good). */
function projectEarnedValueFigures(projectId: string) {
  const counts = (n: number) => [0, 2, 5, 10, 20].map((maxTotalFloatDays) => ({ maxTotalFloatDays, count: n }));
  const longName = 'M'.repeat(1000);
  const base = { projectId, statusDate: '2026-03-02', baselineNumber: 0, bac: 100_000, pv: 50_000, actualCostSource: 'resource-service-and-tasks' as const, milestoneCount: 1, milestonesTruncated: false, nearCriticalAtBaseline: counts(10),
    percentComplete: null, baselineStart: null, baselineFinish: null, forecastFinish: null, finishSlipDays: null, curveInterval: null, plannedValueCurve: [] };
  return {
    bad: {
      ...base,
      ev: 40_000,
      ac: 60_000,
      spi: 0.8,
      cpi: 2 / 3,
      eac: 150_000,
      nearCritical: counts(40),
      overdueMilestoneCount: 1,
      milestones: [{ taskId: 'constructor', name: longName, baselineFinish: '2026-02-20', forecastFinish: '2026-03-20', slipDays: 20, achieved: false, overdue: true }],
    },
    good: {
      ...base,
      ev: 50_000,
      ac: 50_000,
      spi: 1,
      cpi: 1,
      eac: 100_000,
      nearCritical: counts(10),
      overdueMilestoneCount: 0,
      milestones: [{ taskId: 'constructor', name: longName, baselineFinish: '2026-02-20', forecastFinish: '2026-02-20', slipDays: 0, achieved: true, overdue: false }],
    },
  };
}

describe('Risk register domain events match their public contracts', () => {
  const meta = { now: '2026-03-02T09:00:00.000Z', actor: 'user:pm-1', tenantId: 't' };
  const emitted: Array<{ type: string; data: unknown }> = [];

  function run<C, E extends { type: string; data: unknown }, S>(decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S }, commands: C[]): S {
    let state = decider.initialState();
    for (const c of commands) {
      for (const event of decider.decide(c, state)) {
        emitted.push(event);
        state = decider.evolve(state, event);
      }
    }
    return state;
  }

  beforeAll(() => {
    const settings = run<RiskSettingsCommand, RiskSettingsEvent, RiskSettings>(riskSettingsDecider, [
      { type: 'DefineRiskCategory', data: { categoryId: 'constructor', name: 'Technical', description: 'Technology and integration' }, metadata: meta },
      { type: 'DefineRiskCategory', data: { categoryId: 'technical.vendors', name: 'Vendors', parentId: 'constructor' }, metadata: meta },
      { type: 'DefineRiskMatrix', data: { thresholds: { medium: 4, high: 10, critical: 20 } }, metadata: meta },
      { type: 'ConfigureAutomaticRiskRule', data: { ruleId: 'near-critical-work', enabled: true, onClear: 'close', floatDays: 2, maxCount: 40, maxIncreasePercent: 12.5 }, metadata: meta },
    ]);
    const riskId = toRiskId(randomUUID());
    const projectId = toRiskProjectId(randomUUID());
    const data = <T>(rest: T) => ({ riskId, ...rest });
    run<RiskCommand, RiskStreamEvent, RiskState>(riskDecider, [
      {
        type: 'IdentifyRisk',
        data: data({ projectId, kind: 'threat', title: 'Vendor late', cause: 'Single factory', event: 'Late delivery', effect: 'Cut-over slips', categoryId: 'technical.vendors', ownerId: 'user:o-1', proximity: '2026-05-01', triggers: ['No order confirmation'] }),
        settings,
        metadata: meta,
      },
      { type: 'AssessRisk', data: data({ inherent: { schedule: { probability: 4, impact: 5 }, cost: { probability: 3, impact: 3 } }, residual: { schedule: { probability: 2, impact: 5 } } }), settings, metadata: meta },
      { type: 'AssessRisk', data: data({ inherent: { cost: { probability: 3, impact: 3 } }, residual: { cost: { probability: 2, impact: 3 } }, costImpact: { amountMinor: 12_000_000, currency: 'EUR' } }), settings, metadata: meta },
      { type: 'AssignRiskOwner', data: data({ ownerId: 'user:o-2' }), metadata: meta },
      { type: 'ScheduleRiskReview', data: data({ reviewOn: '2026-03-16' }), metadata: meta },
      { type: 'PlanRiskResponse', data: data({ responseId: '__proto__', strategy: 'mitigate', description: 'Second supplier' }), metadata: meta },
      { type: 'AddMitigationAction', data: data({ responseId: '__proto__', actionId: 'rfq', description: 'Quotes', ownerId: 'user:buyer', dueOn: '2026-03-20', cost: { amountMinor: 250_000, currency: 'EUR' } }), metadata: meta },
      { type: 'AddMitigationAction', data: data({ responseId: '__proto__', actionId: 'constructor', description: 'Call', ownerId: 'user:buyer', dueOn: '2026-03-02', cost: null }), metadata: meta },
      { type: 'FlagMitigationActionOverdue', data: data({ actionId: 'constructor' }), metadata: { ...meta, actor: 'service:risk-service', now: '2026-03-03T00:00:00.000Z' } },
      { type: 'FlagRiskReviewOverdue', data: data({ reviewOn: '2026-03-16' }), metadata: { ...meta, actor: 'service:risk-service', now: '2026-03-17T00:00:00.000Z' } },
      { type: 'CompleteMitigationAction', data: data({ actionId: 'rfq', note: 'Done' }), metadata: meta },
      { type: 'LinkSecondaryRisk', data: data({ responseId: '__proto__', secondaryRiskId: toRiskId(randomUUID()) }), metadata: meta },
      {
        type: 'DefineRiskScheduleImpact',
        data: data({ tasks: [{ taskId: 'constructor', delayDays: { min: 0, mostLikely: 2.5, max: 1000 } }, { taskId: '__proto__', delayDays: { min: 1, mostLikely: 1, max: 1 } }] }),
        knownTaskIds: ['constructor', '__proto__'],
        metadata: meta,
      },
      { type: 'ChangeRiskStatus', data: data({ to: 'monitoring' }), metadata: meta },
      { type: 'RecordRiskOccurrence', data: data({ occurredOn: '2026-03-02', description: 'Delivery moved to June' }), metadata: meta },
      { type: 'ChangeRiskStatus', data: data({ to: 'closed', reason: 'Handled as an issue' }), metadata: meta },
    ]);
    const automaticId = toRiskId(randomUUID());
    const service = { ...meta, actor: 'service:risk-service' };
    const evidence = (minutesOver: number) => ({
      events: [{ eventId: randomUUID(), type: 'pm.resource.ResourceOverallocated' }],
      measurements: [{ name: 'minutesOver', value: minutesOver }],
      thresholds: [{ name: 'minMinutesOver', value: 0 }],
      asOf: null,
    });
    const subject = { kind: 'resource-on-task' as const, projectId, taskId: 'constructor', resourceId: randomUUID(), riskId: null, actionId: null };
    run<RiskCommand, RiskStreamEvent, RiskState>(riskDecider, [
      {
        type: 'RaiseAutomaticRisk',
        data: { riskId: automaticId, projectId, ruleId: 'overallocated-critical-task', subject, generation: 0, title: 'Over-allocated on a critical task', cause: 'c', event: 'e', effect: 'f', categoryId: 'automatic', evidence: evidence(120) },
        metadata: service,
      },
      { type: 'RecordAutomaticRiskEvidence', data: { riskId: automaticId, evidence: evidence(240) }, metadata: service },
      { type: 'ClearAutomaticRiskSignal', data: { riskId: automaticId, evidence: evidence(0), onClear: 'propose-closure' }, metadata: service },
      { type: 'ClearAutomaticRiskSignal', data: { riskId: automaticId, evidence: evidence(0), onClear: 'close' }, metadata: service },
    ]);
    // The rules' own commands: every rule fires on one project (a milestone whose name is as long as planning allows, ids
    // that are prototype keys), then every signal clears; each risk is decided on its own stream.
    const ev = projectEarnedValueFigures(projectId);
    const facts = [
      { kind: 'earned-value' as const, source: { eventId: randomUUID(), eventType: 'pm.planning.ProjectEarnedValueCalculated' }, figures: ev.bad },
      { kind: 'resource-allocation' as const, source: { eventId: randomUUID(), eventType: 'pm.resource.ResourceOverallocated' }, resourceId: randomUUID(), criticalTasks: [{ projectId, taskId: '__proto__', minutesOver: 90, from: '2026-03-09', to: '2026-03-13' }] },
      { kind: 'mitigation-action-overdue' as const, source: { eventId: randomUUID(), eventType: 'pm.risk.MitigationActionOverdue' }, projectId, riskId, actionId: 'constructor', dueOn: '2026-03-01', asOf: '2026-03-02' },
      { kind: 'earned-value' as const, source: { eventId: randomUUID(), eventType: 'pm.planning.ProjectEarnedValueCalculated' }, figures: ev.good },
    ];
    let book = new Map();
    const streams = new Map<string, RiskState>();
    for (const fact of facts) {
      const decisions = evaluateSignals(fact, book, settings.automaticRules, { tenantId: 't', now: meta.now });
      book = applySignalDecisions(book, decisions);
      for (const { command } of decisions) {
        streams.set(command.data.riskId, run<RiskCommand, RiskStreamEvent, RiskState>({ ...riskDecider, initialState: () => streams.get(command.data.riskId) ?? riskDecider.initialState() }, [command]));
      }
    }
    const occurred = emitted.find((e) => e.type === 'RiskOccurred') as RiskOccurred;
    const issueId = toIssueId(randomUUID());
    run<IssueCommand, IssueEvent, IssueState>(issueDecider, [
      raiseIssueFromOccurredRisk(occurred, { issueId, severity: 'high', ownerId: 'user:o-2', dueOn: '2026-04-01' }, meta),
      { type: 'LinkIssueToChangeRequest', data: { issueId, changeRequestId: randomUUID() }, metadata: meta },
      { type: 'ResolveIssue', data: { issueId, resolution: 'Cut-over moved by change request' }, metadata: meta },
    ]);
    const summary = {
      projectId, simulationId: 'constructor', iterations: 1000, seed: 0, statusDate: null, tasks: 3, plannedFinish: '2026-03-20', p50Finish: '2026-03-23', p80Finish: '2026-03-25', p90Finish: '2026-03-26',
      finish: [{ percentile: 50, date: '2026-03-23' }, { percentile: 80, date: '2026-03-25' }, { percentile: 90, date: '2026-03-26' }], cost: [{ percentile: 80, value: 12_500 }], targetDate: null, probabilityOfTarget: null,
    };
    run<RecordScheduleRiskSimulation, ScheduleRiskSimulated, ScheduleRiskState>(scheduleRiskDecider, [{ type: 'RecordScheduleRiskSimulation', data: summary, metadata: meta }]);
    run<SetDueTimeZone, DueTimeZoneSet, DueSettings>(dueSettingsDecider, [{ type: 'SetDueTimeZone', data: { timeZone: 'America/New_York' }, metadata: meta }]);
    run<DefineScheduleRiskSpread, ScheduleRiskSpreadDefined, ScheduleRiskSettings>(scheduleRiskSettingsDecider, [
      { type: 'DefineScheduleRiskSpread', data: { optimistic: -0.2, pessimistic: 0.5, distribution: 'pert' }, metadata: meta },
    ]);
    const top = { riskId, kind: 'threat' as const, title: 'Vendor late', probability: 4, impact: 3, score: 12, rating: 'high' as const };
    run<ProjectExposureCommand, ProjectRiskExposureChanged, ProjectExposureState>(projectExposureDecider, [
      {
        type: 'RecordProjectRiskExposure',
        data: { projectId, costExposure: { score: 12, threats: 1, expected: [{ currency: 'EUR', amountMinor: 8_400_000 }], expectedOpportunity: [] }, openRisks: 1, topRisks: [top], cells: [{ probability: 4, impact: 3, count: 1 }], openIssues: 1, scheduleRisk: { simulationId: 'constructor', p80Finish: '2026-03-25', simulatedAt: meta.now } },
        metadata: meta,
      },
    ]);
  });

  it('drives every automatic rule to a raise and a clearance', () => {
    const raised = emitted.filter((e) => e.type === 'AutomaticRiskRaised').map((e) => (e.data as { ruleId: string }).ruleId);
    expect(new Set(raised).size).toBe(8);
    expect(emitted.filter((e) => e.type === 'AutomaticRiskSignalCleared').length).toBeGreaterThanOrEqual(6);
  });

  it('covers every risk contract', () => {
    const types = new Set(emitted.map((e) => `pm.risk.${e.type}`));
    expect(contractRegistry.all().filter((c) => c.context === 'risk').map((c) => c.type).filter((t) => !types.has(t))).toEqual([]);
  });

  it("passes every emitted event through the write path's contract check, unchanged", () => {
    for (const event of emitted) {
      const checked = validateEvent('risk', event);
      expect({ type: event.type, data: checked.data }).toEqual({ type: event.type, data: event.data });
      expect(checked.schemaVersion).toBe(contractRegistry.latest(`pm.risk.${event.type}`).version);
    }
  });
});
