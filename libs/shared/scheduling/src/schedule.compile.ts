import { WorkingCalendar, wholeWorkingDays } from './calendar';
import {
  COMPLETED,
  CONSTRAINT_FNET,
  CONSTRAINT_FNLT,
  CONSTRAINT_MFO,
  CONSTRAINT_MSO,
  CONSTRAINT_NONE,
  CONSTRAINT_SNET,
  CONSTRAINT_SNLT,
  IN_PROGRESS,
} from './cpm.passes';
import type { TaskPlan } from './cpm.passes';
import { tryParseIsoDate } from './dates';
import { ScheduleInputError } from './errors';
import { MAX_WORKING_DAYS, compileNetworkInSteps } from './network';
import type { ScheduleNetwork } from './network';
import type { ConstraintType, ScheduleInput, ScheduleTaskInput, TaskConstraint } from './schedule.types';
import { endsStretch, runSteps } from './steps';
import type { Steps } from './steps';

/** A schedule input turned into integers once: the calendar, the indexed network and the task plan. */
export interface CompiledSchedule {
  readonly input: ScheduleInput;
  readonly calendar: WorkingCalendar;
  readonly network: ScheduleNetwork;
  readonly plan: TaskPlan;
  readonly boundaries: Boundaries;
}

/**
 * Dates <-> working-day boundaries. Boundary b is the instant between working days b-1 and b. A task of duration
 * d > 0 starting at boundary s works on days s..s+d-1: its start date is day s, its finish date day s+d-1.
 * A milestone sits on one boundary and is shown on the day whose end it marks (day b-1), so a milestone after a
 * task finishing Friday is on Friday; at or before the earliest start of unstarted work (the project start, or
 * the status date) it is shown on day b instead, so a start milestone falls on the project start date.
 */
export class Boundaries {
  constructor(
    private readonly calendar: WorkingCalendar,
    /** TaskPlan.startFloor: the project start (0), or the status date when later. */
    readonly startFloor: number,
  ) {}

  /** A start-type date: the first working day on or after it. */
  start(day: number): number {
    return this.calendar.indexOnOrAfterDayNumber(day);
  }

  /** A finish-type date: the end of the last working day on or before it. */
  finish(day: number): number {
    return this.calendar.indexOnOrBeforeDayNumber(day) + 1;
  }

  milestone(day: number): number {
    const start = this.start(day);
    return start <= this.startFloor ? start : this.finish(day);
  }

  /** Index of the working day on which a milestone at boundary b is shown. */
  milestoneDayIndex(b: number): number {
    return b <= this.startFloor ? b : b - 1;
  }
}

const CONSTRAINT_CODES: Record<ConstraintType, number> = {
  SNET: CONSTRAINT_SNET,
  SNLT: CONSTRAINT_SNLT,
  FNET: CONSTRAINT_FNET,
  FNLT: CONSTRAINT_FNLT,
  MSO: CONSTRAINT_MSO,
  MFO: CONSTRAINT_MFO,
};

export function compileSchedule(input: ScheduleInput): CompiledSchedule {
  return runSteps(compileScheduleInSteps(input));
}

/** {@link compileSchedule} in steps (steps.ts): it pauses every STEP_ITERATIONS tasks or links. */
export function* compileScheduleInSteps(input: ScheduleInput): Steps<CompiledSchedule> {
  if (!input || !Array.isArray(input.tasks) || !Array.isArray(input.links)) {
    throw new ScheduleInputError('input', 'needs tasks and links arrays');
  }
  dateField(input.projectStart, 'projectStart');
  const calendar = new WorkingCalendar(input.calendar, input.projectStart);
  const tasks = input.tasks;
  const ids = new Array<string>(tasks.length);
  for (let i = 0; i < tasks.length; i++) ids[i] = tasks[i]?.id;
  yield;
  const network = yield* compileNetworkInSteps(ids, input.links);

  let statusBoundary = -Infinity;
  if (input.statusDate !== undefined) {
    statusBoundary = calendar.indexOnOrAfterDayNumber(dateField(input.statusDate, 'statusDate'));
  }
  const startFloor = Math.max(0, statusBoundary);
  const boundaries = new Boundaries(calendar, startFloor);
  const n = tasks.length;
  const plan = {
    duration: new Int32Array(n),
    status: new Uint8Array(n),
    actualStart: new Int32Array(n),
    actualFinish: new Int32Array(n),
    remaining: new Int32Array(n),
    constraintType: new Uint8Array(n),
    constraintBoundary: new Int32Array(n),
    startFloor,
    statusBoundary,
  };
  for (let i = 0; i < n; i++) {
    if (endsStretch(i)) yield;
    const task = tasks[i];
    const duration = plannedDuration(task, i);
    plan.duration[i] = duration;
    if (task.constraint !== undefined) compileConstraint(task, i, duration, boundaries, plan);
    if (task.progress !== undefined) compileProgress(task, i, duration, boundaries, plan);
  }
  return { input, calendar, network, plan, boundaries };
}

type MutablePlan = { -readonly [K in keyof TaskPlan]: TaskPlan[K] };

function compileConstraint(task: ScheduleTaskInput, i: number, duration: number, boundaries: Boundaries, plan: MutablePlan): void {
  const { type, date } = task.constraint as Partial<TaskConstraint>;
  const code = Object.hasOwn(CONSTRAINT_CODES, String(type)) ? CONSTRAINT_CODES[type as ConstraintType] : undefined;
  if (code === undefined) {
    throw new ScheduleInputError(`tasks[${i}].constraint.type`, `"${String(type)}" is not SNET, SNLT, FNET, FNLT, MSO or MFO`);
  }
  const day = dateField(date, `tasks[${i}].constraint.date`);
  const onFinish = code === CONSTRAINT_FNET || code === CONSTRAINT_FNLT || code === CONSTRAINT_MFO;
  plan.constraintType[i] = code;
  plan.constraintBoundary[i] =
    duration === 0 ? boundaries.milestone(day) : onFinish ? boundaries.finish(day) : boundaries.start(day);
}

function compileProgress(task: ScheduleTaskInput, i: number, duration: number, boundaries: Boundaries, plan: MutablePlan): void {
  const progress = task.progress ?? {};
  const path = `tasks[${i}].progress`;
  const started = progress.actualStart === undefined ? undefined : dateField(progress.actualStart, `${path}.actualStart`);
  const finished = progress.actualFinish === undefined ? undefined : dateField(progress.actualFinish, `${path}.actualFinish`);
  const remaining =
    progress.remainingDuration === undefined ? undefined : workingDays(progress.remainingDuration, `${path}.remainingDuration`);
  if (started !== undefined && finished !== undefined && finished < started) {
    throw new ScheduleInputError(`${path}.actualFinish`, 'is before actualStart');
  }
  if (finished !== undefined || (started !== undefined && duration === 0)) {
    // Completed (a milestone that has started has happened). Its actual dates are facts and stay.
    const end = finished ?? (started as number);
    const finish = duration === 0 ? boundaries.milestone(end) : boundaries.finish(end);
    const start = started === undefined ? finish - duration : duration === 0 ? boundaries.milestone(started) : boundaries.start(started);
    plan.status[i] = COMPLETED;
    plan.actualStart[i] = Math.min(start, finish);
    plan.actualFinish[i] = finish;
  } else if (started !== undefined) {
    if (plan.statusBoundary === -Infinity) throw new ScheduleInputError('statusDate', `is required: task "${task.id}" is in progress`);
    const start = boundaries.start(started);
    const elapsed = Math.max(0, plan.statusBoundary - start);
    plan.status[i] = IN_PROGRESS;
    plan.actualStart[i] = start;
    plan.remaining[i] = remaining ?? Math.max(1, duration - elapsed);
    // Actual progress overrides the task's own dates; a deadline (FNLT, MFO) still limits its late finish.
    if (plan.constraintType[i] !== CONSTRAINT_FNLT && plan.constraintType[i] !== CONSTRAINT_MFO) {
      plan.constraintType[i] = CONSTRAINT_NONE;
    }
  }
}

/** An unstarted task re-estimated with a remainingDuration is planned with that estimate instead of its duration. */
function plannedDuration(task: ScheduleTaskInput, i: number): number {
  const duration = workingDays(task.duration, `tasks[${i}].duration`);
  const progress = task.progress;
  if (progress?.remainingDuration === undefined || progress.actualStart !== undefined || progress.actualFinish !== undefined) {
    return duration;
  }
  return workingDays(progress.remainingDuration, `tasks[${i}].progress.remainingDuration`);
}

function dateField(value: unknown, path: string): number {
  const day = tryParseIsoDate(value);
  if (day === undefined) throw new ScheduleInputError(path, `"${String(value)}" is not a YYYY-MM-DD calendar date`);
  return day;
}

function workingDays(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_WORKING_DAYS) {
    throw new ScheduleInputError(path, `must be a number of working days in [0, ${MAX_WORKING_DAYS}]`);
  }
  return wholeWorkingDays(value);
}
