import { invalid } from '@pm/shared/ddd';
import { dateMustBeCalendarDate } from './register.rules';

/**
 * When a due date stops being due, on the tenant's calendar (ADR 0302, "Due moment"). Planning's calendar says which
 * days are worked (weekdays, holidays, exceptions, the rule of planning's `hoursOn`) and how many hours, not at which
 * hours of the day, so the working time of a working day ends with that day in the tenant's time zone. The rule:
 *
 *   an item due on day D is overdue from the end of the first working day on or after D, in the tenant's time zone;
 *   that is the next day's 00:00 local time (or the first instant of that day when a DST change skips midnight).
 *
 * A due day that is a weekend, holiday or non-working exception therefore counts until the end of the next working
 * day, as Microsoft Project moves a finish that falls on a non-working day. A calendar with no working day within
 * ten years (all holidays) falls back to D itself. Pure: the zone's rules come from the runtime's Intl data.
 */
export interface DueCalendar {
  /** 0 = Sunday … 6 = Saturday, as planning's calendar. */
  readonly workingWeekdays: readonly number[];
  readonly holidays: ReadonlyArray<{ readonly date: string }>;
  readonly exceptions: ReadonlyArray<{ readonly date: string; readonly working: boolean }>;
}

/** Planning's built-in standard calendar (Mon–Fri, no holidays): the tenant default until planning publishes one (ADR 0104). */
export const STANDARD_DUE_CALENDAR: DueCalendar = { workingWeekdays: [1, 2, 3, 4, 5], holidays: [], exceptions: [] };
export const DEFAULT_TIME_ZONE = 'UTC';

const MAX_SEARCH_DAYS = 3660;
const DAY_MS = 86_400_000;

export function isWorkingDueDay(calendar: DueCalendar, day: string): boolean {
  const exception = calendar.exceptions.find((e) => e.date === day);
  if (exception) return exception.working;
  if (calendar.holidays.some((h) => h.date === day)) return false;
  return calendar.workingWeekdays.includes(new Date(`${day}T00:00:00.000Z`).getUTCDay());
}

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The first working day on or after the due day (the due day itself when none is found). */
export function lastDueDay(calendar: DueCalendar, dueOn: string): string {
  for (let n = 0; n < MAX_SEARCH_DAYS; n += 1) {
    const day = addDays(dueOn, n);
    if (isWorkingDueDay(calendar, day)) return day;
  }
  return dueOn;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  return format;
}

/** True for a zone the runtime knows (an IANA name such as Europe/Berlin, or UTC). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatIn(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function timeZoneMustBeKnown(timeZone: string): string {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64 || !isKnownTimeZone(timeZone)) {
    throw invalid('TIME_ZONE_UNKNOWN', `${String(timeZone)} is not an IANA time zone this runtime knows`, { timeZone });
  }
  return timeZone;
}

/** The local calendar date of an instant in the zone (YYYY-MM-DD). */
export function localDayOf(instantMs: number, timeZone: string): string {
  const parts = formatIn(timeZone).formatToParts(new Date(instantMs));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The first instant whose local date in the zone is `day` or later: the local midnight, or the end of a DST gap over it. */
export function startOfLocalDay(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00.000Z`);
  // Offsets lie within ±14 h; search one day either side, to the millisecond.
  let lo = utcMidnight - DAY_MS;
  let hi = utcMidnight + DAY_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDayOf(mid, timeZone) >= day) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The instant an item due on `dueOn` becomes overdue for a tenant with this calendar and time zone (ISO-8601). */
export function dueMoment(calendar: DueCalendar, timeZone: string, dueOn: string): string {
  const day = lastDueDay(calendar, dateMustBeCalendarDate('dueOn', dueOn));
  return new Date(startOfLocalDay(addDays(day, 1), timeZoneMustBeKnown(timeZone))).toISOString();
}
