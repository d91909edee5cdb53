import type { DayOfWeek, IsoDate, MonthItem, MonthPosition, MspdiCalendarException, MspdiRecurrencePattern } from '../mspdi.model';
import { addDays, dayNumber, daysInMonth, isoDate } from '@pm/shared/scheduling';
import { dateRange, dayOfWeek } from './plan-date';
import { MspdiError } from '../mspdi.errors';

/**
 * The most dates one calendar exception may cover (Microsoft Project itself stops a series at 999 occurrences): a
 * longer series or range is refused with MSPDI_LIMIT_EXCEEDED (422, or the import job fails) instead of expanding
 * millions of dates on the caller's time. A malformed series (every 0 days) cannot spin either.
 */
export const MAX_EXCEPTION_DATES = 10_000;
const MAX_OCCURRENCES = MAX_EXCEPTION_DATES;

/**
 * Every date an exception covers. Microsoft Project writes the same expansion into the legacy
 * `WeekDay DayType=0` entries of a calendar, which the specs use as the oracle for these rules:
 * weekly series count weeks from the Sunday on or before the start date; monthly and yearly
 * series start with the month (year) of the start date; a day of month past the month's end
 * falls on its last day.
 */
export function exceptionDates(exception: MspdiCalendarException): IsoDate[] {
  const { recurrence, from, to } = exception;
  if (recurrence === null) {
    if (dayNumber(to) - dayNumber(from) >= MAX_EXCEPTION_DATES) throw tooMany(exception, `${from}…${to}`);
    return dateRange(from, to);
  }
  if ((recurrence.occurrences ?? 0) > MAX_OCCURRENCES) throw tooMany(exception, `${recurrence.occurrences} occurrences`);
  const limit = recurrence.occurrences ?? MAX_OCCURRENCES;
  const dates: IsoDate[] = [];
  for (const date of candidateDates(recurrence.pattern, from)) {
    if (date > to || dates.length >= limit) break;
    if (date >= from) dates.push(date);
  }
  return dates;
}

function tooMany(exception: MspdiCalendarException, what: string): MspdiError {
  return new MspdiError('MSPDI_LIMIT_EXCEEDED', `calendar exception ${JSON.stringify(exception.name)} covers ${what}: at most ${MAX_EXCEPTION_DATES} dates`);
}

function* candidateDates(pattern: MspdiRecurrencePattern, from: IsoDate): Generator<IsoDate> {
  const year = Number(from.slice(0, 4));
  const month = Number(from.slice(5, 7));
  switch (pattern.type) {
    case 'daily':
      for (let k = 0; k < MAX_OCCURRENCES * 2; k += 1) yield addDays(from, k * Math.max(1, pattern.every));
      return;
    case 'weekly':
      yield* weeklyDates(from, Math.max(1, pattern.every), pattern.daysOfWeek);
      return;
    case 'monthly-by-day':
      for (let k = 0; k < MAX_OCCURRENCES * 2; k += 1) {
        const [y, m] = shiftMonth(year, month, k * Math.max(1, pattern.every));
        yield isoDate(y, m, Math.min(pattern.dayOfMonth, daysInMonth(y, m)));
      }
      return;
    case 'monthly-by-position':
      for (let k = 0; k < MAX_OCCURRENCES * 2; k += 1) {
        const [y, m] = shiftMonth(year, month, k * Math.max(1, pattern.every));
        yield positionInMonth(y, m, pattern.position, pattern.item);
      }
      return;
    case 'yearly-by-day':
      for (let y = year; y < year + MAX_OCCURRENCES; y += 1) {
        yield isoDate(y, pattern.month, Math.min(pattern.dayOfMonth, daysInMonth(y, pattern.month)));
      }
      return;
    case 'yearly-by-position':
      for (let y = year; y < year + MAX_OCCURRENCES; y += 1) yield positionInMonth(y, pattern.month, pattern.position, pattern.item);
      return;
    default:
      return assertNever(pattern);
  }
}

function* weeklyDates(from: IsoDate, every: number, days: readonly DayOfWeek[]): Generator<IsoDate> {
  if (days.length === 0) return;
  const weekStart = addDays(from, -dayOfWeek(from));
  const sorted = [...days].sort((a, b) => a - b);
  for (let week = 0; week < MAX_OCCURRENCES * 2; week += every) {
    for (const day of sorted) yield addDays(weekStart, week * 7 + day);
  }
}

function shiftMonth(year: number, month: number, offset: number): [number, number] {
  const index = year * 12 + (month - 1) + offset;
  return [Math.floor(index / 12), (index % 12) + 1];
}

function matchesItem(date: IsoDate, item: MonthItem): boolean {
  const weekday = dayOfWeek(date);
  if (item === 'day') return true;
  if (item === 'weekday') return weekday >= 1 && weekday <= 5;
  if (item === 'weekend-day') return weekday === 0 || weekday === 6;
  return weekday === item;
}

function positionInMonth(year: number, month: number, position: MonthPosition, item: MonthItem): IsoDate {
  const matching = dateRange(isoDate(year, month, 1), isoDate(year, month, daysInMonth(year, month))).filter((date) =>
    matchesItem(date, item),
  );
  const index = ['first', 'second', 'third', 'fourth'].indexOf(position);
  return index < 0 ? matching[matching.length - 1] : matching[Math.min(index, matching.length - 1)];
}

function assertNever(value: never): never {
  throw new Error(`unhandled recurrence ${JSON.stringify(value)}`);
}
