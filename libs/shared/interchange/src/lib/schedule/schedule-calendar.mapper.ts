import type { CalendarException, CalendarSpec } from '@pm/shared/scheduling';

import { exceptionDates } from '../calendar/calendar-recurrence';
import { DEFAULT_WORKING_TIMES, resolveWeek, workingMinutes, workingWeekdays } from '../calendar/calendar-week';
import { dayOfWeek } from '../calendar/plan-date';
import type { IsoDate, MspdiCalendar, MspdiProject } from '../mspdi.model';

/**
 * The calendar the plan is scheduled on: the project calendar, else the one Microsoft Project
 * calls "Standard", else the first base calendar. `null` means Project's default week.
 */
export function projectCalendar(project: MspdiProject): MspdiCalendar | null {
  const { calendars, properties } = project;
  return (
    calendars.find((calendar) => calendar.uid === properties.defaultCalendarUid) ??
    calendars.find((calendar) => calendar.isBaseCalendar && calendar.name === 'Standard') ??
    calendars.find((calendar) => calendar.isBaseCalendar) ??
    null
  );
}

/** The calendar and its bases, nearest first: a derived calendar's own exceptions win. */
function baseChain(calendar: MspdiCalendar, calendars: readonly MspdiCalendar[]): MspdiCalendar[] {
  const chain: MspdiCalendar[] = [];
  for (let current: MspdiCalendar | undefined = calendar; current && !chain.includes(current); ) {
    chain.push(current);
    const baseUid: number | null = current.baseCalendarUid;
    current = baseUid === null ? undefined : calendars.find((c) => c.uid === baseUid);
  }
  return chain;
}

/**
 * The engine's calendar: working weekdays and hours from the resolved week; every exception
 * date expanded (recurring ones included). A non-working exception on a working weekday becomes
 * a holiday, a working exception becomes a working override with its hours.
 */
export function toCalendarSpec(project: MspdiProject): CalendarSpec {
  const calendar = projectCalendar(project);
  const fallbackHours = project.properties.minutesPerDay / 60;
  if (calendar === null) {
    return { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: fallbackHours, holidays: [], exceptions: [] };
  }
  const week = resolveWeek(calendar, project.calendars);
  const weekdays = workingWeekdays(week);
  const overrides = new Map<IsoDate, number>();
  // Farthest base first, so the calendar's own entries overwrite inherited ones.
  for (const source of baseChain(calendar, project.calendars).reverse()) {
    for (const exception of source.exceptions) {
      const times = exception.working && exception.workingTimes.length === 0 ? DEFAULT_WORKING_TIMES : exception.workingTimes;
      const hours = exception.working ? workingMinutes(times) / 60 : 0;
      for (const date of exceptionDates(exception)) overrides.set(date, hours);
    }
  }
  const holidays: IsoDate[] = [];
  const exceptions: CalendarException[] = [];
  for (const [date, hours] of [...overrides].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const weekdayWorks = weekdays.includes(dayOfWeek(date));
    if (hours === 0 && weekdayWorks) holidays.push(date);
    if (hours > 0) exceptions.push({ date, working: true, hours });
  }
  return {
    workingWeekdays: weekdays,
    hoursPerDay: calendar.hoursPerDay > 0 ? calendar.hoursPerDay : fallbackHours,
    holidays,
    exceptions,
  };
}
