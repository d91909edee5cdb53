import { MAX_DAY, MIN_DAY, formatIsoDate, parseIsoDate, weekdayOfDay } from './dates';
import { CalendarError } from './errors';
import { endsStretch, runSteps } from './steps';
import type { Steps } from './steps';

export interface CalendarException {
  /** YYYY-MM-DD */
  readonly date: string;
  /** true makes a non-working day (a Saturday, a holiday) working; false makes a working day non-working. */
  readonly working: boolean;
  /** Working hours on that day (default: hoursPerDay). Carried for effort conversions; any working day counts as one day. */
  readonly hours?: number;
}

export interface CalendarSpec {
  /** 0 = Sunday .. 6 = Saturday. */
  readonly workingWeekdays: readonly number[];
  readonly hoursPerDay: number;
  /** YYYY-MM-DD dates that are not worked. */
  readonly holidays: readonly string[];
  /** Per-date overrides; they win over holidays and weekdays. */
  readonly exceptions?: readonly CalendarException[];
}

/** Whole working days: fractional counts are rounded up (1.2 days of work occupy 2 working days; a lag of -1.5 is -1). */
export function wholeWorkingDays(days: number): number {
  return Math.ceil(days);
}

/**
 * A working calendar anchored on a project start. Working day index 0 is the first working day on or after
 * the project start; index i is the i-th working day after it (negative before it).
 *
 * Index -> date reads a table of working days that grows on demand (amortised O(1)); date -> index is a binary
 * search in that table (O(log span)). Both stay cheap for schedules of hundreds of thousands of tasks.
 */
export class WorkingCalendar {
  /** Day number of working index 0. */
  readonly originDay: number;
  private readonly weekHours = new Float64Array(7);
  /** Day number -> working hours (0 = not worked) for holidays and exceptions. */
  private readonly overrides = new Map<number, number>();
  /** forward[i] = day number of working index i. */
  private forward: Int32Array<ArrayBuffer> = new Int32Array(256);
  private forwardLength = 0;
  /** backward[k] = day number of working index -(k + 1), descending. */
  private backward: Int32Array<ArrayBuffer> = new Int32Array(64);
  private backwardLength = 0;

  constructor(
    readonly spec: CalendarSpec,
    readonly projectStart: string,
  ) {
    validateSpec(spec);
    for (const weekday of spec.workingWeekdays) this.weekHours[weekday] = spec.hoursPerDay;
    for (const holiday of spec.holidays) this.overrides.set(parseIsoDate(holiday, 'holiday'), 0);
    const seen = new Set<number>();
    for (const exception of spec.exceptions ?? []) {
      const day = parseIsoDate(exception.date, 'exception date');
      if (seen.has(day)) throw new CalendarError(`exception date ${exception.date} is given twice`);
      seen.add(day);
      this.overrides.set(day, exception.working ? (exception.hours ?? spec.hoursPerDay) : 0);
    }
    let origin = parseIsoDate(projectStart, 'projectStart');
    while (!this.isWorkingDayNumber(origin)) {
      origin++;
      if (origin > MAX_DAY) throw new CalendarError('the calendar has no working day after the project start');
    }
    this.originDay = origin;
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(parseIsoDate(date));
  }

  isWorkingDayNumber(day: number): boolean {
    return this.hoursOnDayNumber(day) > 0;
  }

  hoursOn(date: string): number {
    return this.hoursOnDayNumber(parseIsoDate(date));
  }

  /** The date of working day `index` (an integer offset from the project start). */
  dateAt(index: number): string {
    return formatIsoDate(this.dayNumberAt(index));
  }

  dayNumberAt(index: number): number {
    if (!Number.isInteger(index)) throw new CalendarError(`working day index ${index} is not an integer`);
    if (index >= 0) {
      while (this.forwardLength <= index) this.growForward();
      return this.forward[index];
    }
    const k = -index - 1;
    while (this.backwardLength <= k) this.growBackward();
    return this.backward[k];
  }

  /** Index of the first working day on or after `date`; equally, the number of working days from the origin up to `date`. */
  indexOnOrAfter(date: string): number {
    return this.indexOnOrAfterDayNumber(parseIsoDate(date));
  }

  /** Index of the last working day on or before `date`. */
  indexOnOrBefore(date: string): number {
    return this.indexOnOrAfterDayNumber(parseIsoDate(date) + 1) - 1;
  }

  indexOnOrAfterDayNumber(day: number): number {
    if (day >= this.originDay) {
      while (this.forwardLength === 0 || this.forward[this.forwardLength - 1] < day) this.growForward();
      return lowerBound(this.forward, this.forwardLength, day);
    }
    while (this.backwardLength === 0 || this.backward[this.backwardLength - 1] >= day) this.growBackward();
    return 0 - countAtLeast(this.backward, this.backwardLength, day); // 0 - 0 is 0, where -0 would not equal 0 under Object.is
  }

  indexOnOrBeforeDayNumber(day: number): number {
    return this.indexOnOrAfterDayNumber(day + 1) - 1;
  }

  /**
   * The working day `days` working days after `date` (before it when negative; `date` itself is not counted).
   * With 0, `date` itself when it is worked, else the next working day. Fractions are rounded up.
   */
  addWorkingDays(date: string, days: number): string {
    const n = wholeWorkingDays(days);
    const day = parseIsoDate(date);
    const base = n > 0 ? this.indexOnOrBeforeDayNumber(day) : this.indexOnOrAfterDayNumber(day);
    return this.dateAt(base + n);
  }

  /** Working days in [from, to): addWorkingDays(d, n) is n working days after a working day d. Negative when to < from. */
  workingDaysBetween(from: string, to: string): number {
    return this.indexOnOrAfter(to) - this.indexOnOrAfter(from);
  }

  /** Dates of working indices lo..hi (inclusive), formatted once each: what a schedule of many tasks needs. */
  datesBetween(lo: number, hi: number): string[] {
    return runSteps(this.datesBetweenInSteps(lo, hi));
  }

  /** {@link datesBetween} in steps (steps.ts): it pauses every STEP_ITERATIONS days. */
  *datesBetweenInSteps(lo: number, hi: number): Steps<string[]> {
    const out = new Array<string>(Math.max(0, hi - lo + 1));
    if (hi < lo) return out;
    // The index grows a day at a time as far as the plan reaches, in steps too: a plan spanning centuries of
    // working days held the event loop 150-320 ms growing it in one piece before the dates were formatted.
    let grown = 0;
    while (lo < 0 && this.backwardLength <= -lo - 1) {
      this.growBackward();
      if (endsStretch(grown++)) yield;
    }
    while (this.forwardLength <= hi) {
      this.growForward();
      if (endsStretch(grown++)) yield;
    }
    for (let i = lo; i <= hi; i++) {
      if (endsStretch(i - lo)) yield;
      out[i - lo] = formatIsoDate(this.dayNumberAt(i));
    }
    return out;
  }

  private hoursOnDayNumber(day: number): number {
    const override = this.overrides.get(day);
    return override ?? this.weekHours[weekdayOfDay(day)];
  }

  private growForward(): void {
    let day = this.forwardLength === 0 ? this.originDay : this.forward[this.forwardLength - 1] + 1;
    while (!this.isWorkingDayNumber(day)) {
      day++;
      if (day > MAX_DAY) throw new CalendarError('working day index beyond 9999-12-31');
    }
    if (this.forwardLength === this.forward.length) this.forward = doubled(this.forward);
    this.forward[this.forwardLength++] = day;
  }

  private growBackward(): void {
    let day = (this.backwardLength === 0 ? this.originDay : this.backward[this.backwardLength - 1]) - 1;
    while (!this.isWorkingDayNumber(day)) {
      day--;
      if (day < MIN_DAY) throw new CalendarError('working day index before 0001-01-01');
    }
    if (this.backwardLength === this.backward.length) this.backward = doubled(this.backward);
    this.backward[this.backwardLength++] = day;
  }
}

export function createWorkingCalendar(spec: CalendarSpec, projectStart: string): WorkingCalendar {
  return new WorkingCalendar(spec, projectStart);
}

function validateSpec(spec: CalendarSpec): void {
  if (!spec || !Array.isArray(spec.workingWeekdays) || !Array.isArray(spec.holidays)) {
    throw new CalendarError('a calendar needs workingWeekdays and holidays arrays');
  }
  if (!(spec.hoursPerDay > 0 && spec.hoursPerDay <= 24)) throw new CalendarError('hoursPerDay must be in (0, 24]');
  if (spec.workingWeekdays.length === 0) throw new CalendarError('a calendar needs at least one working weekday');
  for (const weekday of spec.workingWeekdays) {
    if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
      throw new CalendarError(`working weekday ${weekday} is not an integer 0 (Sunday) .. 6 (Saturday)`);
    }
  }
  for (const exception of spec.exceptions ?? []) {
    if (exception.working && exception.hours !== undefined && !(exception.hours > 0 && exception.hours <= 24)) {
      throw new CalendarError(`exception ${exception.date}: a working day needs hours in (0, 24]`);
    }
  }
}

function doubled(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/** First k in [0, length) with ascending[k] >= value. */
function lowerBound(ascending: Int32Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ascending[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many entries of a descending array are >= value. */
function countAtLeast(descending: Int32Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (descending[mid] >= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
