import { notFound } from '@pm/shared/ddd';
import type { TaskDates } from './schedule.commands';
import type { OpenedSchedule, Baseline, WbsTask } from './schedule.state';
import { rolledUpWork, workPackagesUnder } from './wbs';
import { workingDayDifference, workingDaysInRange } from './project-calendar';

export interface Variance<T> {
  readonly baseline: T;
  readonly current: T;
  /** current − baseline: positive means later, longer, dearer, more work. */
  readonly variance: number;
}

export interface TaskVariance {
  readonly taskId: string;
  readonly start: Variance<string>;
  readonly finish: Variance<string>;
  readonly durationDays: Variance<number>;
  readonly cost: Variance<number>;
  readonly workHours: Variance<number>;
}

export type ProjectVariance = Omit<TaskVariance, 'taskId'> & { readonly baselineNumber: number };

export function baselineMustExist(state: OpenedSchedule, baselineNumber: number): Baseline {
  const baseline = state.baselines.get(baselineNumber);
  if (!baseline) throw notFound('BASELINE_NOT_FOUND', `Baseline ${baselineNumber} was never saved`, { baselineNumber });
  return baseline;
}

/**
 * Cost at completion as Microsoft Project's Cost field: actual cost so far plus the budget share of the
 * work still to do. A finished task costs what it actually cost.
 */
export function costAtCompletion(task: WbsTask): number {
  if (task.actualFinish !== null) return task.actualCost;
  return task.actualCost + ((task.costBudget ?? 0) * (100 - task.percentComplete)) / 100;
}

const costAtCompletionUnder = (state: OpenedSchedule, taskId: string | null): number =>
  workPackagesUnder(state, taskId).reduce((sum, t) => sum + costAtCompletion(t), 0);

const difference = (baseline: number, current: number): Variance<number> => ({ baseline, current, variance: current - baseline });

function dateVariance(state: OpenedSchedule, baseline: string, current: string): Variance<string> {
  return { baseline, current, variance: workingDayDifference(state.calendar, baseline, current) };
}

/**
 * Variances of one task against baseline `baselineNumber`, in working days (dates, duration), hours (work)
 * and money (cost). `current` holds the task's dates as the scheduling engine computes them now.
 */
export function taskVariance(state: OpenedSchedule, baselineNumber: number, taskId: string, current: TaskDates): TaskVariance | null {
  const saved = baselineMustExist(state, baselineNumber).tasks.get(taskId);
  const task = state.tasks.get(taskId);
  // A task added after the baseline has nothing to compare with (Microsoft Project shows "NA").
  if (!saved || !task) return null;
  const duration = task.kind === 'summary' ? workingDaysInRange(state.calendar, current.start, current.finish) : task.durationDays;
  return {
    taskId,
    start: dateVariance(state, saved.start, current.start),
    finish: dateVariance(state, saved.finish, current.finish),
    durationDays: difference(saved.durationDays, duration),
    cost: difference(saved.cost, costAtCompletionUnder(state, taskId)),
    workHours: difference(saved.workHours, rolledUpWork(state, taskId)),
  };
}

export function taskVariances(state: OpenedSchedule, baselineNumber: number, currentDates: ReadonlyMap<string, TaskDates>): TaskVariance[] {
  return [...currentDates]
    .map(([taskId, dates]) => taskVariance(state, baselineNumber, taskId, dates))
    .filter((v): v is TaskVariance => v !== null);
}

const earliest = (dates: readonly string[]): string => dates.reduce((a, b) => (b < a ? b : a));
const latest = (dates: readonly string[]): string => dates.reduce((a, b) => (b > a ? b : a));

/** The project as one bar: first start to last finish, total cost and work of the work packages. */
export function projectVariance(state: OpenedSchedule, baselineNumber: number, currentDates: ReadonlyMap<string, TaskDates>): ProjectVariance | null {
  const baseline = baselineMustExist(state, baselineNumber);
  const saved = [...baseline.tasks.values()];
  const current = [...currentDates.values()];
  if (saved.length === 0 || current.length === 0) return null;
  const baselineStart = earliest(saved.map((t) => t.start));
  const baselineFinish = latest(saved.map((t) => t.finish));
  const currentStart = earliest(current.map((t) => t.start));
  const currentFinish = latest(current.map((t) => t.finish));
  const packages = saved.filter((t) => t.kind !== 'summary');
  return {
    baselineNumber,
    start: dateVariance(state, baselineStart, currentStart),
    finish: dateVariance(state, baselineFinish, currentFinish),
    durationDays: difference(
      workingDaysInRange(state.calendar, baselineStart, baselineFinish),
      workingDaysInRange(state.calendar, currentStart, currentFinish),
    ),
    cost: difference(packages.reduce((s, t) => s + t.cost, 0), costAtCompletionUnder(state, null)),
    workHours: difference(packages.reduce((s, t) => s + t.workHours, 0), rolledUpWork(state, null)),
  };
}
