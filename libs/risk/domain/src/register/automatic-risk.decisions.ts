import { conflict, invalid, sameValue } from '@pm/shared/ddd';
import type { ClearAutomaticRiskSignal, RaiseAutomaticRisk, RecordAutomaticRiskEvidence } from './risk.commands';
import type { AutomaticRiskEvidence, AutomaticRiskEvidenceRecorded, AutomaticRiskRaised, AutomaticRiskSignalCleared, RiskStatusChanged } from './risk-register.events';
import { idsOf, statusChange } from './risk-lifecycle.decisions';
import { riskMustBeOpen, riskMustExist } from './risk.rules';
import type { AutomaticOrigin, RegisteredRisk, RiskState } from './risk.state';
import { localIdMustBeValid, requiredText, uuidMustBeValid } from './register.rules';

/** The contract's bounds of one piece of evidence: it travels in every event of the risk, whatever the plan's size. */
export const EVIDENCE_LIMITS = { events: 20, measurements: 20, thresholds: 10 } as const;

export function evidenceMustBeBounded(evidence: AutomaticRiskEvidence): AutomaticRiskEvidence {
  const { events, measurements, thresholds } = evidence;
  if (events.length === 0) throw invalid('AUTOMATIC_RISK_EVIDENCE_REQUIRED', 'Evidence names at least one event');
  if (events.length > EVIDENCE_LIMITS.events || measurements.length > EVIDENCE_LIMITS.measurements || thresholds.length > EVIDENCE_LIMITS.thresholds) {
    throw invalid('AUTOMATIC_RISK_EVIDENCE_TOO_LARGE', 'Evidence is bounded', { ...EVIDENCE_LIMITS });
  }
  return evidence;
}

function generationMustBeValid(generation: number): number {
  if (!Number.isSafeInteger(generation) || generation < 0) throw invalid('AUTOMATIC_RISK_GENERATION_INVALID', 'generation is a whole number from 0', { generation });
  return generation;
}

export function riskMustBeAutomatic(state: RegisteredRisk): AutomaticOrigin {
  if (state.risk.automatic === null) throw conflict('RISK_NOT_AUTOMATIC', 'The risk was identified by a person, not raised by a rule');
  return state.risk.automatic;
}

/** The figures, not the event that carried them: the same figures again are no new evidence. */
const sameFigures = (a: AutomaticRiskEvidence, b: AutomaticRiskEvidence): boolean =>
  a.asOf === b.asOf && sameValue(a.measurements, b.measurements) && sameValue(a.thresholds, b.thresholds);

/**
 * A rule raises a threat. Its id is derived from tenant, rule, subject and generation (ADR 0303), so a raise for the
 * same rule and subject on an existing risk is a replay or a duplicate: it changes nothing.
 */
export function raiseAutomaticRisk(command: RaiseAutomaticRisk, state: RiskState): AutomaticRiskRaised[] {
  const { data, metadata } = command;
  if (state.status !== 'not-identified') {
    const origin = state.risk.automatic;
    if (origin !== null && origin.ruleId === data.ruleId && sameValue(origin.subject, data.subject)) return [];
    throw conflict('RISK_ALREADY_IDENTIFIED', `Risk ${data.riskId} already exists`, { riskId: data.riskId });
  }
  return [
    {
      type: 'AutomaticRiskRaised',
      data: {
        riskId: uuidMustBeValid('riskId', data.riskId),
        projectId: uuidMustBeValid('projectId', data.projectId),
        ruleId: data.ruleId,
        subject: data.subject,
        generation: generationMustBeValid(data.generation),
        title: requiredText('title', data.title, 'title'),
        cause: requiredText('cause', data.cause, 'statement'),
        event: requiredText('event', data.event, 'statement'),
        effect: requiredText('effect', data.effect, 'statement'),
        categoryId: localIdMustBeValid('categoryId', data.categoryId),
        evidence: evidenceMustBeBounded(data.evidence),
        raisedBy: metadata.actor,
        raisedAt: metadata.now,
      },
    },
  ];
}

/** The signal stays: new figures are recorded (and withdraw a closure proposal); the same figures change nothing. */
export function recordAutomaticRiskEvidence(command: RecordAutomaticRiskEvidence, state: RiskState): AutomaticRiskEvidenceRecorded[] {
  riskMustExist(state);
  const origin = riskMustBeAutomatic(state);
  riskMustBeOpen(state);
  const evidence = evidenceMustBeBounded(command.data.evidence);
  if (!origin.closureProposed && sameFigures(origin.evidence, evidence)) return [];
  return [{ type: 'AutomaticRiskEvidenceRecorded', data: { ...idsOf(state), ruleId: origin.ruleId, evidence, recordedAt: command.metadata.now } }];
}

/**
 * The signal cleared: closed, or its closure proposed to the owner, as the tenant set the rule. A closed risk, or one
 * whose closure is already proposed, changes nothing; an occurred risk is an issue now and stays as it is.
 */
export function clearAutomaticRiskSignal(command: ClearAutomaticRiskSignal, state: RiskState): Array<AutomaticRiskSignalCleared | RiskStatusChanged> {
  riskMustExist(state);
  const origin = riskMustBeAutomatic(state);
  if (state.status === 'closed') return [];
  riskMustBeOpen(state);
  const { evidence: given, onClear } = command.data;
  const evidence = evidenceMustBeBounded(given);
  if (onClear === 'propose-closure' && origin.closureProposed) return [];
  const outcome = onClear === 'close' ? 'closed' : 'closure-proposed';
  const cleared: AutomaticRiskSignalCleared = { type: 'AutomaticRiskSignalCleared', data: { ...idsOf(state), ruleId: origin.ruleId, evidence, outcome, clearedAt: command.metadata.now } };
  if (outcome === 'closure-proposed') return [cleared];
  return [cleared, statusChange(state, 'closed', 'The signal that raised this risk cleared', command.metadata)];
}
