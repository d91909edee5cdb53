import { conflict, notFound } from '@pm/shared/ddd';
import type { FlagMitigationActionOverdue, FlagRiskReviewOverdue } from './risk.commands';
import type { MitigationActionOverdue, RiskReviewOverdue } from './risk-register.events';
import { idsOf } from './risk-lifecycle.decisions';
import { riskMustExist } from './risk.rules';
import type { RiskState } from './risk.state';
import { dateMustBeCalendarDate, dayOf } from './register.rules';

/**
 * Overdue reviews and mitigation actions (ADR 0302). A date is due until the end of its day (UTC, the risk service
 * knows no tenant calendar), so it is overdue from the next day on. The scheduler fires when that moment comes; what
 * happened meanwhile decides: a closed or occurred risk, a rescheduled review, a completed action or one already
 * flagged is no longer pending and nothing is raised. Only a firing before the due moment is refused (a clock bug).
 */

export const isPastDue = (dueOn: string, now: string): boolean => dayOf(now) > dueOn;

function mustBePastDue(code: string, dueOn: string, now: string): void {
  if (!isPastDue(dueOn, now)) throw conflict(code, `${dueOn} is not over yet`, { dueOn, now });
}

const isSettled = (state: RiskState): boolean => state.status === 'closed' || state.status === 'occurred';

export function flagRiskReviewOverdue(command: FlagRiskReviewOverdue, state: RiskState): RiskReviewOverdue[] {
  riskMustExist(state);
  const reviewOn = dateMustBeCalendarDate('reviewOn', command.data.reviewOn);
  if (isSettled(state) || state.risk.reviewOn !== reviewOn || state.risk.reviewOverdueOn === reviewOn) return [];
  mustBePastDue('RISK_REVIEW_NOT_DUE', reviewOn, command.metadata.now);
  const { actor, now } = command.metadata;
  return [{ type: 'RiskReviewOverdue', data: { ...idsOf(state), reviewOn, ownerId: state.risk.ownerId, flaggedBy: actor, flaggedAt: now } }];
}

export function flagMitigationActionOverdue(command: FlagMitigationActionOverdue, state: RiskState): MitigationActionOverdue[] {
  riskMustExist(state);
  const action = state.risk.actions.get(command.data.actionId);
  if (action === undefined) throw notFound('MITIGATION_ACTION_NOT_FOUND', `No mitigation action ${String(command.data.actionId)} on this risk`, { actionId: command.data.actionId });
  if (isSettled(state) || action.completed || action.overdue) return [];
  mustBePastDue('MITIGATION_ACTION_NOT_DUE', action.dueOn, command.metadata.now);
  const { actor, now } = command.metadata;
  const { responseId, actionId, ownerId, dueOn } = action;
  return [{ type: 'MitigationActionOverdue', data: { ...idsOf(state), responseId, actionId, ownerId, dueOn, flaggedBy: actor, flaggedAt: now } }];
}

/** The moment a date stops being due: the end of that day in UTC, i.e. the next day's midnight (ISO-8601). */
export function overdueFrom(dueOn: string): string {
  const day = new Date(`${dateMustBeCalendarDate('dueOn', dueOn)}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}
