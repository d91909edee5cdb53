import { CalendarError } from './errors';

/*
 * Plan dates for every context: civil dates as `YYYY-MM-DD` and as day numbers (days since 1970-01-01,
 * proleptic Gregorian), with Howard Hinnant's days_from_civil / civil_from_days algorithms
 * (https://howardhinnant.github.io/date_algorithms.html). Plain integer arithmetic: no Date objects, no time
 * zones, no clock, so a plan date is the same day wherever the code runs, and years below 100 stay themselves
 * (Date.UTC would read year 50 as 1950).
 */

/** A calendar date `YYYY-MM-DD` (no time zone: project dates are plan dates, not instants). */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export const MIN_DAY = daysFromCivil(1, 1, 1);
export const MAX_DAY = daysFromCivil(9999, 12, 31);

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The day number of a `YYYY-MM-DD` date, or undefined when the text is not a real calendar date of the years 0001-9999. */
export function tryParseIsoDate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

export const isIsoDate = (value: unknown): value is IsoDate => tryParseIsoDate(value) !== undefined;

export function parseIsoDate(text: string, what = 'date'): number {
  const day = tryParseIsoDate(text);
  if (day === undefined) throw new CalendarError(`${what} "${String(text)}" is not a YYYY-MM-DD calendar date`);
  return day;
}

/** The day number of a valid `YYYY-MM-DD`, unchecked: callers validate first (`isIsoDate`, or a schema at the edge). */
export const dayNumber = (date: IsoDate): number => daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));

export const isoDate = (year: number, month: number, day: number): IsoDate =>
  `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;

/** `YYYY-MM-DD` of a day number, unchecked (see `formatIsoDate` for the checked form). */
export function fromDayNumber(dayNumber: number): IsoDate {
  const { year, month, day } = civilFromDays(dayNumber);
  return isoDate(year, month, day);
}

/** `YYYY-MM-DD` of a day number, refusing days outside the years 0001-9999 (which have no such form). */
export function formatIsoDate(dayNumber: number): IsoDate {
  if (dayNumber < MIN_DAY || dayNumber > MAX_DAY) {
    throw new CalendarError(`day ${dayNumber} is outside the representable years 0001-9999`);
  }
  return fromDayNumber(dayNumber);
}

export const addDays = (date: IsoDate, days: number): IsoDate => fromDayNumber(dayNumber(date) + days);

/** 0 = Sunday … 6 = Saturday, the convention of `Date#getUTCDay` and of the engine's calendars (1970-01-01 was a Thursday). */
export const weekdayOfDay = (dayNumber: number): number => (((dayNumber + 4) % 7) + 7) % 7;

export const weekdayOf = (date: IsoDate): number => weekdayOfDay(dayNumber(date));
