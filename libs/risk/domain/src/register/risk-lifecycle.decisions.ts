import { conflict, invalid, notFound, sameValue } from '@pm/shared/ddd';
import type { AssignRiskOwner, ChangeRiskStatus, IdentifyRisk, RecordRiskOccurrence, ScheduleRiskReview } from './risk.commands';
import type { RiskIdentified, RiskOccurred, RiskOwnerAssigned, RiskReviewScheduled, RiskStatus, RiskStatusChanged } from './risk-register.events';
import { MAX_TRIGGERS, riskMustBeOpen, riskMustExist, transitionMustBeAllowed } from './risk.rules';
import type { Identification, RegisteredRisk, RiskState } from './risk.state';
import { dateMustBeCalendarDate, dateMustNotBePast, dayOf, localIdMustBeValid, optionalDate, optionalText, requiredText, uuidMustBeValid } from './register.rules';

const RISK_KINDS = ['threat', 'opportunity'];

function identificationOf(command: IdentifyRisk): Identification {
  const { data, settings } = command;
  if (!RISK_KINDS.includes(data.kind)) throw invalid('RISK_KIND_INVALID', 'A risk is a threat or an opportunity', { kind: data.kind });
  const categoryId = localIdMustBeValid('categoryId', data.categoryId);
  if (!settings.categories.has(categoryId)) {
    throw notFound('RISK_CATEGORY_NOT_FOUND', `No category ${categoryId} in the tenant's risk breakdown structure`, { categoryId });
  }
  const triggers = (data.triggers ?? []).map((t, i) => optionalText(`triggers[${i}]`, t, 'trigger')).filter((t): t is string => t !== null);
  if (triggers.length > MAX_TRIGGERS) throw invalid('RISK_TOO_MANY_TRIGGERS', `At most ${MAX_TRIGGERS} triggers`, { cap: MAX_TRIGGERS });
  return {
    riskId: uuidMustBeValid('riskId', data.riskId),
    projectId: uuidMustBeValid('projectId', data.projectId),
    kind: data.kind,
    title: requiredText('title', data.title, 'title'),
    cause: requiredText('cause', data.cause, 'statement'),
    event: requiredText('event', data.event, 'statement'),
    effect: requiredText('effect', data.effect, 'statement'),
    categoryId,
    ownerId: optionalText('ownerId', data.ownerId, 'person'),
    proximity: optionalDate('proximity', data.proximity),
    triggers,
  };
}

/** A retried identification is a no-op; another risk under a taken id is a conflict. */
export function identifyRisk(command: IdentifyRisk, state: RiskState): RiskIdentified[] {
  const identification = identificationOf(command);
  if (state.status !== 'not-identified') {
    if (sameValue(state.risk.identification, identification)) return [];
    throw conflict('RISK_ALREADY_IDENTIFIED', `Risk ${identification.riskId} already exists`, { riskId: identification.riskId });
  }
  return [{ type: 'RiskIdentified', data: { ...identification, identifiedBy: command.metadata.actor, identifiedAt: command.metadata.now } }];
}

export const idsOf = (state: RegisteredRisk) => ({ riskId: state.risk.identification.riskId, projectId: state.risk.identification.projectId });

export function statusChange(state: RegisteredRisk, to: RiskStatus, reason: string | null, metadata: { actor: string; now: string }): RiskStatusChanged {
  return { type: 'RiskStatusChanged', data: { ...idsOf(state), from: state.status, to, reason, changedBy: metadata.actor, changedAt: metadata.now } };
}

const SETTABLE = ['responding', 'monitoring', 'closed'];

export function changeRiskStatus(command: ChangeRiskStatus, state: RiskState): RiskStatusChanged[] {
  riskMustExist(state);
  const { to } = command.data;
  if (!SETTABLE.includes(to)) {
    throw invalid('RISK_STATUS_NOT_SETTABLE', `${String(to)} is not set by hand: assess the risk or record its occurrence`, { to });
  }
  if (state.status === to) return [];
  transitionMustBeAllowed(state.status, to);
  if (to === 'responding' && state.risk.responses.size === 0) throw conflict('RISK_HAS_NO_RESPONSE', 'Plan a response before responding');
  const reason = optionalText('reason', command.data.reason, 'reason');
  if (to === 'closed' && reason === null) throw invalid('RISK_CLOSURE_REASON_REQUIRED', 'Say why the risk is closed');
  return [statusChange(state, to, reason, command.metadata)];
}

export function assignRiskOwner(command: AssignRiskOwner, state: RiskState): RiskOwnerAssigned[] {
  riskMustExist(state);
  riskMustBeOpen(state);
  const ownerId = requiredText('ownerId', command.data.ownerId, 'person');
  const previousOwnerId = state.risk.ownerId;
  if (previousOwnerId === ownerId) return [];
  const { actor, now } = command.metadata;
  return [{ type: 'RiskOwnerAssigned', data: { ...idsOf(state), ownerId, previousOwnerId, assignedBy: actor, assignedAt: now } }];
}

export function scheduleRiskReview(command: ScheduleRiskReview, state: RiskState): RiskReviewScheduled[] {
  riskMustExist(state);
  riskMustBeOpen(state);
  const reviewOn = dateMustNotBePast('RISK_REVIEW_IN_PAST', 'reviewOn', command.data.reviewOn, command.metadata.now);
  const previousReviewOn = state.risk.reviewOn;
  if (previousReviewOn === reviewOn) return [];
  const { actor, now } = command.metadata;
  return [{ type: 'RiskReviewScheduled', data: { ...idsOf(state), reviewOn, previousReviewOn, scheduledBy: actor, scheduledAt: now } }];
}

/**
 * The risk event happened. The risk records it and moves to `occurred`; raising the issue is a decision on another
 * stream (RaiseIssue with this risk as its source), taken by the service in the same plan.
 */
export function recordRiskOccurrence(command: RecordRiskOccurrence, state: RiskState): [RiskOccurred, RiskStatusChanged] | [] {
  riskMustExist(state);
  const occurredOn = dateMustBeCalendarDate('occurredOn', command.data.occurredOn);
  if (state.status === 'occurred') {
    if (state.risk.occurredOn === occurredOn) return [];
    throw conflict('RISK_ALREADY_OCCURRED', `The risk occurred on ${String(state.risk.occurredOn)}`, { occurredOn: state.risk.occurredOn });
  }
  riskMustBeOpen(state);
  if (occurredOn > dayOf(command.metadata.now)) throw invalid('RISK_OCCURRENCE_IN_FUTURE', 'A risk cannot have occurred after today', { occurredOn });
  const description = requiredText('description', command.data.description, 'statement');
  const { actor, now } = command.metadata;
  const { kind, title } = state.risk.identification;
  return [
    { type: 'RiskOccurred', data: { ...idsOf(state), kind, title, occurredOn, description, recordedBy: actor, recordedAt: now } },
    statusChange(state, 'occurred', null, command.metadata),
  ];
}
