import { conflict, notFound } from '@pm/shared/ddd';
import type { FlagMitigationActionOverdue, FlagRiskReviewOverdue } from './risk.commands';
import type { MitigationActionOverdue, RiskReviewOverdue } from './risk-register.events';
import { idsOf } from './risk-lifecycle.decisions';
import { riskMustExist } from './risk.rules';
import type { RiskState } from './risk.state';
import { dateMustBeCalendarDate, dayOf } from './register.rules';

/**
 * Overdue reviews and mitigation actions (ADR 0302). A date is due until its due moment: the one the service computed
 * on the tenant's calendar and time zone (`dueMoment`, passed as `overdueAt`), else the end of its day in UTC. The scheduler fires when that moment comes; what
 * happened meanwhile decides: a closed or occurred risk, a rescheduled review, a completed action or one already
 * flagged is no longer pending and nothing is raised. Only a firing before the due moment is refused (a clock bug).
 */

export const isPastDue = (dueOn: string, now: string): boolean => dayOf(now) > dueOn;

function mustBePastDue(code: string, dueOn: string, now: string, overdueAt: string | undefined): void {
  const past = overdueAt === undefined ? isPastDue(dueOn, now) : Date.parse(now) >= Date.parse(overdueAt);
  if (!past) throw conflict(code, `${dueOn} is not over yet`, { dueOn, now, ...(overdueAt === undefined ? {} : { overdueAt }) });
}

const isSettled = (state: RiskState): boolean => state.status === 'closed' || state.status === 'occurred';

export function flagRiskReviewOverdue(command: FlagRiskReviewOverdue, state: RiskState): RiskReviewOverdue[] {
  riskMustExist(state);
  const reviewOn = dateMustBeCalendarDate('reviewOn', command.data.reviewOn);
  if (isSettled(state) || state.risk.reviewOn !== reviewOn || state.risk.reviewOverdueOn === reviewOn) return [];
  mustBePastDue('RISK_REVIEW_NOT_DUE', reviewOn, command.metadata.now, command.data.overdueAt);
  const { actor, now } = command.metadata;
  return [{ type: 'RiskReviewOverdue', data: { ...idsOf(state), reviewOn, ownerId: state.risk.ownerId, flaggedBy: actor, flaggedAt: now } }];
}

export function flagMitigationActionOverdue(command: FlagMitigationActionOverdue, state: RiskState): MitigationActionOverdue[] {
  riskMustExist(state);
  const action = state.risk.actions.get(command.data.actionId);
  if (action === undefined) throw notFound('MITIGATION_ACTION_NOT_FOUND', `No mitigation action ${String(command.data.actionId)} on this risk`, { actionId: command.data.actionId });
  if (isSettled(state) || action.completed || action.overdue) return [];
  mustBePastDue('MITIGATION_ACTION_NOT_DUE', action.dueOn, command.metadata.now, command.data.overdueAt);
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
