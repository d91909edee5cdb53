import { civilFromDays, daysFromCivil, daysInMonth, dayNumber, fromDayNumber, weekdayOfDay } from './dates';
import type { IsoDate } from './dates';

/** Reporting periods of S-curves and trends: ISO weeks (Monday to Sunday) or calendar months. */
export type ReportingInterval = 'week' | 'month';

/** The last day of the period holding `date`: the Sunday closing its ISO week, or its month's last day. */
export function periodEndOf(date: IsoDate, interval: ReportingInterval): IsoDate {
  const day = dayNumber(date);
  if (interval === 'week') return fromDayNumber(day + ((7 - weekdayOfDay(day)) % 7));
  const { year, month } = civilFromDays(day);
  return fromDayNumber(daysFromCivil(year, month, daysInMonth(year, month)));
}

/** The end of the period after the one ending on `periodEnd`. */
export function nextPeriodEnd(periodEnd: IsoDate, interval: ReportingInterval): IsoDate {
  return periodEndOf(fromDayNumber(dayNumber(periodEnd) + 1), interval);
}

/** How many periods run from the one holding `from` to the one holding `to` (both included); 0 when `to` is earlier. */
export function periodCount(from: IsoDate, to: IsoDate, interval: ReportingInterval): number {
  if (to < from) return 0;
  if (interval === 'week') return (dayNumber(periodEndOf(to, 'week')) - dayNumber(periodEndOf(from, 'week'))) / 7 + 1;
  const a = civilFromDays(dayNumber(from));
  const b = civilFromDays(dayNumber(to));
  return (b.year - a.year) * 12 + (b.month - a.month) + 1;
}

/** The ends of every period from the one holding `from` to the one holding `to`; call periodCount first to bound it. */
export function periodEnds(from: IsoDate, to: IsoDate, interval: ReportingInterval): IsoDate[] {
  const ends: IsoDate[] = [];
  const last = periodEndOf(to, interval);
  for (let end = periodEndOf(from, interval); end <= last; end = nextPeriodEnd(end, interval)) ends.push(end);
  return ends;
}
