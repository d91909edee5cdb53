import { invalid } from '@pm/shared/ddd';
import { addDays, dayNumber, isIsoDate, weekdayOf, weekdayOfDay } from '@pm/shared/scheduling';
import type { CalendarSpec, IsoDate } from '@pm/shared/scheduling';

export interface CalendarHoliday {
  readonly date: IsoDate;
  readonly name: string;
}

/** A per-date override: a worked Saturday for a cut-over, a plant shutdown on a Tuesday. It wins over weekdays and holidays. */
export interface ProjectCalendarException {
  readonly date: IsoDate;
  readonly working: boolean;
  /** Hours on a worked exception day; null means the calendar's hoursPerDay. */
  readonly hours: number | null;
  readonly reason: string | null;
}

/** The same shape as the scheduling engine's CalendarSpec, plus names the UI shows. */
export interface ProjectCalendar {
  readonly calendarId: string;
  readonly name: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly workingWeekdays: readonly number[];
  readonly hoursPerDay: number;
  readonly holidays: readonly CalendarHoliday[];
  readonly exceptions: readonly ProjectCalendarException[];
}

export const STANDARD_CALENDAR: ProjectCalendar = {
  calendarId: 'standard',
  name: 'Standard (Mon–Fri, 8h)',
  workingWeekdays: [1, 2, 3, 4, 5],
  hoursPerDay: 8,
  holidays: [],
  exceptions: [],
};

/**
 * The calendar id that marks a schedule as following its tenant's default calendar. A schedule with any
 * other calendar id has its own (an override) and is left alone when the default changes (ADR 0104).
 */
export const TENANT_DEFAULT_CALENDAR_ID = 'tenant-default';

export const followsTenantCalendar = (calendar: ProjectCalendar): boolean => calendar.calendarId === TENANT_DEFAULT_CALENDAR_ID;

const validHours = (hours: number): boolean => Number.isFinite(hours) && hours > 0 && hours <= 24;

/** A calendar without a working day would make every date computation run forever, so it is refused up front. */
export function calendarMustBeUsable(calendar: ProjectCalendar): void {
  const weekdays = calendar.workingWeekdays;
  if (weekdays.length === 0) throw invalid('CALENDAR_HAS_NO_WORKING_DAYS', 'A calendar needs at least one working weekday');
  if (weekdays.some((d) => !Number.isInteger(d) || d < 0 || d > 6) || new Set(weekdays).size !== weekdays.length) {
    throw invalid('CALENDAR_WEEKDAYS_INVALID', 'Working weekdays are distinct integers 0 (Sunday) … 6 (Saturday)', { workingWeekdays: weekdays });
  }
  if (!validHours(calendar.hoursPerDay)) throw invalid('CALENDAR_HOURS_INVALID', 'hoursPerDay must be in (0, 24]', { hoursPerDay: calendar.hoursPerDay });
  for (const { date } of [...calendar.holidays, ...calendar.exceptions]) {
    if (!isIsoDate(date)) throw invalid('INVALID_DATE', 'Calendar dates are YYYY-MM-DD', { date });
  }
  const exceptionDates = calendar.exceptions.map((e) => e.date);
  if (new Set(exceptionDates).size !== exceptionDates.length) throw invalid('CALENDAR_EXCEPTION_DUPLICATE', 'One exception per date');
  for (const exception of calendar.exceptions) calendarExceptionMustBeValid(exception);
}

export function calendarExceptionMustBeValid(exception: ProjectCalendarException): void {
  if (exception.working && exception.hours !== null && !validHours(exception.hours)) {
    throw invalid('CALENDAR_HOURS_INVALID', 'A worked exception day needs hours in (0, 24]', { date: exception.date, hours: exception.hours });
  }
}

export function hoursOn(calendar: ProjectCalendar, date: IsoDate): number {
  const exception = calendar.exceptions.find((e) => e.date === date);
  if (exception) return exception.working ? (exception.hours ?? calendar.hoursPerDay) : 0;
  if (calendar.holidays.some((h) => h.date === date)) return 0;
  return calendar.workingWeekdays.includes(weekdayOf(date)) ? calendar.hoursPerDay : 0;
}

export const isWorkingDay = (calendar: ProjectCalendar, date: IsoDate): boolean => hoursOn(calendar, date) > 0;

/**
 * What a calendar's dated entries change against its working weekdays: each special date (an exception or a
 * holiday) with +1 (worked although its weekday is not), -1 (not worked although it is) or 0, sorted by day, with
 * running sums. Built once per calendar object (calendars are immutable values).
 */
interface SpecialDays {
  readonly days: Int32Array;
  /** `upTo[i]`: the sum of the adjustments of days[0..i]. */
  readonly upTo: Int32Array;
  readonly weekdays: readonly boolean[];
}

const specialDaysOf = new WeakMap<ProjectCalendar, SpecialDays>();

function specialDays(calendar: ProjectCalendar): SpecialDays {
  const known = specialDaysOf.get(calendar);
  if (known) return known;
  const weekdays = Array.from({ length: 7 }, (_, d) => calendar.workingWeekdays.includes(d));
  const dates = [...new Set([...calendar.exceptions.map((e) => e.date), ...calendar.holidays.map((h) => h.date)])].map((date) => ({ date, day: dayNumber(date) }));
  dates.sort((x, y) => x.day - y.day);
  const days = Int32Array.from(dates, (d) => d.day);
  const upTo = new Int32Array(dates.length);
  let sum = 0;
  dates.forEach(({ date, day }, i) => {
    sum += (isWorkingDay(calendar, date) ? 1 : 0) - (weekdays[weekdayOfDay(day)] ? 1 : 0);
    upTo[i] = sum;
  });
  const built = { days, upTo, weekdays };
  specialDaysOf.set(calendar, built);
  return built;
}

/** How many of the sorted `days` are < day. */
function countBelow(days: Int32Array, day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Working days in the closed range [from, to]; 0 when `to` is before `from`. Arithmetic, not a walk over the days:
 * whole weeks times the working weekdays, the days left over, and the calendar's dated entries in the range (found
 * by binary search), so a summary spanning decades costs what a one-day task does.
 */
export function workingDaysInRange(calendar: ProjectCalendar, from: IsoDate, to: IsoDate): number {
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < first) return 0;
  const { days, upTo, weekdays } = specialDays(calendar);
  const span = last - first + 1;
  const perWeek = weekdays.filter(Boolean).length;
  let count = Math.floor(span / 7) * perWeek;
  for (let day = first + span - (span % 7); day <= last; day++) if (weekdays[weekdayOfDay(day)]) count++;
  const below = countBelow(days, first);
  const through = countBelow(days, last + 1);
  if (through > below) count += upTo[through - 1] - (below > 0 ? upTo[below - 1] : 0);
  return count;
}

/** Counts the working days of a closed range [from, to]. */
export type WorkingDayCount = (from: IsoDate, to: IsoDate) => number;

/** A working-day counter for one calendar, for callers that count many ranges of one plan (each count is arithmetic). */
export function workingDayCounter(calendar: ProjectCalendar): WorkingDayCount {
  return (from, to) => workingDaysInRange(calendar, from, to);
}

/**
 * Signed working days from `from` to `to`: the working days in (from, to], negative when `to` is earlier.
 * This is how Microsoft Project reports start and finish variance: a task that moves from Friday to
 * the next Monday slipped one day, not three.
 */
export function workingDayDifference(calendar: ProjectCalendar, from: IsoDate, to: IsoDate): number {
  if (to === from) return 0;
  // `0 - n` rather than `-n`: a variance of zero must not come out as -0.
  return to > from ? workingDaysInRange(calendar, addDays(from, 1), to) : 0 - workingDaysInRange(calendar, addDays(to, 1), from);
}

/** Converts to the scheduling engine's `CalendarSpec` (holiday names and reasons are for people, not for CPM). */
export function toCalendarSpec(calendar: ProjectCalendar): CalendarSpec {
  return {
    workingWeekdays: [...calendar.workingWeekdays],
    hoursPerDay: calendar.hoursPerDay,
    holidays: calendar.holidays.map((h) => h.date),
    exceptions: calendar.exceptions.map((e) => (e.hours === null ? { date: e.date, working: e.working } : { date: e.date, working: e.working, hours: e.hours })),
  };
}
