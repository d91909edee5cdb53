import { resolveWeek, toCalendarSpec } from '@pm/shared/interchange';
import type { MspdiCalendar, MspdiProject, MspdiResource, MspdiWorkingTime } from '@pm/shared/interchange';
import type { CalendarSpec } from '@pm/shared/scheduling';

/** A daily exception running for decades would make one registration event megabytes long. */
const MAX_CALENDAR_DATES = 2000;

const sameSpec = (a: CalendarSpec, b: CalendarSpec): boolean => JSON.stringify(a) === JSON.stringify(b);

const minuteOf = (time: string, end: boolean): number => {
  const [h, m] = time.split(':').map(Number);
  const minute = (h ?? 0) * 60 + (m ?? 0);
  return end && minute === 0 ? 24 * 60 : minute;
};

/** Lengths of the working days of the calendar's resolved week; an empty list on a working day is 8 h. */
function dayLengths(calendar: MspdiCalendar, calendars: readonly MspdiCalendar[]): number[] {
  const length = (times: readonly MspdiWorkingTime[]) => (times.length === 0 ? 480 : times.reduce((sum, t) => sum + minuteOf(t.to, true) - minuteOf(t.from, false), 0));
  return [...new Set(resolveWeek(calendar, calendars).filter((day) => day.working).map((day) => length(day.workingTimes)))];
}

/**
 * The person's own calendar when it differs from the file's project calendar (their leave, a four-day week);
 * null when it is the same, so the person follows the tenant's calendar like everyone else. Resolved with its
 * base calendars and recurring exceptions by the shared mapper, as planning reads the project calendar.
 */
export function resourceCalendar(project: MspdiProject, resource: MspdiResource, warnings: string[]): CalendarSpec | null {
  const uid = resource.calendarUid;
  if (uid === null || !project.calendars.some((calendar) => calendar.uid === uid)) return null;
  const label = `resource ${resource.uid} (${resource.name})`;
  const own = toCalendarSpec({ ...project, properties: { ...project.properties, defaultCalendarUid: uid } });
  if (sameSpec(own, toCalendarSpec(project))) return null;
  if (own.workingWeekdays.length === 0) {
    warnings.push(`${label}: calendar ${uid} has no working weekday, the tenant calendar applies`);
    return null;
  }
  if (own.holidays.length + (own.exceptions?.length ?? 0) > MAX_CALENDAR_DATES) {
    warnings.push(`${label}: calendar ${uid} has more than ${MAX_CALENDAR_DATES} exception dates, the tenant calendar applies`);
    return null;
  }
  const lengths = dayLengths(project.calendars.find((calendar) => calendar.uid === uid) as MspdiCalendar, project.calendars);
  // CalendarSpec has one day length: a night shift of 1 h on Monday and 8 h after it is read as 8 h every day.
  if (lengths.length > 1) warnings.push(`${label}: working days of ${lengths.map((m) => m / 60).join(', ')} h imported as ${own.hoursPerDay} h each`);
  return own;
}
