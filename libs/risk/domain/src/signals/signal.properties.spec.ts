import fc from 'fast-check';
import { AUTOMATIC_RISK_RULE_IDS, DEFAULT_AUTOMATIC_RISK_RULES } from '../register/automatic-rule-settings';
import type { AutomaticRiskRuleId, AutomaticRiskRuleSetting, RiskStreamEvent } from '../register/risk-register.events';
import { riskDecider } from '../register/risk.decider';
import type { RiskState } from '../register/risk.state';
import { applySignalDecisions, evaluateSignals } from './signal.evaluator';
import { context, earnedValue, milestone, nearCritical, projectId, resourceId } from './signal.spec-fixtures';
import type { SignalBook, SignalDecision, SignalFact } from './signal.types';

const index = fc.option(fc.double({ min: 0.5, max: 1.5, noNaN: true }), { nil: null });
const milestoneIds = ['m1', 'm2', 'm3'];

const earnedValueFact: fc.Arbitrary<SignalFact> = fc
  .record({
    spi: index,
    cpi: index,
    eac: fc.option(fc.integer({ min: 80_000, max: 130_000 }), { nil: null }),
    near: fc.integer({ min: 0, max: 30 }),
    slips: fc.subarray(milestoneIds).chain((ids) => fc.tuple(fc.constant(ids), fc.array(fc.integer({ min: -3, max: 12 }), { minLength: ids.length, maxLength: ids.length }))),
    eventId: fc.constantFrom('a', 'b', 'c', 'd'),
  })
  .map(({ spi, cpi, eac, near, slips: [ids, slips], eventId }) =>
    earnedValue(
      {
        spi,
        cpi,
        eac,
        ...nearCritical(near, 20),
        milestones: ids.map((taskId, i) => milestone(slips[i], { taskId, overdue: slips[i] > 0 })).sort((a, b) => b.slipDays - a.slipDays),
        overdueMilestoneCount: slips.filter((s) => s > 0).length,
      },
      eventId,
    ),
  );

const allocationFact: fc.Arbitrary<SignalFact> = fc.subarray(['build', 'test', 'deploy']).chain((tasks) =>
  fc.array(fc.integer({ min: 0, max: 600 }), { minLength: tasks.length, maxLength: tasks.length }).map(
    (minutes): SignalFact => ({
      kind: 'resource-allocation',
      source: { eventId: `ro-${minutes.join('-')}`, eventType: 'pm.resource.ResourceOverallocated' },
      resourceId,
      criticalTasks: tasks.map((taskId, i) => ({ projectId, taskId, minutesOver: minutes[i], from: '2026-03-09', to: '2026-03-13' })),
    }),
  ),
);

const actionFact: fc.Arbitrary<SignalFact> = fc.oneof(
  fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-05').map(
    (asOf): SignalFact => ({ kind: 'mitigation-action-overdue', source: { eventId: `due-${asOf}`, eventType: 'pm.risk.MitigationActionOverdue' }, projectId, riskId: '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e', actionId: 'rfq', dueOn: '2026-03-01', asOf }),
  ),
  fc.constant<SignalFact>({ kind: 'mitigation-action-settled', source: { eventId: 'done', eventType: 'pm.risk.MitigationActionCompleted' }, projectId, riskId: '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e', actionId: 'rfq' }),
);

const offPathFact: fc.Arbitrary<SignalFact> = fc
  .constantFrom('build', 'test', 'deploy')
  .map((taskId): SignalFact => ({ kind: 'task-no-longer-critical', source: { eventId: `tsc-${taskId}`, eventType: 'pm.planning.TaskScheduleChanged' }, projectId, taskId }));

const fact = fc.oneof(earnedValueFact, allocationFact, offPathFact, actionFact);
const rules = fc
  .array(fc.tuple(fc.constantFrom(...AUTOMATIC_RISK_RULE_IDS), fc.boolean(), fc.constantFrom('close' as const, 'propose-closure' as const)))
  .map((entries) => new Map<AutomaticRiskRuleId, AutomaticRiskRuleSetting>(entries.map(([ruleId, enabled, onClear]) => [ruleId, { ...DEFAULT_AUTOMATIC_RISK_RULES[ruleId], enabled, onClear }])));

function run(facts: readonly SignalFact[], settings: Map<AutomaticRiskRuleId, AutomaticRiskRuleSetting>): { book: SignalBook; decisions: SignalDecision[] } {
  let book: SignalBook = new Map();
  const decisions: SignalDecision[] = [];
  for (const f of facts) {
    const decided = evaluateSignals(f, book, settings, context);
    decisions.push(...decided);
    book = applySignalDecisions(book, decided);
  }
  return { book, decisions };
}

describe('Automatic risks (properties)', () => {
  it('a fact applied twice decides what it decides once: nothing the second time', () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 12 }), fact, rules, (history, last, settings) => {
        const { book } = run(history, settings);
        const once = applySignalDecisions(book, evaluateSignals(last, book, settings, context));
        expect(evaluateSignals(last, once, settings, context)).toEqual([]);
      }),
    );
  });

  it('every decision is accepted by the risk decider, and keeps at most one open risk per rule and subject', () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 15 }), rules, (facts, settings) => {
        const { book, decisions } = run(facts, settings);
        const streams = new Map<string, RiskState>();
        for (const { command } of decisions) {
          let state = streams.get(command.data.riskId) ?? riskDecider.initialState();
          const events: RiskStreamEvent[] = riskDecider.decide(command, state);
          expect(events.length).toBeGreaterThan(0);
          for (const event of events) state = riskDecider.evolve(state, event);
          streams.set(command.data.riskId, state);
          // The same command again (a retried plan, a duplicate delivery) changes nothing.
          expect(riskDecider.decide(command, state)).toEqual([]);
        }
        for (const record of book.values()) {
          const state = streams.get(record.riskId);
          expect(state?.status === 'closed').toBe(record.status === 'closed');
        }
      }),
    );
  });
});
