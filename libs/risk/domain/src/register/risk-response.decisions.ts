import { conflict, invalid, notFound, sameValue } from '@pm/shared/ddd';
import type { AddMitigationAction, CompleteMitigationAction, LinkSecondaryRisk, PlanRiskResponse } from './risk.commands';
import type { MitigationActionAdded, MitigationActionCompleted, Money, ResponsePlanned, RiskStatusChanged, SecondaryRiskLinked } from './risk-register.events';
import { idsOf, statusChange } from './risk-lifecycle.decisions';
import {
  MAX_ACTIONS,
  MAX_RESPONSES,
  MAX_SECONDARY_RISKS,
  responseMustExist,
  riskMustBeOpen,
  riskMustExist,
  strategyMustFitKind,
} from './risk.rules';
import type { MitigationAction, RiskState } from './risk.state';
import { capMustNotBeReached, dateMustNotBePast, localIdMustBeValid, optionalText, requiredText, uuidMustBeValid } from './register.rules';

/**
 * A response needs an assessment to answer (PMI's order: assess, then respond). Planning one moves an assessed or
 * monitored risk to `responding`; the owner moves it on to `monitoring` once the response is in place.
 */
export function planRiskResponse(command: PlanRiskResponse, state: RiskState): [ResponsePlanned] | [ResponsePlanned, RiskStatusChanged] | [] {
  riskMustExist(state);
  riskMustBeOpen(state);
  if (state.status === 'identified') throw conflict('RISK_NOT_ASSESSED', 'Assess the risk before planning a response');
  const responseId = localIdMustBeValid('responseId', command.data.responseId);
  const { strategy } = command.data;
  strategyMustFitKind(strategy, state.risk.kind);
  const response = { responseId, strategy, description: requiredText('description', command.data.description, 'statement') };
  const existing = state.risk.responses.get(responseId);
  if (existing !== undefined) {
    if (sameValue(existing, response)) return [];
    throw conflict('RESPONSE_ALREADY_PLANNED', `Response ${responseId} is already planned differently`, { responseId });
  }
  capMustNotBeReached('RISK_RESPONSE_LIMIT', 'responses per risk', state.risk.responses.size, MAX_RESPONSES);
  const { actor, now } = command.metadata;
  const planned: ResponsePlanned = { type: 'ResponsePlanned', data: { ...idsOf(state), ...response, plannedBy: actor, plannedAt: now } };
  return state.status === 'responding' ? [planned] : [planned, statusChange(state, 'responding', null, command.metadata)];
}

function costMustBeExact(cost: Money | null | undefined): Money | null {
  if (cost === null || cost === undefined) return null;
  const { amountMinor, currency } = cost;
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || !/^[A-Z]{3}$/.test(currency)) {
    throw invalid('MITIGATION_COST_INVALID', 'A cost is a non-negative whole number of minor units with an ISO 4217 currency', { cost });
  }
  return { amountMinor, currency };
}

export function addMitigationAction(command: AddMitigationAction, state: RiskState): MitigationActionAdded[] {
  riskMustExist(state);
  riskMustBeOpen(state);
  const { data, metadata } = command;
  const actionId = localIdMustBeValid('actionId', data.actionId);
  const { responseId } = responseMustExist(state, data.responseId);
  const action: Omit<MitigationAction, 'completed' | 'overdue'> = {
    actionId,
    responseId,
    description: requiredText('description', data.description, 'statement'),
    ownerId: requiredText('ownerId', data.ownerId, 'person'),
    dueOn: dateMustNotBePast('MITIGATION_ACTION_DUE_IN_PAST', 'dueOn', data.dueOn, metadata.now),
    cost: costMustBeExact(data.cost),
  };
  const existing = state.risk.actions.get(actionId);
  if (existing !== undefined) {
    const { completed: _completed, overdue: _overdue, ...recorded } = existing;
    if (sameValue(recorded, action)) return [];
    throw conflict('MITIGATION_ACTION_ALREADY_ADDED', `Action ${actionId} already exists with other details`, { actionId });
  }
  capMustNotBeReached('MITIGATION_ACTION_LIMIT', 'mitigation actions per risk', state.risk.actions.size, MAX_ACTIONS);
  return [{ type: 'MitigationActionAdded', data: { ...idsOf(state), ...action, addedBy: metadata.actor, addedAt: metadata.now } }];
}

export function completeMitigationAction(command: CompleteMitigationAction, state: RiskState): MitigationActionCompleted[] {
  riskMustExist(state);
  riskMustBeOpen(state);
  const { actionId } = command.data;
  const action = state.risk.actions.get(actionId);
  if (action === undefined) throw notFound('MITIGATION_ACTION_NOT_FOUND', `No mitigation action ${String(actionId)} on this risk`, { actionId });
  if (action.completed) return [];
  const note = optionalText('note', command.data.note, 'reason');
  const { actor, now } = command.metadata;
  return [{ type: 'MitigationActionCompleted', data: { ...idsOf(state), actionId, note, completedBy: actor, completedAt: now } }];
}

/** Secondary risks arise from carrying out a response; the service identifies that risk (its own stream) first. */
export function linkSecondaryRisk(command: LinkSecondaryRisk, state: RiskState): SecondaryRiskLinked[] {
  riskMustExist(state);
  riskMustBeOpen(state);
  const { responseId } = responseMustExist(state, command.data.responseId);
  const secondaryRiskId = uuidMustBeValid('secondaryRiskId', command.data.secondaryRiskId);
  const { riskId } = idsOf(state);
  if (secondaryRiskId === riskId) throw invalid('RISK_SECONDARY_IS_ITSELF', 'A risk cannot be its own secondary risk');
  const linkedTo = state.risk.secondaryRisks.get(secondaryRiskId);
  if (linkedTo === responseId) return [];
  if (linkedTo !== undefined) {
    throw conflict('SECONDARY_RISK_ALREADY_LINKED', `Risk ${secondaryRiskId} is already linked to response ${linkedTo}`, { secondaryRiskId, responseId: linkedTo });
  }
  capMustNotBeReached('SECONDARY_RISK_LIMIT', 'secondary risks per risk', state.risk.secondaryRisks.size, MAX_SECONDARY_RISKS);
  const { actor, now } = command.metadata;
  return [{ type: 'SecondaryRiskLinked', data: { ...idsOf(state), responseId, secondaryRiskId, linkedBy: actor, linkedAt: now } }];
}
