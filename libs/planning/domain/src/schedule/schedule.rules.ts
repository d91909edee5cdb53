import { conflict, invalid, notFound } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';
import type { ConstraintType, TaskConstraint, TaskKind } from './schedule.events';
import type { OpenedSchedule, ScheduleState, WbsTask } from './schedule.state';

export function scheduleMustBeOpen(state: ScheduleState): asserts state is OpenedSchedule {
  if (state.status !== 'open') throw notFound('SCHEDULE_NOT_OPEN', 'The project has no schedule yet');
}

export function taskMustExist(state: OpenedSchedule, taskId: string): WbsTask {
  const task = state.tasks.get(taskId);
  if (!task) throw notFound('TASK_NOT_FOUND', `Task ${taskId} is not in the WBS`, { taskId });
  return task;
}

export function dateMustBeValid(field: string, value: string): void {
  if (!isIsoDate(value)) throw invalid('INVALID_DATE', `${field} must be a calendar date YYYY-MM-DD`, { field, value });
}

export function amountMustBeNonNegative(code: string, field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw invalid(code, `${field} must be a finite number >= 0`, { field, value });
}

/** Summary dates, work and cost are rolled up from their children; giving them their own would double count. */
export function summaryValuesAreRolledUp(task: Pick<WbsTask, 'taskId' | 'kind'>, what: string): void {
  if (task.kind === 'summary') {
    throw invalid('SUMMARY_VALUES_ARE_ROLLED_UP', `The ${what} of summary task ${task.taskId} is rolled up from its children`, { taskId: task.taskId });
  }
}

/** A milestone marks a point in time; zero-duration work is a milestone, so a task must take time. */
export function durationMustSuitKind(kind: TaskKind, durationDays: number): void {
  amountMustBeNonNegative('TASK_DURATION_INVALID', 'durationDays', durationDays);
  if (kind === 'milestone' && durationDays !== 0) throw invalid('MILESTONE_DURATION_MUST_BE_ZERO', 'A milestone has zero duration', { durationDays });
  if (kind === 'task' && durationDays === 0) throw invalid('TASK_DURATION_MUST_BE_POSITIVE', 'A zero-duration task is a milestone', { durationDays });
}

export function taskNameMustNotBeBlank(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid('TASK_NAME_REQUIRED', 'A task needs a name');
  return trimmed;
}

/** Only summary tasks group others, as in a WBS: work packages are leaves. */
export function parentMustBeSummary(state: OpenedSchedule, parentId: string | null): void {
  if (parentId === null) return;
  const parent = state.tasks.get(parentId);
  if (!parent) throw notFound('PARENT_TASK_NOT_FOUND', `Parent ${parentId} is not in the WBS`, { parentId });
  if (parent.kind !== 'summary') throw invalid('PARENT_MUST_BE_SUMMARY', `Task ${parentId} is a ${parent.kind}, not a summary`, { parentId });
}

export function positionMustBeInRange(position: number, siblingCount: number): void {
  if (!Number.isInteger(position) || position < 0 || position > siblingCount) {
    throw invalid('WBS_POSITION_OUT_OF_RANGE', `Position must be an integer 0…${siblingCount}`, { position, siblingCount });
  }
}

/** A three-point estimate is only meaningful when optimistic <= most likely <= pessimistic. */
export function threePointMustBeOrdered(optimistic: number, mostLikely: number, pessimistic: number): void {
  for (const [field, value] of [['optimisticDays', optimistic], ['mostLikelyDays', mostLikely], ['pessimisticDays', pessimistic]] as const) {
    amountMustBeNonNegative('THREE_POINT_ESTIMATE_INVALID', field, value);
  }
  if (!(optimistic <= mostLikely && mostLikely <= pessimistic)) {
    throw invalid('THREE_POINT_ESTIMATE_OUT_OF_ORDER', 'Expected optimistic <= most likely <= pessimistic', { optimistic, mostLikely, pessimistic });
  }
}

/** PERT (beta) estimate: mean (o + 4m + p) / 6 and standard deviation (p − o) / 6. */
export const pertEstimate = (optimistic: number, mostLikely: number, pessimistic: number) => ({
  expectedDays: (optimistic + 4 * mostLikely + pessimistic) / 6,
  standardDeviationDays: (pessimistic - optimistic) / 6,
});

const UNDATED_CONSTRAINTS: readonly ConstraintType[] = ['ASAP', 'ALAP'];

export function constraintMustBeComplete(type: ConstraintType, date: string | null | undefined): TaskConstraint {
  if (UNDATED_CONSTRAINTS.includes(type)) {
    if (date !== null && date !== undefined) throw invalid('CONSTRAINT_DATE_NOT_APPLICABLE', `${type} takes no date`, { type });
    return { type, date: null };
  }
  if (date === null || date === undefined) throw invalid('CONSTRAINT_DATE_REQUIRED', `${type} needs a date`, { type });
  dateMustBeValid('constraint.date', date);
  return { type, date };
}

/** Work already done is history the PMO audits: a task with actual progress or cost cannot be deleted. */
export function taskMustHaveNoProgress(task: WbsTask): void {
  if (task.actualStart !== null || task.actualCost > 0) {
    throw conflict('TASK_HAS_PROGRESS', `Task ${task.taskId} has actual progress or cost`, { taskId: task.taskId });
  }
}
