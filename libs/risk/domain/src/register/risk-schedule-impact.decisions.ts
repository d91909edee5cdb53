import { conflict, invalid, sameValue } from '@pm/shared/ddd';
import type { DefineRiskScheduleImpact } from './risk.commands';
import type { RiskScheduleImpactDefined, RiskTaskDelay } from './risk-register.events';
import { idsOf } from './risk-lifecycle.decisions';
import { riskMustBeOpen, riskMustExist } from './risk.rules';
import type { RiskState } from './risk.state';
import { localIdMustBeValid } from './register.rules';

/** Mirrors the contract's MAX_RISK_SCHEDULE_IMPACT_TASKS and MAX_RISK_DELAY_DAYS (a domain lib imports only types). */
export const MAX_SCHEDULE_IMPACT_TASKS = 50;
export const MAX_DELAY_DAYS = 1000;

const UNKNOWN_IDS_SHOWN = 10;

/** A delay is a three-point estimate of working days: 0 ≤ min ≤ mostLikely ≤ max ≤ 1000, and max above 0. */
export function delayMustBeOrdered(taskId: string, delayDays: RiskTaskDelay['delayDays']): RiskTaskDelay['delayDays'] {
  const { min, mostLikely, max } = delayDays ?? ({} as RiskTaskDelay['delayDays']);
  const days = [min, mostLikely, max];
  if (!days.every((d) => typeof d === 'number' && Number.isFinite(d) && d >= 0 && d <= MAX_DELAY_DAYS) || max <= 0) {
    throw invalid('RISK_DELAY_INVALID', `The delay of task ${taskId} is a number of working days in [0, ${MAX_DELAY_DAYS}], its max above 0`, { taskId });
  }
  if (!(min <= mostLikely && mostLikely <= max)) {
    throw invalid('RISK_DELAY_NOT_ORDERED', `The delay of task ${taskId} needs min <= mostLikely <= max`, { taskId, min, mostLikely, max });
  }
  return { min, mostLikely, max };
}

/** Each task once, at most 50, each a valid id: the link is kept in task id order so that the same link in another order is no change. */
export function scheduleImpactMustBeValid(tasks: readonly RiskTaskDelay[]): RiskTaskDelay[] {
  if (!Array.isArray(tasks)) throw invalid('RISK_SCHEDULE_IMPACT_INVALID', 'tasks must be a list');
  if (tasks.length > MAX_SCHEDULE_IMPACT_TASKS) {
    throw invalid('RISK_SCHEDULE_IMPACT_TOO_MANY_TASKS', `A risk delays at most ${MAX_SCHEDULE_IMPACT_TASKS} tasks`, { cap: MAX_SCHEDULE_IMPACT_TASKS, given: tasks.length });
  }
  const seen = new Set<string>();
  const link = tasks.map(({ taskId, delayDays }) => {
    const id = localIdMustBeValid('taskId', taskId);
    if (seen.has(id)) throw invalid('RISK_SCHEDULE_IMPACT_DUPLICATE_TASK', `Task ${id} is named twice`, { taskId: id });
    seen.add(id);
    return { taskId: id, delayDays: delayMustBeOrdered(id, delayDays) };
  });
  return link.sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
}

/** When the plan copy holds the project's schedule, every linked task must be one of its work tasks (not a summary). */
export function tasksMustBeInPlan(link: readonly RiskTaskDelay[], knownTaskIds: readonly string[] | null): void {
  if (knownTaskIds === null) return;
  const known = new Set(knownTaskIds);
  const unknown = link.map((t) => t.taskId).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw invalid('RISK_SCHEDULE_IMPACT_UNKNOWN_TASK', `${unknown.length} task(s) are not work tasks of the project's schedule`, { taskIds: unknown.slice(0, UNKNOWN_IDS_SHOWN) });
  }
}

/**
 * Links a threat to the tasks it delays (ADR 0305). Only open threats: a closed risk is history, an occurred one is an
 * issue, and an opportunity's schedule gain is not modelled as a delay. The same link again decides nothing.
 */
export function defineRiskScheduleImpact(command: DefineRiskScheduleImpact, state: RiskState): RiskScheduleImpactDefined[] {
  riskMustExist(state);
  riskMustBeOpen(state);
  if (state.risk.kind !== 'threat') throw conflict('RISK_SCHEDULE_IMPACT_NOT_A_THREAT', 'Only a threat delays tasks; an opportunity is not linked to the schedule');
  const tasks = scheduleImpactMustBeValid(command.data.tasks);
  if (sameValue(tasks, state.risk.scheduleImpact)) return [];
  tasksMustBeInPlan(tasks, command.knownTaskIds);
  const { actor, now } = command.metadata;
  return [{ type: 'RiskScheduleImpactDefined', data: { ...idsOf(state), tasks, definedBy: actor, definedAt: now } }];
}
