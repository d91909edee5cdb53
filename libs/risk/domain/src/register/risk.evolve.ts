import { ignoreUnknownEvent } from '@pm/shared/ddd';
import type { RiskStreamEvent } from './risk-register.events';
import type { RiskState } from './risk.state';

/**
 * Folds one event into the state, in place (ADR 0008: a state belongs to the fold that built it). Events for a risk
 * that was never identified, or for a response or action the risk does not have, change nothing: evolve never throws.
 */
export function evolveRisk(state: RiskState, event: RiskStreamEvent): RiskState {
  if (event.type === 'RiskIdentified') {
    const { identifiedBy: _by, identifiedAt: _at, ...identification } = event.data;
    return {
      status: 'identified',
      risk: {
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
      },
    };
  }
  if (state.status === 'not-identified') return state;
  const { risk } = state;
  switch (event.type) {
    case 'RiskAssessed': {
      const { inherent, residual, rating, matrixRevision } = event.data;
      risk.assessment = { inherent, residual, rating, matrixRevision };
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
    default:
      return ignoreUnknownEvent(state, event);
  }
}
