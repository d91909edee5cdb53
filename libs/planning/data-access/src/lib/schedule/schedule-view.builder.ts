import { DomainError, outlineLevel, projectVariance, taskVariances, wbsCodes, wbsOrder, workPackagesUnder, workingDaysInRange } from '@pm/planning/domain';
import { dataDateOf, publishedOf } from '@pm/planning/domain';
import type { OpenedSchedule, ProjectVariance, ScheduleState, TaskDates, TaskVariance, WbsTask } from '@pm/planning/domain';

export interface ScheduledDates {
  readonly start: string;
  readonly finish: string;
  readonly earlyStart: string;
  readonly earlyFinish: string;
  readonly lateStart: string;
  readonly lateFinish: string;
  /** Working days. */
  readonly totalFloat: number;
  readonly freeFloat: number;
  readonly critical: boolean;
}

export interface ScheduleTaskView extends Partial<ScheduledDates> {
  readonly taskId: string;
  readonly name: string;
  readonly kind: WbsTask['kind'];
  readonly wbsCode: string;
  readonly outlineLevel: number;
  readonly parentId: string | null;
  readonly durationDays: number;
  readonly percentComplete: number;
  /** Planned work in hours; a summary's is the sum of its work packages' (null when none has any). */
  readonly workHours: number | null;
  /** Budgeted cost; a summary's is the sum of its work packages'. */
  readonly costBudget: number | null;
  /** Actual cost recorded on the task (or summed over a summary's work packages). */
  readonly actualCost: number;
  readonly actualStart: string | null;
  readonly actualFinish: string | null;
  readonly constraint: WbsTask['constraint'];
}

export interface ScheduleView {
  readonly projectId: string;
  readonly version: number;
  readonly projectStart: string;
  readonly projectFinish: string;
  readonly statusDate: string | null;
  readonly criticalPaths: ReadonlyArray<readonly string[]>;
  readonly tasks: readonly ScheduleTaskView[];
  readonly dependencies: ReadonlyArray<{ dependencyId: string; predecessorId: string; successorId: string; type: string; lagDays: number }>;
}

export function openedScheduleOf(state: ScheduleState, projectId: string): OpenedSchedule {
  if (state.status !== 'open') throw new DomainError('SCHEDULE_NOT_OPEN', 'not-found', `Project ${projectId} has no schedule`, { projectId });
  return state;
}

const min = (values: readonly string[]): string => values.reduce((a, b) => (b < a ? b : a));
const max = (values: readonly string[]): string => values.reduce((a, b) => (b > a ? b : a));

/** A summary spans its work packages: earliest starts, latest finishes, the least float among them. */
function rolledUp(state: OpenedSchedule, taskId: string): ScheduledDates | undefined {
  const parts = workPackagesUnder(state, taskId)
    .flatMap((t) => publishedOf(state, t.taskId) ?? []);
  if (parts.length === 0) return undefined;
  return {
    start: min(parts.map((p) => p.start)),
    finish: max(parts.map((p) => p.finish)),
    earlyStart: min(parts.map((p) => p.earlyStart)),
    earlyFinish: max(parts.map((p) => p.earlyFinish)),
    lateStart: min(parts.map((p) => p.lateStart)),
    lateFinish: max(parts.map((p) => p.lateFinish)),
    totalFloat: Math.min(...parts.map((p) => p.totalFloat)),
    freeFloat: Math.min(...parts.map((p) => p.freeFloat)),
    critical: parts.some((p) => p.critical),
  };
}

function datesOf(state: OpenedSchedule, task: WbsTask): ScheduledDates | undefined {
  if (task.kind === 'summary') return rolledUp(state, task.taskId);
  const p = publishedOf(state, task.taskId);
  return p && { start: p.start, finish: p.finish, earlyStart: p.earlyStart, earlyFinish: p.earlyFinish, lateStart: p.lateStart, lateFinish: p.lateFinish, totalFloat: p.totalFloat, freeFloat: p.freeFloat, critical: p.critical };
}

/** Summary percent complete is weighted by duration, as Microsoft Project rolls it up. */
function percentComplete(state: OpenedSchedule, task: WbsTask): number {
  if (task.kind !== 'summary') return task.percentComplete;
  const parts = workPackagesUnder(state, task.taskId);
  const total = parts.reduce((sum, t) => sum + t.durationDays, 0);
  return total === 0 ? 0 : parts.reduce((sum, t) => sum + t.durationDays * t.percentComplete, 0) / total;
}

/** A summary's figure is the sum over its work packages; null when none of them has one. */
function summed(state: OpenedSchedule, task: WbsTask, field: 'workHours' | 'costBudget'): number | null {
  if (task.kind !== 'summary') return task[field];
  const values = workPackagesUnder(state, task.taskId)
    .map((t) => t[field])
    .filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

function actualCostOf(state: OpenedSchedule, task: WbsTask): number {
  if (task.kind !== 'summary') return task.actualCost;
  return workPackagesUnder(state, task.taskId).reduce((sum, t) => sum + t.actualCost, 0);
}

export function buildScheduleView(schedule: ScheduleState, projectId: string, version: number): ScheduleView {
  const state = openedScheduleOf(schedule, projectId);
  const codes = wbsCodes(state);
  const tasks = wbsOrder(state).flatMap((taskId): ScheduleTaskView[] => {
    const task = state.tasks.get(taskId);
    if (!task) return [];
    const dates = datesOf(state, task);
    const durationDays = task.kind === 'summary' && dates ? workingDaysInRange(state.calendar, dates.start, dates.finish) : task.durationDays;
    return [{
      taskId,
      name: task.name,
      kind: task.kind,
      wbsCode: codes.get(taskId) ?? '',
      outlineLevel: outlineLevel(state, taskId),
      parentId: task.parentId,
      durationDays,
      ...dates,
      percentComplete: percentComplete(state, task),
      workHours: summed(state, task, 'workHours'),
      costBudget: summed(state, task, 'costBudget'),
      actualCost: actualCostOf(state, task),
      actualStart: task.actualStart,
      actualFinish: task.actualFinish,
      constraint: task.constraint,
    }];
  });
  return {
    projectId,
    version,
    projectStart: state.projectStart,
    projectFinish: state.lastCalculation?.projectFinish ?? state.projectStart,
    statusDate: dataDateOf(state),
    criticalPaths: state.lastCalculation?.criticalPaths ?? [],
    tasks,
    dependencies: [...state.dependencies.values()].map((d) => ({
      dependencyId: d.dependencyId,
      predecessorId: d.predecessorId,
      successorId: d.successorId,
      type: d.dependencyType,
      lagDays: d.lagDays,
    })),
  };
}

/** Current dates of every task the calculation has dated, summaries rolled up. */
export function currentDatesOf(state: OpenedSchedule): Map<string, TaskDates> {
  const dates = new Map<string, TaskDates>();
  for (const taskId of wbsOrder(state)) {
    const task = state.tasks.get(taskId);
    const d = task && datesOf(state, task);
    if (d) dates.set(taskId, { start: d.start, finish: d.finish });
  }
  return dates;
}

export interface VarianceView {
  readonly projectId: string;
  readonly baselineNumber: number;
  readonly project: ProjectVariance | null;
  readonly tasks: ReadonlyArray<TaskVariance & { wbsCode: string; name: string }>;
}

export function buildVarianceView(schedule: ScheduleState, projectId: string, baselineNumber: number): VarianceView {
  const state = openedScheduleOf(schedule, projectId);
  const current = currentDatesOf(state);
  const codes = wbsCodes(state);
  return {
    projectId,
    baselineNumber,
    project: projectVariance(state, baselineNumber, current),
    tasks: taskVariances(state, baselineNumber, current).map((v) => ({ ...v, wbsCode: codes.get(v.taskId) ?? '', name: state.tasks.get(v.taskId)?.name ?? v.taskId })),
  };
}
