import { riskDecider } from '../register/risk.decider';
import { toRiskId } from '../register/risk.ids';
import type { RiskStreamEvent } from '../register/risk-register.events';
import type { RiskState } from '../register/risk.state';
import { signalRecordOf } from './signal-record';
import { applySignalDecisions, evaluateSignals } from './signal.evaluator';
import { context, earnedValue, rulesWith } from './signal.spec-fixtures';
import type { SignalBook, SignalFact } from './signal.types';

/** Runs facts through the evaluator and every decision through the risk decider, as the service will. */
function story(facts: readonly SignalFact[], rules = rulesWith()): { book: SignalBook; risks: Map<string, RiskState> } {
  let book: SignalBook = new Map();
  const risks = new Map<string, RiskState>();
  for (const fact of facts) {
    const decisions = evaluateSignals(fact, book, rules, context);
    book = applySignalDecisions(book, decisions);
    for (const { command } of decisions) {
      let state = risks.get(command.data.riskId) ?? riskDecider.initialState();
      for (const event of riskDecider.decide(command, state)) state = riskDecider.evolve(state, event);
      risks.set(command.data.riskId, state);
    }
  }
  return { book, risks };
}

const rebuilt = (risks: Map<string, RiskState>): SignalBook => {
  const book = new Map();
  for (const state of risks.values()) {
    const entry = signalRecordOf(state);
    // Generations of one rule and subject: the latest stands for the signal.
    if (entry && (book.get(entry.key)?.generation ?? -1) < entry.record.generation) book.set(entry.key, entry.record);
  }
  return book;
};

describe('The signal book rebuilt from the risk streams', () => {
  it('equals the book the evaluator kept, through raises, evidence, proposals, closures and a new generation', () => {
    const closing = rulesWith({ ruleId: 'cpi-below', enabled: true, onClear: 'close', minimum: 0.9 });
    const { book, risks } = story([earnedValue({ spi: 0.8, cpi: 0.8 }), earnedValue({ spi: 0.7, cpi: 0.95 }), earnedValue({ spi: 0.95, cpi: 0.8 }), earnedValue({ spi: 0.95, cpi: 0.8, eac: 150_000 })], closing);
    expect(rebuilt(risks)).toEqual(book);
    expect([...book.values()].map((r) => [r.ruleId, r.status, r.generation])).toEqual([
      ['spi-below', 'closure-proposed', 0],
      ['cpi-below', 'open', 1],
      ['eac-over-bac', 'open', 0],
    ]);
  });

  it('takes a risk a person closed, or one that occurred, as closed, and ignores risks a person identified', () => {
    const { book, risks } = story([earnedValue({ spi: 0.8 })]);
    const [record] = [...book.values()];
    const state = risks.get(record.riskId)!;
    const close = { type: 'ChangeRiskStatus' as const, data: { riskId: toRiskId(record.riskId), to: 'closed' as const, reason: 'Accepted as it is' }, metadata: { ...context, actor: 'user:pm-1' } };
    const events: RiskStreamEvent[] = riskDecider.decide(close, state);
    const closed = events.reduce(riskDecider.evolve, state);
    expect(signalRecordOf(closed)?.record.status).toBe('closed');
    expect(signalRecordOf(riskDecider.initialState())).toBeNull();
  });
});
