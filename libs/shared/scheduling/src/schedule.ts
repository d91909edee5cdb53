import { COMPLETED, IN_PROGRESS, NOT_STARTED, runPasses } from './cpm.passes';
import type { PassResult } from './cpm.passes';
import { findCriticalPaths, isCritical } from './critical-paths';
import { ScheduleInputError } from './errors';
import { compileScheduleInSteps } from './schedule.compile';
import type { CompiledSchedule } from './schedule.compile';
import type { ScheduleInput, ScheduleOptions, ScheduleResult, ScheduledTask, TaskStatus } from './schedule.types';
import { endsStretch, runSteps } from './steps';
import type { Steps } from './steps';

export { runSteps } from './steps';

const DEFAULT_MAX_CRITICAL_PATHS = 100;
const STATUS_NAMES: readonly TaskStatus[] = ['not-started', 'in-progress', 'completed'];

/**
 * Critical path schedule of a project: forward and backward pass, floats, critical paths. Pure: the same input
 * (in any order of tasks and links) gives the same dates. Throws ScheduleCycleError, ScheduleUnknownTaskError,
 * ScheduleInputError or CalendarError.
 */
export function schedule(input: ScheduleInput, options: ScheduleOptions = {}): ScheduleResult {
  return runSteps(scheduleInSteps(input, options));
}

/**
 * {@link schedule} in steps (steps.ts): it pauses (yields) every STEP_ITERATIONS tasks or links while compiling the
 * network, dating the tasks and finding the critical paths, and after the passes, so that a caller with other work
 * waiting (a service's event loop) can let it run in between on a large plan. Draining it gives exactly what
 * `schedule` gives.
 */
export function* scheduleInSteps(input: ScheduleInput, options: ScheduleOptions = {}): Steps<ScheduleResult> {
  const limit = options.maxCriticalPaths ?? DEFAULT_MAX_CRITICAL_PATHS;
  if (!Number.isInteger(limit) || limit < 0) throw new ScheduleInputError('options.maxCriticalPaths', 'must be a whole number >= 0');
  const maxTasks = options.maxCriticalPathTasks ?? Number.POSITIVE_INFINITY;
  if (!(maxTasks === Number.POSITIVE_INFINITY || (Number.isInteger(maxTasks) && maxTasks >= 0))) {
    throw new ScheduleInputError('options.maxCriticalPathTasks', 'must be a whole number >= 0');
  }
  const compiled = yield* compileScheduleInSteps(input);
  yield;
  const passes = runPasses(compiled.network, compiled.plan);
  yield;
  const dated = yield* datedTasks(compiled, passes);
  yield;
  const critical = yield* findCriticalPaths(compiled.network, compiled.plan, passes, { paths: limit, tasks: maxTasks });
  return { ...dated, criticalPaths: critical.paths, criticalPathsTruncated: critical.truncated };
}

function* datedTasks(compiled: CompiledSchedule, passes: PassResult): Steps<Omit<ScheduleResult, 'criticalPaths' | 'criticalPathsTruncated'>> {
  const { input, calendar, network, plan, boundaries } = compiled;
  const { earlyStart: es, earlyFinish: ef, lateStart: ls, lateFinish: lf } = passes;
  const n = network.taskCount;
  let lo = 0;
  let hi = 0;
  for (let v = 0; v < n; v++) {
    if (endsStretch(v)) yield;
    lo = Math.min(lo, es[v], ls[v], ef[v] - 1, lf[v] - 1);
    hi = Math.max(hi, es[v], ls[v], ef[v], lf[v]);
  }
  yield;
  const labels = yield* calendar.datesBetweenInSteps(lo, hi);
  const onDay = (index: number): string => labels[index - lo];
  const startLabel = (start: number, finish: number): string =>
    finish > start ? onDay(start) : onDay(boundaries.milestoneDayIndex(start));
  const finishLabel = (start: number, finish: number): string =>
    finish > start ? onDay(finish - 1) : onDay(boundaries.milestoneDayIndex(finish));

  const tasks = new Array<ScheduledTask>(n);
  let projectFinish = onDay(0);
  for (let v = 0; v < n; v++) {
    if (endsStretch(v)) yield;
    const state = plan.status[v];
    const progress = input.tasks[v].progress;
    const actualStart = state === COMPLETED || state === IN_PROGRESS ? progress?.actualStart : undefined;
    const actualFinish = state === COMPLETED ? (progress?.actualFinish ?? progress?.actualStart) : undefined;
    const earlyStart = actualStart ?? startLabel(es[v], ef[v]);
    const earlyFinish = actualFinish ?? finishLabel(es[v], ef[v]);
    if (earlyFinish > projectFinish) projectFinish = earlyFinish;
    tasks[v] = {
      id: network.ids[v],
      status: STATUS_NAMES[state],
      earlyStart,
      earlyFinish,
      lateStart: state === NOT_STARTED ? startLabel(ls[v], lf[v]) : earlyStart,
      lateFinish: actualFinish ?? finishLabel(ls[v], lf[v]),
      earlyStartOffset: es[v],
      earlyFinishOffset: ef[v],
      lateStartOffset: ls[v],
      lateFinishOffset: lf[v],
      totalFloat: state === COMPLETED ? 0 : passes.totalFloat[v],
      freeFloat: state === COMPLETED ? 0 : passes.freeFloat[v],
      critical: isCritical(plan, passes, v),
    };
  }
  return { projectStart: input.projectStart, projectFinish, projectFinishOffset: passes.projectFinish, tasks };
}
