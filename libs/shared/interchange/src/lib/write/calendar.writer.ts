import { exceptionDates } from '../calendar/calendar-recurrence';
import { dateRange } from '../calendar/plan-date';
import { codeOf, dayOfWeekToDayType, daysOfWeekToMask, MONTH_ITEMS, MONTH_POSITIONS } from '../codec/enums.codec';
import type { MspdiCalendar, MspdiCalendarException, MspdiRecurrencePattern, MspdiWorkingTime } from '../mspdi.model';
import type { XmlElement } from '../xml/xml.writer';
import { element, group, leaf } from '../xml/xml.writer';

export function writeCalendars(calendars: readonly MspdiCalendar[]): XmlElement[] {
  return group('Calendars', calendars.map(writeCalendar));
}

function writeCalendar(calendar: MspdiCalendar): XmlElement {
  const weekDays = calendar.weekDays.map((day) =>
    element('WeekDay', [
      ...leaf('DayType', dayOfWeekToDayType(day.dayOfWeek)),
      ...leaf('DayWorking', day.working),
      ...writeWorkingTimes(day.working ? day.workingTimes : []),
    ]),
  );
  return element('Calendar', [
    ...leaf('UID', calendar.uid),
    ...leaf('Name', calendar.name),
    ...leaf('IsBaseCalendar', calendar.isBaseCalendar),
    ...leaf('BaseCalendarUID', calendar.baseCalendarUid ?? -1),
    // Project 2003 (and any reader of the older format) only sees exceptions as DayType 0 days.
    ...group('WeekDays', [...weekDays, ...calendar.exceptions.flatMap(writeLegacyException)]),
    ...group('Exceptions', calendar.exceptions.map(writeException)),
  ]);
}

function writeWorkingTimes(times: readonly MspdiWorkingTime[]): XmlElement[] {
  return group(
    'WorkingTimes',
    times.map((time) => element('WorkingTime', [...leaf('FromTime', time.from), ...leaf('ToTime', time.to)])),
  );
}

const timePeriod = (from: string, to: string): XmlElement =>
  element('TimePeriod', [...leaf('FromDate', `${from}T00:00:00`), ...leaf('ToDate', `${to}T23:59:00`)]);

function writeLegacyException(exception: MspdiCalendarException): XmlElement[] {
  const periods: Array<[string, string]> =
    exception.recurrence === null ? [[exception.from, exception.to]] : exceptionDates(exception).map((date) => [date, date]);
  return periods.map(([from, to]) =>
    element('WeekDay', [
      ...leaf('DayType', 0),
      ...leaf('DayWorking', exception.working),
      timePeriod(from, to),
      ...writeWorkingTimes(exception.working ? exception.workingTimes : []),
    ]),
  );
}

function writeException(exception: MspdiCalendarException): XmlElement {
  const { recurrence } = exception;
  const occurrences = recurrence === null ? dateRange(exception.from, exception.to).length : recurrence.occurrences;
  return element('Exception', [
    ...leaf('EnteredByOccurrences', recurrence?.enteredByOccurrences ?? false),
    timePeriod(exception.from, exception.to),
    ...leaf('Occurrences', occurrences),
    ...leaf('Name', exception.name),
    ...(recurrence === null ? leaf('Type', 1) : writePattern(recurrence.pattern)),
    ...leaf('DayWorking', exception.working),
    ...writeWorkingTimes(exception.working ? exception.workingTimes : []),
  ]);
}

/** Type, Period, DaysOfWeek, MonthItem, MonthPosition, Month, MonthDay: the schema's order. */
function writePattern(pattern: MspdiRecurrencePattern): XmlElement[] {
  switch (pattern.type) {
    case 'daily':
      return [...leaf('Type', 7), ...leaf('Period', pattern.every)];
    case 'weekly':
      return [...leaf('Type', 6), ...leaf('Period', pattern.every), ...leaf('DaysOfWeek', daysOfWeekToMask(pattern.daysOfWeek))];
    case 'monthly-by-day':
      return [...leaf('Type', 4), ...leaf('Period', pattern.every), ...leaf('MonthDay', pattern.dayOfMonth)];
    case 'monthly-by-position':
      return [
        ...leaf('Type', 5),
        ...leaf('Period', pattern.every),
        ...leaf('MonthItem', codeOf(MONTH_ITEMS, pattern.item)),
        ...leaf('MonthPosition', codeOf(MONTH_POSITIONS, pattern.position)),
      ];
    case 'yearly-by-day':
      return [...leaf('Type', 2), ...leaf('Month', pattern.month - 1), ...leaf('MonthDay', pattern.dayOfMonth)];
    case 'yearly-by-position':
      return [
        ...leaf('Type', 3),
        ...leaf('MonthItem', codeOf(MONTH_ITEMS, pattern.item)),
        ...leaf('MonthPosition', codeOf(MONTH_POSITIONS, pattern.position)),
        ...leaf('Month', pattern.month - 1),
      ];
    default:
      return assertNever(pattern);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled recurrence ${JSON.stringify(value)}`);
}
