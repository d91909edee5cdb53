import type { WorkingDayCount } from '@pm/planning/domain';
import type { ScheduledDates, ScheduleTaskView } from './schedule-view.builder';
import type { SummaryRollup } from './schedule-rows.repository';
import { wbsCodeOf } from './schedule-task-row';
import type { TaskRow } from './schedule-task-row';

/** The Gantt's columns a client may pick with `?fields=` (the task id always comes along). */
export const SCHEDULE_TASK_FIELDS = [
  'name', 'kind', 'wbsCode', 'outlineLevel', 'parentId', 'durationDays', 'start', 'finish', 'earlyStart', 'earlyFinish', 'lateStart', 'lateFinish',
  'totalFloat', 'freeFloat', 'critical', 'percentComplete', 'workHours', 'costBudget', 'actualCost', 'actualStart', 'actualFinish', 'constraint',
] as const;
export type ScheduleTaskField = (typeof SCHEDULE_TASK_FIELDS)[number];

function datesOf(row: TaskRow, rollup: SummaryRollup | undefined): ScheduledDates | undefined {
  if (row.kind === 'summary') {
    if (!rollup || rollup.dated === 0) return undefined;
    const { start, finish, earlyStart, earlyFinish, lateStart, lateFinish, totalFloat, freeFloat, critical } = rollup;
    return { start, finish, earlyStart, earlyFinish, lateStart, lateFinish, totalFloat, freeFloat, critical } as ScheduledDates;
  }
  const p = row.published;
  return p ? { start: p.start, finish: p.finish, earlyStart: p.earlyStart, earlyFinish: p.earlyFinish, lateStart: p.lateStart, lateFinish: p.lateFinish, totalFloat: p.totalFloat, freeFloat: p.freeFloat, critical: p.critical } : undefined;
}

/**
 * A task row as the schedule view shows it: the same figures buildScheduleView derives from the whole state, a
 * summary's from the roll-up of its subtree (dates, least float, duration-weighted percent complete, sums). A
 * summary's duration is the working days of its span, counted by `workingDays` (one index for the whole page).
 */
export function taskViewOf(row: TaskRow, rollup: SummaryRollup | undefined, workingDays: WorkingDayCount): ScheduleTaskView {
  const dates = datesOf(row, rollup);
  const summary = row.kind === 'summary';
  return {
    taskId: row.taskId,
    name: row.name,
    kind: row.kind,
    wbsCode: wbsCodeOf(row.wbsPath),
    outlineLevel: row.wbsPath.length,
    parentId: row.parentId,
    durationDays: summary && dates ? workingDays(dates.start, dates.finish) : row.durationDays,
    ...dates,
    percentComplete: summary ? (rollup && rollup.days > 0 ? rollup.weightedPercent / rollup.days : 0) : row.percentComplete,
    workHours: summary ? (rollup?.workHours ?? null) : row.workHours,
    costBudget: summary ? (rollup?.costBudget ?? null) : row.costBudget,
    actualCost: summary ? (rollup?.actualCost ?? 0) : row.actualCost,
    actualStart: row.actualStart,
    actualFinish: row.actualFinish,
    constraint: row.constraint,
  };
}

/** Only the picked columns (and the task id); a column without a value (an undated task's dates) stays absent. */
export function pickFields(view: ScheduleTaskView, fields: readonly ScheduleTaskField[] | undefined): Partial<ScheduleTaskView> & { taskId: string } {
  if (!fields) return view;
  // Field names come from the whitelist (SCHEDULE_TASK_FIELDS), never from a client's id; own properties all the same.
  const picked = Object.fromEntries([['taskId', view.taskId], ...fields.filter((field) => view[field] !== undefined).map((field) => [field, view[field]])]);
  return picked as Partial<ScheduleTaskView> & { taskId: string };
}
