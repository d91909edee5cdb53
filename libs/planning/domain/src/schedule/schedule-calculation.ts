import { DomainError, conflict } from '@pm/shared/ddd';
import { ScheduleCycleError, SchedulingError, endsStretch, runSteps, scheduleInSteps } from '@pm/shared/scheduling';
import type { ScheduleInput, ScheduleResult, ScheduleTaskInput, ScheduledTask, Steps, TaskConstraint as EngineConstraint, TaskProgress } from '@pm/shared/scheduling';
import type { TaskDates } from './schedule.commands';
import { earnedValueConclusion } from '../earned-value/project-earned-value';
import type { CalculationEvent, ScheduleStreamEvent } from './schedule.events';
import { toCalendarSpec } from './project-calendar';
import { dataDateOf } from './schedule.state';
import type { OpenedSchedule, ProjectCalculation, ScheduleState, WbsTask } from './schedule.state';
import { DayNumbers, movedFrom, publishedDates } from './published-schedule';
import type { PublishedEntry, PublishedTaskSchedule } from './published-schedule';
import { wbsOrder, workPackagesUnder } from './wbs';

/** ALAP has no date and the engine has no as-late-as-possible mode; such tasks are scheduled as soon as possible. */
function engineConstraint(task: WbsTask): EngineConstraint | undefined {
  const { type, date } = task.constraint;
  if (type === 'ASAP' || type === 'ALAP' || date === null) return undefined;
  return { type, date };
}

function engineProgress(task: WbsTask): TaskProgress | undefined {
  if (task.actualStart === null && task.actualFinish === null) return undefined;
  return {
    ...(task.actualStart !== null ? { actualStart: task.actualStart } : {}),
    ...(task.actualFinish !== null ? { actualFinish: task.actualFinish } : {}),
    ...(task.actualFinish === null && task.remainingDurationDays !== null ? { remainingDuration: task.remainingDurationDays } : {}),
  };
}

/** Work packages only: summaries have no logic of their own, their dates roll up from their children. */
export function scheduleInputOf(state: OpenedSchedule, statusDate: string | null): ScheduleInput {
  return runSteps(scheduleInputInSteps(state, statusDate));
}

/** {@link scheduleInputOf} in steps (the engine's STEP_ITERATIONS tasks or links between pauses). */
function* scheduleInputInSteps(state: OpenedSchedule, statusDate: string | null): Steps<ScheduleInput> {
  const tasks: ScheduleTaskInput[] = [];
  let i = 0;
  for (const task of state.tasks.values()) {
    if (endsStretch(i++)) yield;
    if (task.kind === 'summary') continue;
    const constraint = engineConstraint(task);
    const progress = engineProgress(task);
    tasks.push({ id: task.taskId, duration: task.durationDays, ...(constraint ? { constraint } : {}), ...(progress ? { progress } : {}) });
  }
  const links: ScheduleInput['links'][number][] = [];
  for (const d of state.dependencies.values()) {
    if (endsStretch(i++)) yield;
    links.push({ from: d.predecessorId, to: d.successorId, type: d.dependencyType, lag: d.lagDays });
  }
  return { projectStart: state.projectStart, calendar: toCalendarSpec(state.calendar), tasks, links, ...(statusDate !== null ? { statusDate } : {}) };
}

/**
 * Runs the shared critical-path engine; an engine refusal is a business refusal of the change that caused it. The
 * critical paths it lists stop at what one event may spell out (MAX_CRITICAL_PATH_CHARS: every id costs at least 4
 * characters), so listing them costs what the event holds, not 100 times a long path.
 */
export function runCpm(state: OpenedSchedule, dataDate: string | null): ScheduleResult {
  return runSteps(cpmInSteps(state, dataDate));
}

/** {@link runCpm} in the engine's steps, building its input in steps too. */
function* cpmInSteps(state: OpenedSchedule, dataDate: string | null): Steps<ScheduleResult> {
  try {
    const input = yield* scheduleInputInSteps(state, dataDate);
    yield;
    return yield* scheduleInSteps(input, { maxCriticalPathTasks: MAX_CRITICAL_PATH_TASKS });
  } catch (error) {
    if (error instanceof ScheduleCycleError) {
      throw conflict('DEPENDENCY_CYCLE', `The plan has the cycle ${[...error.cycle, error.cycle[0]].join(' → ')}`, { cycle: error.cycle });
    }
    if (error instanceof SchedulingError) throw new DomainError('SCHEDULE_NOT_CALCULABLE', 'invalid', error.message, { engineCode: error.code });
    throw error;
  }
}

/**
 * The current start and finish of every task in the WBS: work packages from the critical-path engine, summaries
 * spanning their work packages (an empty summary sits on the project start).
 */
export function currentTaskDates(state: OpenedSchedule, dataDate: string | null): Map<string, TaskDates> {
  const dates = new Map<string, TaskDates>();
  for (const task of runCpm(state, dataDate).tasks) dates.set(task.id, { start: task.earlyStart, finish: task.earlyFinish });
  for (const taskId of wbsOrder(state)) {
    if (state.tasks.get(taskId)?.kind !== 'summary') continue;
    const spans = workPackagesUnder(state, taskId).flatMap((t) => dates.get(t.taskId) ?? []);
    let start = state.projectStart;
    let finish = state.projectStart;
    if (spans.length) {
      start = spans.reduce((m, d) => (d.start < m ? d.start : m), spans[0].start);
      finish = spans.reduce((m, d) => (d.finish > m ? d.finish : m), spans[0].finish);
    }
    dates.set(taskId, { start, finish });
  }
  return dates;
}

function taskSchedule(state: OpenedSchedule, task: ScheduledTask, before: PublishedEntry | undefined): PublishedTaskSchedule {
  const wbsTask = state.tasks.get(task.id);
  const previous = publishedDates(before);
  return {
    projectId: state.projectId,
    taskId: task.id,
    name: wbsTask?.name ?? task.id,
    kind: wbsTask?.kind === 'milestone' ? 'milestone' : 'task',
    start: task.earlyStart,
    finish: task.earlyFinish,
    durationDays: task.earlyFinishOffset - task.earlyStartOffset,
    earlyStart: task.earlyStart,
    earlyFinish: task.earlyFinish,
    lateStart: task.lateStart,
    lateFinish: task.lateFinish,
    totalFloat: task.totalFloat,
    freeFloat: task.freeFloat,
    critical: task.critical,
    status: task.status,
    previousStart: previous.start,
    previousFinish: previous.finish,
  };
}

const samePaths = (a: readonly (readonly string[])[], b: readonly (readonly string[])[]): boolean =>
  a.length === b.length && a.every((path, i) => path.length === b[i].length && path.every((id, j) => id === b[i][j]));

const sameProjectResult = (a: ProjectCalculation | null, b: ProjectCalculation): boolean =>
  a !== null &&
  a.projectStart === b.projectStart &&
  a.projectFinish === b.projectFinish &&
  a.statusDate === b.statusDate &&
  a.taskCount === b.taskCount &&
  samePaths(a.criticalPaths, b.criticalPaths);

/**
 * What a change moved (ADR 0100): TaskScheduleChanged for every work package whose dates, floats or criticality
 * differ from what was last published, TaskUnscheduled for those that left the plan, and ProjectScheduleCalculated
 * when anything at all moved (tasks or the project's own dates and path), then ProjectEarnedValueCalculated when any
 * earned-value figure or risk signal differs from what was last published (ADR 0303). A schedule not open concludes nothing.
 */
export function recalculate(state: ScheduleState, decided: readonly ScheduleStreamEvent[] = []): CalculationEvent[] {
  return runSteps(recalculateInSteps(state, decided));
}

/**
 * {@link recalculate} in steps (the engine's, and one after comparing its results): the write path lets a service's
 * other requests run between them when a large plan's recalculation takes long. Draining it gives what
 * `recalculate` gives.
 */
export function* recalculateInSteps(state: ScheduleState, decided: readonly ScheduleStreamEvent[] = []): Steps<CalculationEvent[]> {
  if (state.status !== 'open') return [];
  const dataDate = dataDateOf(state);
  const result = yield* cpmInSteps(state, dataDate);
  const events: CalculationEvent[] = [];
  const days = new DayNumbers();
  for (let i = 0; i < result.tasks.length; i++) {
    if (endsStretch(i)) yield;
    const task = result.tasks[i];
    const before = state.published.get(task.id);
    if (movedFrom(before, task, days)) events.push({ type: 'TaskScheduleChanged', data: taskSchedule(state, task, before) });
  }
  const tasksChanged = events.length;
  const paths = boundedCriticalPaths(result.criticalPaths, result.criticalPathsTruncated);
  // The engine schedules every work package (scheduleInputOf): a published task is gone when it left the WBS or became a summary.
  const unscheduled: string[] = [];
  let i = 0;
  for (const taskId of state.published.keys()) {
    if (endsStretch(i++)) yield;
    const task = state.tasks.get(taskId);
    if (task === undefined || task.kind === 'summary') unscheduled.push(taskId);
  }
  for (const taskId of unscheduled.sort()) events.push({ type: 'TaskUnscheduled', data: { projectId: state.projectId, taskId } });
  const project: ProjectCalculation = {
    projectId: state.projectId,
    projectStart: result.projectStart,
    projectFinish: result.projectFinish < result.projectStart ? result.projectStart : result.projectFinish,
    durationDays: result.projectFinishOffset,
    statusDate: dataDate,
    taskCount: result.tasks.length,
    tasksChanged,
    criticalPath: [...(paths.criticalPaths[0] ?? [])],
    criticalPaths: paths.criticalPaths,
    criticalPathsTruncated: paths.truncated,
  };
  if (events.length > 0 || !sameProjectResult(state.lastCalculation, project)) events.push({ type: 'ProjectScheduleCalculated', data: project });
  yield;
  events.push(...earnedValueConclusion(state, result, dataDate, decided));
  return events;
}

/**
 * What the critical paths of one ProjectScheduleCalculated may spell out: 150,000 characters of task ids (each
 * counted with its JSON quotes and comma), so the event stays far under one Kafka message (ADR 0009) whatever the
 * plan's size; the first path is repeated as `criticalPath`. Whole paths are kept in order while they fit; the
 * first path alone is cut if it does not. `criticalPathsTruncated` says when anything was left out: the tasks'
 * own `critical` flags (TaskScheduleChanged, the read model) name every critical task in any case.
 */
export const MAX_CRITICAL_PATH_CHARS = 150_000;
/** No more ids than this fit in MAX_CRITICAL_PATH_CHARS (an id of one character costs 4). */
const MAX_CRITICAL_PATH_TASKS = MAX_CRITICAL_PATH_CHARS / 4;

export function boundedCriticalPaths(paths: ReadonlyArray<readonly string[]>, truncated: boolean): { criticalPaths: string[][]; truncated: boolean } {
  const kept: string[][] = [];
  let used = 0;
  for (const path of paths) {
    const cost = path.reduce((n, id) => n + id.length + 3, 0);
    if (used + cost <= MAX_CRITICAL_PATH_CHARS) {
      kept.push([...path]);
      used += cost;
      continue;
    }
    if (kept.length === 0) {
      const cut: string[] = [];
      for (const id of path) {
        if (used + id.length + 3 > MAX_CRITICAL_PATH_CHARS) break;
        cut.push(id);
        used += id.length + 3;
      }
      kept.push(cut);
    }
    return { criticalPaths: kept, truncated: true };
  }
  return { criticalPaths: kept, truncated };
}

/** Whether an event on a schedule stream is a calculation result rather than a change to the plan. */
export const isCalculationEvent = (event: ScheduleStreamEvent): event is CalculationEvent =>
  event.type === 'TaskScheduleChanged' ||
  event.type === 'TaskUnscheduled' ||
  event.type === 'ProjectScheduleCalculated' ||
  event.type === 'ProjectEarnedValueCalculated';
