import type { DayOfWeek, IsoDate } from '../mspdi.model';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01; plan dates have no zone, so UTC arithmetic is exact. */
export const dayNumber = (date: IsoDate): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

export const fromDayNumber = (day: number): IsoDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const addDays = (date: IsoDate, days: number): IsoDate => fromDayNumber(dayNumber(date) + days);

/** 0 = Sunday (1970-01-01 was a Thursday). */
export const dayOfWeek = (date: IsoDate): DayOfWeek => ((((dayNumber(date) + 4) % 7) + 7) % 7) as DayOfWeek;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

export const isoDate = (year: number, month: number, day: number): IsoDate =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

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
