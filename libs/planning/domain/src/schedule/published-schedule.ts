import { daysFromCivil, fromDayNumber } from '@pm/shared/scheduling';
import type { ScheduledTask } from '@pm/shared/scheduling';
import type { TaskScheduleChanged } from './schedule.events';
import type { OpenedSchedule } from './schedule.state';

/** A task's schedule as the last calculation published it: TaskScheduleChanged's data. */
export type PublishedTaskSchedule = TaskScheduleChanged['data'];

const STATUSES = ['not-started', 'in-progress', 'completed'] as const satisfies ReadonlyArray<PublishedTaskSchedule['status']>;
const KINDS = ['task', 'milestone'] as const satisfies ReadonlyArray<PublishedTaskSchedule['kind']>;

/**
 * What a schedule keeps of a task's last published schedule (ADR 0108): the figures the next calculation compares
 * with and the previous dates, as numbers in a fixed order: dates as day numbers, status and kind as indexes. A
 * 400,000-task plan keeps 400,000 of them in memory and writes them all to its snapshot. Kept as the event's data,
 * a decoded snapshot held nine strings per task (about 510 bytes of heap each; the collector marks every one) and the
 * snapshot wrote the seventeen field names with each (about 370 bytes); as numbers about 190 and 55.
 * The project id, task id and name are not kept: the schedule has them (the task's current name).
 */
export type PublishedEntry = readonly [
  start: number,
  finish: number,
  durationDays: number,
  earlyStart: number,
  earlyFinish: number,
  lateStart: number,
  lateFinish: number,
  totalFloat: number,
  freeFloat: number,
  critical: boolean,
  status: number,
  kind: number,
  previousStart: number | null,
  previousFinish: number | null,
];

/** `dayNumber` without the slices and Number() of each part: a fold parses eight dates per TaskScheduleChanged. */
function dayOf(date: string): number {
  const digit = (i: number): number => date.charCodeAt(i) - 48;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  return daysFromCivil(year, digit(5) * 10 + digit(6), digit(8) * 10 + digit(9));
}

const day = (date: string | null): number | null => (date === null ? null : dayOf(date));
const date = (day: number | null): string | null => (day === null ? null : fromDayNumber(day));
const indexOf = <T>(values: readonly T[], value: T): number => Math.max(0, values.indexOf(value));

/** The entry a TaskScheduleChanged leaves (its dates are ISO dates: the event's contract checks them). */
export function publishedEntry(data: PublishedTaskSchedule): PublishedEntry {
  return [
    dayOf(data.start),
    dayOf(data.finish),
    data.durationDays,
    dayOf(data.earlyStart),
    dayOf(data.earlyFinish),
    dayOf(data.lateStart),
    dayOf(data.lateFinish),
    data.totalFloat,
    data.freeFloat,
    data.critical,
    indexOf(STATUSES, data.status),
    indexOf(KINDS, data.kind),
    day(data.previousStart),
    day(data.previousFinish),
  ];
}

/** The task's last published schedule as its TaskScheduleChanged said it (named as the task is now); undefined when none. */
export function publishedOf(state: OpenedSchedule, taskId: string): PublishedTaskSchedule | undefined {
  const entry = state.published.get(taskId);
  return entry && publishedTaskSchedule(entry, state.projectId, taskId, state.tasks.get(taskId)?.name ?? taskId);
}

function publishedTaskSchedule(entry: PublishedEntry, projectId: string, taskId: string, name: string): PublishedTaskSchedule {
  return {
    projectId,
    taskId,
    name,
    kind: KINDS[entry[11]] ?? 'task',
    start: fromDayNumber(entry[0]),
    finish: fromDayNumber(entry[1]),
    durationDays: entry[2],
    earlyStart: fromDayNumber(entry[3]),
    earlyFinish: fromDayNumber(entry[4]),
    lateStart: fromDayNumber(entry[5]),
    lateFinish: fromDayNumber(entry[6]),
    totalFloat: entry[7],
    freeFloat: entry[8],
    critical: entry[9],
    status: STATUSES[entry[10]] ?? 'not-started',
    previousStart: date(entry[12]),
    previousFinish: date(entry[13]),
  };
}

/** The published start and finish, as the next TaskScheduleChanged names them `previousStart` and `previousFinish`. */
export const publishedDates = (entry: PublishedEntry | undefined): { readonly start: string | null; readonly finish: string | null } =>
  entry === undefined ? { start: null, finish: null } : { start: fromDayNumber(entry[0]), finish: fromDayNumber(entry[1]) };

/** The published start of a task (levelling measures its moves from it). */
export const publishedStart = (entry: PublishedEntry | undefined): string | null => publishedDates(entry).start;

/**
 * Day numbers of the engine's date labels for one calculation. The engine hands out one string per working day
 * (shared by every task on it), and neighbouring tasks share days, so a small cache saves most of the parsing. It is
 * bounded: a plan spanning centuries of working days (the generated 400,000-task programme runs to the year 8425) has
 * hundreds of thousands of distinct labels, and a Map that large rehashes in one piece as it grows (180-210 ms of the
 * event loop once per recalculation, ADR 0021 amendment). At the bound it starts again empty.
 */
export class DayNumbers {
  static readonly MAX_LABELS = 16_384;
  private readonly days = new Map<string, number>();

  /** Labels cached now (never more than MAX_LABELS). */
  get size(): number {
    return this.days.size;
  }

  of(label: string): number {
    let n = this.days.get(label);
    if (n === undefined) {
      n = dayOf(label);
      if (this.days.size >= DayNumbers.MAX_LABELS) this.days.clear();
      this.days.set(label, n);
    }
    return n;
  }
}

/** Whether a task's calculated schedule differs from its entry in any figure a TaskScheduleChanged publishes. */
export function movedFrom(entry: PublishedEntry | undefined, task: ScheduledTask, days: DayNumbers): boolean {
  if (entry === undefined) return true;
  return (
    entry[0] !== days.of(task.earlyStart) ||
    entry[1] !== days.of(task.earlyFinish) ||
    entry[2] !== task.earlyFinishOffset - task.earlyStartOffset ||
    entry[3] !== days.of(task.earlyStart) ||
    entry[4] !== days.of(task.earlyFinish) ||
    entry[5] !== days.of(task.lateStart) ||
    entry[6] !== days.of(task.lateFinish) ||
    entry[7] !== task.totalFloat ||
    entry[8] !== task.freeFloat ||
    entry[9] !== task.critical ||
    entry[10] !== indexOf(STATUSES, task.status)
  );
}
