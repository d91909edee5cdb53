import { sameValue } from '@pm/shared/ddd';
import { ruleSettingOf } from '../register/automatic-rule-settings';
import type { AutomaticRiskEvidence, AutomaticRiskRuleId, AutomaticRiskRuleSetting } from '../register/risk-register.events';
import { toRiskId, toRiskProjectId } from '../register/risk.ids';
import { automaticRiskId, signalKey } from './automatic-risk-id';
import { observe } from './signal-rules';
import type { EvaluationContext, Observation, SignalBook, SignalDecision, SignalFact, SignalRecord } from './signal.types';

/** The register's category of automatic risks until tenants choose their own (ADR 0303). */
export const AUTOMATIC_RISK_CATEGORY = 'automatic';
export const RISK_SERVICE_ACTOR = 'service:risk-service';

type Rules = ReadonlyMap<AutomaticRiskRuleId, AutomaticRiskRuleSetting>;

const sameFigures = (a: AutomaticRiskEvidence, b: AutomaticRiskEvidence): boolean =>
  a.asOf === b.asOf && sameValue(a.measurements, b.measurements) && sameValue(a.thresholds, b.thresholds);

function raise(observation: Observation, key: string, previous: SignalRecord | undefined, context: EvaluationContext): SignalDecision {
  const generation = previous === undefined ? 0 : previous.generation + 1;
  const riskId = automaticRiskId(context.tenantId, observation.ruleId, observation.subject, generation);
  const { ruleId, subject, evidence, text } = observation;
  const record: SignalRecord = { ruleId, subject, riskId, generation, status: 'open', evidence };
  const metadata = { now: context.now, actor: RISK_SERVICE_ACTOR, tenantId: context.tenantId };
  const data = { riskId: toRiskId(riskId), projectId: toRiskProjectId(subject.projectId), ruleId, subject, generation, ...text, categoryId: AUTOMATIC_RISK_CATEGORY, evidence };
  return { type: 'raise', key, record, command: { type: 'RaiseAutomaticRisk', data, metadata } };
}

function clear(record: SignalRecord, key: string, evidence: AutomaticRiskEvidence, rules: Rules, context: EvaluationContext): SignalDecision[] {
  if (record.status !== 'open') return [];
  const { onClear } = ruleSettingOf(rules, record.ruleId);
  const after: SignalRecord = { ...record, status: onClear === 'close' ? 'closed' : 'closure-proposed', evidence };
  const metadata = { now: context.now, actor: RISK_SERVICE_ACTOR, tenantId: context.tenantId };
  return [{ type: 'clear', key, record: after, command: { type: 'ClearAutomaticRiskSignal', data: { riskId: toRiskId(record.riskId), evidence, onClear }, metadata } }];
}

/**
 * One observation against the record of its rule and subject: raise when the signal is on and no risk is open for it,
 * record evidence when it stays on with other figures (or comes back while its closure is proposed), clear it when it
 * goes off. The same observation twice decides nothing the second time.
 */
function decide(observation: Observation, book: SignalBook, rules: Rules, context: EvaluationContext): SignalDecision[] {
  const key = signalKey(observation.ruleId, observation.subject);
  const record = book.get(key);
  if (!observation.firing) return record === undefined ? [] : clear(record, key, observation.evidence, rules, context);
  if (record === undefined || record.status === 'closed') return [raise(observation, key, record, context)];
  if (record.status === 'open' && sameFigures(record.evidence, observation.evidence)) return [];
  const after: SignalRecord = { ...record, status: 'open', evidence: observation.evidence };
  const metadata = { now: context.now, actor: RISK_SERVICE_ACTOR, tenantId: context.tenantId };
  return [{ type: 'record-evidence', key, record: after, command: { type: 'RecordAutomaticRiskEvidence', data: { riskId: toRiskId(record.riskId), evidence: observation.evidence }, metadata } }];
}

/**
 * The automatic-risk rules over one fact (ADR 0303). Pure: the tenant's rule settings, the records of the fact's scope
 * (a project's, a resource's or a risk's signals) and the fact in; the commands for the risk streams out, each with the
 * record as it stands after it. At most one open risk per rule and subject; the same fact twice decides nothing.
 */
export function evaluateSignals(fact: SignalFact, book: SignalBook, rules: Rules, context: EvaluationContext): SignalDecision[] {
  const outcome = observe(fact, rules);
  const decisions: SignalDecision[] = [];
  const seen = new Set<string>();
  for (const observation of outcome.observations) {
    seen.add(signalKey(observation.ruleId, observation.subject));
    decisions.push(...decide(observation, book, rules, context));
  }
  for (const absent of outcome.absentCleared) {
    for (const [key, record] of book) {
      if (record.ruleId !== absent.ruleId || seen.has(key) || !absent.inScope(record.subject)) continue;
      decisions.push(...clear(record, key, absent.evidence, rules, context));
    }
  }
  return decisions;
}

/** The book after the decisions were appended (the service keeps it from the risk streams in the same transaction). */
export function applySignalDecisions(book: SignalBook, decisions: readonly SignalDecision[]): Map<string, SignalRecord> {
  const next = new Map(book);
  for (const decision of decisions) next.set(decision.key, decision.record);
  return next;
}
