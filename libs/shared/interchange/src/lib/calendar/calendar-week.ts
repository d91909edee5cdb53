import type { DayOfWeek, MspdiCalendar, MspdiWeekDay, MspdiWorkingTime } from '../mspdi.model';
import { minutesOfDay } from './plan-date';

/** Microsoft Project's "Standard" day, used when a working day lists no hours. */
export const DEFAULT_WORKING_TIMES: readonly MspdiWorkingTime[] = [
  { from: '08:00:00', to: '12:00:00' },
  { from: '13:00:00', to: '17:00:00' },
];

const ALL_DAYS: readonly DayOfWeek[] = [0, 1, 2, 3, 4, 5, 6];

export interface ResolvedWeekDay {
  readonly dayOfWeek: DayOfWeek;
  readonly working: boolean;
  readonly workingTimes: readonly MspdiWorkingTime[];
}

type CalendarWeek = Pick<MspdiCalendar, 'uid' | 'weekDays' | 'baseCalendarUid'>;

/**
 * The seven days a calendar actually works: its own definitions, then its base calendar's (a
 * resource calendar usually defines none), then Microsoft Project's default Monday-Friday
 * 08:00-17:00 week. A base chain that loops is cut at the repeat.
 */
export function resolveWeek(calendar: CalendarWeek, calendars: readonly CalendarWeek[]): ResolvedWeekDay[] {
  const chain: CalendarWeek[] = [];
  for (let current: CalendarWeek | undefined = calendar; current && !chain.includes(current); ) {
    chain.push(current);
    const baseUid: number | null = current.baseCalendarUid;
    current = baseUid === null ? undefined : calendars.find((c) => c.uid === baseUid);
  }
  return ALL_DAYS.map((day) => {
    const defined = chain.map((c) => c.weekDays.find((w) => w.dayOfWeek === day)).find((w) => w !== undefined);
    return defined ? resolveDay(defined) : defaultDay(day);
  });
}

function resolveDay(day: MspdiWeekDay): ResolvedWeekDay {
  const workingTimes = day.working && day.workingTimes.length === 0 ? DEFAULT_WORKING_TIMES : day.working ? day.workingTimes : [];
  return { dayOfWeek: day.dayOfWeek, working: day.working, workingTimes };
}

function defaultDay(day: DayOfWeek): ResolvedWeekDay {
  const working = day >= 1 && day <= 5;
  return { dayOfWeek: day, working, workingTimes: working ? DEFAULT_WORKING_TIMES : [] };
}

export function workingMinutes(times: readonly MspdiWorkingTime[]): number {
  return times.reduce((sum, time) => sum + Math.max(0, minutesOfDay(time.to, true) - minutesOfDay(time.from, false)), 0);
}

/**
 * One "hours per day" for a calendar whose days may differ (a night shift works 1 h on Monday,
 * 8 h Tuesday-Friday, 7 h on Saturday): the most common length among working days, the longer
 * one on a tie; 0 when no day works.
 */
export function deriveHoursPerDay(week: readonly ResolvedWeekDay[]): number {
  const counts = new Map<number, number>();
  for (const day of week) {
    if (!day.working) continue;
    const minutes = workingMinutes(day.workingTimes);
    counts.set(minutes, (counts.get(minutes) ?? 0) + 1);
  }
  let best: [number, number] = [0, 0];
  for (const [minutes, count] of counts) {
    if (count > best[1] || (count === best[1] && minutes > best[0])) best = [minutes, count];
  }
  return best[0] / 60;
}

export const workingWeekdays = (week: readonly ResolvedWeekDay[]): DayOfWeek[] =>
  week.filter((day) => day.working && workingMinutes(day.workingTimes) > 0).map((day) => day.dayOfWeek);

/** Fills in `hoursPerDay` for every calendar once all of them (and so all bases) are known. */
export function withDerivedHours<T extends CalendarWeek>(calendars: readonly T[]): Array<T & { hoursPerDay: number }> {
  return calendars.map((calendar) => ({ ...calendar, hoursPerDay: deriveHoursPerDay(resolveWeek(calendar, calendars)) }));
}
