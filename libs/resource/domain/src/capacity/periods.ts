import { civilFromDays, daysFromCivil, fromDayNumber, weekdayOfDay } from '@pm/shared/scheduling';
import type { DayRange } from './working-minutes';

export type Granularity = 'day' | 'week' | 'month';

export interface PeriodFigures {
  /** First and last date of the period inside the asked range (YYYY-MM-DD). */
  readonly start: string;
  readonly end: string;
  readonly capacityMinutes: number;
  readonly demandMinutes: number;
  /** capacity − demand; negative when over-allocated. */
  readonly remainingMinutes: number;
  /** demand / capacity in whole percent; null when there is no capacity at all. */
  readonly utilisationPercent: number | null;
}

/** Day number of the first day of the period containing `day`: ISO weeks start on Monday. */
export function periodStart(day: number, granularity: Granularity): number {
  if (granularity === 'day') return day;
  if (granularity === 'week') return day - ((weekdayOfDay(day) + 6) % 7);
  const { year, month } = civilFromDays(day);
  return daysFromCivil(year, month, 1);
}

/** First day of the period after the one that contains `day`. */
function nextPeriodStart(day: number, granularity: Granularity): number {
  if (granularity === 'day') return day + 1;
  if (granularity === 'week') return periodStart(day, 'week') + 7;
  const { year, month } = civilFromDays(day);
  return month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
}

export interface Period {
  /** Indices into profiles over the range: [from, to). */
  readonly fromIndex: number;
  readonly toIndex: number;
  readonly start: string;
  readonly end: string;
}

/** The periods of a range, clipped to it; the same for every resource, so compute once per query. */
export function periodsOf(range: DayRange, granularity: Granularity): Period[] {
  const out: Period[] = [];
  for (let start = range.from; start <= range.to; ) {
    const end = Math.min(nextPeriodStart(start, granularity), range.to + 1);
    out.push({ fromIndex: start - range.from, toIndex: end - range.from, start: fromDayNumber(start), end: fromDayNumber(end - 1) });
    start = end;
  }
  return out;
}

/** Capacity, demand and what remains per period. */
export function bucketise(range: DayRange, capacity: Int32Array, demand: Int32Array, granularity: Granularity, periods = periodsOf(range, granularity)): PeriodFigures[] {
  return periods.map((p) => {
    let cap = 0;
    let dem = 0;
    for (let i = p.fromIndex; i < p.toIndex; i++) {
      cap += capacity[i];
      dem += demand[i];
    }
    return {
      start: p.start,
      end: p.end,
      capacityMinutes: cap,
      demandMinutes: dem,
      remainingMinutes: cap - dem,
      utilisationPercent: cap === 0 ? null : Math.round((dem * 100) / cap),
    };
  });
}
