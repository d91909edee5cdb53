import { ignoreUnknownEvent } from '@pm/shared/ddd';
import type { AutomaticRiskRaised, RiskStreamEvent } from './risk-register.events';
import type { RegisteredRisk, RiskRecord, RiskState } from './risk.state';

function newRecord(identification: RiskRecord['identification']): RiskRecord {
  return {
    identification,
    kind: identification.kind,
    ownerId: identification.ownerId,
    reviewOn: null,
    reviewOverdueOn: null,
    assessment: null,
    responses: new Map(),
    actions: new Map(),
    secondaryRisks: new Map(),
    occurredOn: null,
    automatic: null,
    scheduleImpact: [],
  };
}

/** An automatic risk is a threat of the register like any other, identified by its rule rather than by a person. */
function automaticRisk(event: AutomaticRiskRaised): RegisteredRisk {
  const { riskId, projectId, title, cause, event: riskEvent, effect, categoryId, ruleId, subject, generation, evidence } = event.data;
  const risk = newRecord({ riskId, projectId, kind: 'threat', title, cause, event: riskEvent, effect, categoryId, ownerId: null, proximity: null, triggers: [] });
  risk.automatic = { ruleId, subject, generation, evidence, closureProposed: false };
  return { status: 'identified', risk };
}

/**
 * Folds one event into the state, in place (ADR 0008: a state belongs to the fold that built it). Events for a risk
 * that was never identified, or for a response or action the risk does not have, change nothing: evolve never throws.
 */
export function evolveRisk(state: RiskState, event: RiskStreamEvent): RiskState {
  if (event.type === 'RiskIdentified') {
    const { identifiedBy: _by, identifiedAt: _at, ...identification } = event.data;
    return { status: 'identified', risk: newRecord(identification) };
  }
  if (event.type === 'AutomaticRiskRaised') return state.status === 'not-identified' ? automaticRisk(event) : state;
  if (state.status === 'not-identified') return state;
  const { risk } = state;
  switch (event.type) {
    case 'RiskAssessed': {
      const { inherent, residual, rating, matrixRevision, costImpact, expectedCost } = event.data;
      risk.assessment = { inherent, residual, rating, matrixRevision, costImpact, expectedCost };
      return state;
    }
    case 'RiskStatusChanged':
      state.status = event.data.to;
      return state;
    case 'RiskOwnerAssigned':
      risk.ownerId = event.data.ownerId;
      return state;
    case 'RiskReviewScheduled':
      risk.reviewOn = event.data.reviewOn;
      risk.reviewOverdueOn = null;
      return state;
    case 'RiskOccurred':
      risk.occurredOn = event.data.occurredOn;
      return state;
    case 'ResponsePlanned': {
      const { responseId, strategy, description } = event.data;
      risk.responses.set(responseId, { responseId, strategy, description });
      return state;
    }
    case 'MitigationActionAdded': {
      const { actionId, responseId, description, ownerId, dueOn, cost } = event.data;
      risk.actions.set(actionId, { actionId, responseId, description, ownerId, dueOn, cost, completed: false, overdue: false });
      return state;
    }
    case 'MitigationActionCompleted': {
      const action = risk.actions.get(event.data.actionId);
      if (action !== undefined) action.completed = true;
      return state;
    }
    case 'RiskReviewOverdue':
      risk.reviewOverdueOn = event.data.reviewOn;
      return state;
    case 'MitigationActionOverdue': {
      const action = risk.actions.get(event.data.actionId);
      if (action !== undefined) action.overdue = true;
      return state;
    }
    case 'SecondaryRiskLinked':
      risk.secondaryRisks.set(event.data.secondaryRiskId, event.data.responseId);
      return state;
    case 'RiskScheduleImpactDefined':
      risk.scheduleImpact = event.data.tasks;
      return state;
    case 'AutomaticRiskEvidenceRecorded':
      if (risk.automatic !== null) {
        risk.automatic.evidence = event.data.evidence;
        risk.automatic.closureProposed = false;
      }
      return state;
    case 'AutomaticRiskSignalCleared':
      if (risk.automatic !== null) {
        risk.automatic.evidence = event.data.evidence;
        risk.automatic.closureProposed = event.data.outcome === 'closure-proposed';
      }
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}
