import { civilFromDays, daysFromCivil, fromDayNumber, weekdayOfDay } from '../shared/day-number';
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

/** Capacity, demand and what remains per period; periods are clipped to the range. */
export function bucketise(range: DayRange, capacity: Int32Array, demand: Int32Array, granularity: Granularity): PeriodFigures[] {
  const out: PeriodFigures[] = [];
  let d = range.from;
  while (d <= range.to) {
    const start = d;
    const key = periodStart(d, granularity);
    let cap = 0;
    let dem = 0;
    while (d <= range.to && periodStart(d, granularity) === key) {
      cap += capacity[d - range.from];
      dem += demand[d - range.from];
      d++;
    }
    out.push({
      start: fromDayNumber(start),
      end: fromDayNumber(d - 1),
      capacityMinutes: cap,
      demandMinutes: dem,
      remainingMinutes: cap - dem,
      utilisationPercent: cap === 0 ? null : Math.round((dem * 100) / cap),
    });
  }
  return out;
}
