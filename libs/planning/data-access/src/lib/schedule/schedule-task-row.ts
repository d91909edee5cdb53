import type { PublishedTaskSchedule, WbsTask } from '@pm/planning/domain';

/** A task as the read model stores it: the WBS record, where it sits (its WBS code as integers) and its last CPM result. */
export interface TaskRow extends WbsTask {
  readonly wbsPath: readonly number[];
  readonly published: PublishedTaskSchedule | null;
}

/** The columns of planning_schedule_tasks, in the order of TASK_COLUMNS. */
export interface TaskRecord {
  task_id: string;
  parent_id: string | null;
  wbs_path: number[];
  name: string;
  kind: WbsTask['kind'];
  duration_days: number;
  work_hours: number | null;
  cost_budget: number | null;
  task_constraint: WbsTask['constraint'];
  three_point: WbsTask['threePoint'];
  actual_start: string | null;
  actual_finish: string | null;
  percent_complete: number;
  remaining_duration_days: number | null;
  actual_cost: number;
  published: PublishedTaskSchedule | null;
}

export const TASK_COLUMNS =
  'task_id, parent_id, wbs_path, name, kind, duration_days, work_hours, cost_budget, task_constraint, three_point, actual_start, actual_finish, percent_complete, remaining_duration_days, actual_cost, published';

/** The same columns typed for jsonb_to_recordset, so a batch of rows is one statement. */
export const TASK_RECORDSET =
  'task_id text, parent_id text, wbs_path integer[], name text, kind text, duration_days double precision, work_hours double precision, cost_budget double precision, task_constraint jsonb, three_point jsonb, actual_start text, actual_finish text, percent_complete double precision, remaining_duration_days double precision, actual_cost double precision, published jsonb';

export function toTaskRow(r: TaskRecord): TaskRow {
  return {
    taskId: r.task_id,
    parentId: r.parent_id,
    wbsPath: r.wbs_path,
    name: r.name,
    kind: r.kind,
    durationDays: r.duration_days,
    workHours: r.work_hours,
    costBudget: r.cost_budget,
    constraint: r.task_constraint,
    threePoint: r.three_point,
    actualStart: r.actual_start,
    actualFinish: r.actual_finish,
    percentComplete: r.percent_complete,
    remainingDurationDays: r.remaining_duration_days,
    actualCost: r.actual_cost,
    published: r.published,
  };
}

export function toTaskRecord(t: TaskRow): TaskRecord {
  return {
    task_id: t.taskId,
    parent_id: t.parentId,
    wbs_path: [...t.wbsPath],
    name: t.name,
    kind: t.kind,
    duration_days: t.durationDays,
    work_hours: t.workHours,
    cost_budget: t.costBudget,
    task_constraint: t.constraint,
    three_point: t.threePoint,
    actual_start: t.actualStart,
    actual_finish: t.actualFinish,
    percent_complete: t.percentComplete,
    remaining_duration_days: t.remainingDurationDays,
    actual_cost: t.actualCost,
    published: t.published,
  };
}

export function toWbsTask(row: TaskRow): WbsTask {
  const { wbsPath: _path, published: _published, ...task } = row;
  return task;
}

/** Everything strictly after a path's subtree: `{1,2}` ends before `{1,3}` (the root's subtree never ends). */
export function subtreeEnd(path: readonly number[]): number[] | null {
  if (path.length === 0) return null;
  return [...path.slice(0, -1), path[path.length - 1] + 1];
}

export const wbsCodeOf = (path: readonly number[]): string => path.join('.');
