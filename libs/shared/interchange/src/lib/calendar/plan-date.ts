import { dayNumber, fromDayNumber, weekdayOf } from '@pm/shared/scheduling';
import type { DayOfWeek, IsoDate } from '../mspdi.model';

/* Day arithmetic is @pm/shared/scheduling's (one implementation for every context); here only what MSPDI calendars add. */

/** 0 = Sunday, MSPDI's `DayOfWeek` as the model types it. */
export const dayOfWeek = (date: IsoDate): DayOfWeek => weekdayOf(date) as DayOfWeek;

/** Every date from `from` to `to`, both included. */
export function dateRange(from: IsoDate, to: IsoDate): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let day = dayNumber(from); day <= dayNumber(to); day += 1) dates.push(fromDayNumber(day));
  return dates;
}

/** Minutes since midnight; a working time that ends at 00:00 ends at midnight (1440). */
export function minutesOfDay(time: string, isEnd: boolean): number {
  const minutes = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return isEnd && minutes === 0 ? 1440 : minutes;
}
