import type { AutomaticRiskRuleId, AutomaticRiskRuleSetting } from '../register/risk-register.events';
import { applySignalDecisions, evaluateSignals } from './signal.evaluator';
import type { EarnedValueFact, EarnedValueFigures, SignalBook, SignalDecision, SignalFact } from './signal.types';

export const tenantId = 'tenant-1';
export const projectId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const resourceId = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
export const context = { tenantId, now: '2026-03-03T09:00:01.000Z' };

const counts = (n: number) => [0, 2, 5, 10, 20].map((maxTotalFloatDays) => ({ maxTotalFloatDays, count: n }));

/** Figures of a healthy project: on plan, on budget, nothing near-critical beyond the baseline, one milestone on time. */
export function figures(overrides: Partial<EarnedValueFigures> = {}): EarnedValueFigures {
  return {
    projectId,
    statusDate: '2026-03-02',
    baselineNumber: 0,
    bac: 100_000,
    pv: 50_000,
    ev: 50_000,
    ac: 50_000,
    spi: 1,
    cpi: 1,
    eac: 100_000,
    actualCostSource: 'resource-service-and-tasks',
    nearCritical: counts(10),
    nearCriticalAtBaseline: counts(10),
    milestoneCount: 1,
    overdueMilestoneCount: 0,
    milestones: [{ taskId: 'go-live', name: 'Go live', baselineFinish: '2026-04-01', forecastFinish: '2026-04-01', slipDays: 0, achieved: false, overdue: false }],
    milestonesTruncated: false,
    // v3 (ADR 0501): the rules read none of these; as a v2 event upcast.
    percentComplete: null,
    baselineStart: null,
    baselineFinish: null,
    forecastFinish: null,
    finishSlipDays: null,
    curveInterval: null,
    plannedValueCurve: [],
    ...overrides,
  };
}

let sequence = 0;
/** An earned-value fact under a fresh event id (or the given one, to replay an event). */
export function earnedValue(overrides: Partial<EarnedValueFigures> = {}, eventId = `ev-${++sequence}`): EarnedValueFact {
  return { kind: 'earned-value', source: { eventId, eventType: 'pm.planning.ProjectEarnedValueCalculated' }, figures: figures(overrides) };
}

export const milestone = (slipDays: number, extra: Partial<EarnedValueFigures['milestones'][number]> = {}) => ({
  taskId: 'go-live',
  name: 'Go live',
  baselineFinish: '2026-04-01',
  forecastFinish: '2026-04-01',
  slipDays,
  achieved: false,
  overdue: false,
  ...extra,
});

export const nearCritical = (now: number, atBaseline: number) => ({ nearCritical: counts(now), nearCriticalAtBaseline: counts(atBaseline) });

export function rulesWith(...settings: AutomaticRiskRuleSetting[]): Map<AutomaticRiskRuleId, AutomaticRiskRuleSetting> {
  return new Map(settings.map((s) => [s.ruleId, s]));
}

/** Applies facts one after the other to a book, as the service would; returns every decision and the final book. */
export function replay(facts: readonly SignalFact[], rules = rulesWith(), book: SignalBook = new Map()): { decisions: SignalDecision[][]; book: SignalBook } {
  const decisions: SignalDecision[][] = [];
  let current = book;
  for (const fact of facts) {
    const decided = evaluateSignals(fact, current, rules, context);
    decisions.push(decided);
    current = applySignalDecisions(current, decided);
  }
  return { decisions, book: current };
}

/** Rule, decision type and (for milestones, tasks, actions) the subject's id: what a spec compares. */
export const summary = (decisions: readonly SignalDecision[]): string[] =>
  decisions.map((d) => `${d.type} ${d.record.ruleId}${d.record.subject.taskId !== null ? ` ${d.record.subject.taskId}` : ''}${d.record.subject.actionId !== null ? ` ${d.record.subject.actionId}` : ''}`);
