import { withDerivedHours } from '../calendar/calendar-week';
import { dayTypeToDayOfWeek, daysOfWeekFromMask, MONTH_ITEMS, MONTH_POSITIONS } from '../codec/enums.codec';
import { invalidMspdi, MspdiError } from '../mspdi.errors';
import type {
  MonthItem,
  MonthPosition,
  MspdiCalendar,
  MspdiCalendarException,
  MspdiRecurrence,
  MspdiRecurrencePattern,
  MspdiWeekDay,
  MspdiWorkingTime,
} from '../mspdi.model';
import type { XmlNode } from '../xml/xml-node.reader';
import {
  childNode,
  children,
  readBoolean,
  readDate,
  readEnum,
  readInteger,
  readText,
  readTime,
  requireInteger,
} from '../xml/xml-node.reader';

export function parseCalendars(calendarsNode: XmlNode | null): MspdiCalendar[] {
  const calendars = children(calendarsNode, 'Calendar').map(parseCalendar);
  const uids = new Set<number>();
  for (const calendar of calendars) {
    if (uids.has(calendar.uid)) throw invalidMspdi('Calendars', `calendar UID ${calendar.uid} appears twice`);
    uids.add(calendar.uid);
  }
  for (const calendar of calendars) {
    if (calendar.baseCalendarUid !== null && !uids.has(calendar.baseCalendarUid)) {
      throw invalidMspdi('Calendars', `calendar ${calendar.uid} derives from unknown calendar ${calendar.baseCalendarUid}`);
    }
  }
  return withDerivedHours(calendars);
}

function parseCalendar(node: XmlNode): Omit<MspdiCalendar, 'hoursPerDay'> {
  const uid = requireInteger(node, 'UID');
  const baseUid = readInteger(node, 'BaseCalendarUID');
  // Microsoft Project writes BaseCalendarUID 0 or -1 on base calendars; only derived ones use it.
  const isBaseCalendar = readBoolean(node, 'IsBaseCalendar') ?? (baseUid === null || baseUid < 0);
  const dayNodes = children(childNode(node, 'WeekDays'), 'WeekDay');
  const weekDays = dayNodes.filter((day) => requireInteger(day, 'DayType') !== 0).map(parseWeekDay);
  for (const day of weekDays) {
    if (weekDays.filter((other) => other.dayOfWeek === day.dayOfWeek).length > 1) {
      throw invalidMspdi(`${node.path}/WeekDays`, `day type ${day.dayOfWeek + 1} is defined twice`);
    }
  }
  const modern = children(childNode(node, 'Exceptions'), 'Exception');
  // Project 2007+ writes both forms; the Exceptions element keeps the recurrence, the legacy
  // DayType=0 entries are only its expansion.
  const exceptions = modern.length > 0
    ? modern.map(parseException)
    : dayNodes.filter((day) => requireInteger(day, 'DayType') === 0).map(parseLegacyException);
  return {
    uid,
    name: readText(node, 'Name') ?? '',
    isBaseCalendar,
    baseCalendarUid: isBaseCalendar || baseUid === null || baseUid < 0 ? null : baseUid,
    weekDays,
    exceptions,
  };
}

function parseWeekDay(node: XmlNode): MspdiWeekDay {
  const dayType = requireInteger(node, 'DayType');
  if (dayType < 1 || dayType > 7) throw invalidMspdi(`${node.path}/DayType`, `'${dayType}' is not a day type (0-7)`);
  const working = readBoolean(node, 'DayWorking') ?? false;
  return { dayOfWeek: dayTypeToDayOfWeek(dayType), working, workingTimes: working ? parseWorkingTimes(node) : [] };
}

function parseWorkingTimes(node: XmlNode): MspdiWorkingTime[] {
  return children(childNode(node, 'WorkingTimes'), 'WorkingTime').flatMap((time) => {
    const from = readTime(time, 'FromTime');
    const to = readTime(time, 'ToTime');
    if (from === null && to === null) return [];
    if (from === null || to === null) throw invalidMspdi(time.path, 'a working time needs both FromTime and ToTime');
    return [{ from, to }];
  });
}

function readPeriod(node: XmlNode): { from: string; to: string } {
  const period = childNode(node, 'TimePeriod');
  const from = period && readDate(period, 'FromDate');
  const to = period && readDate(period, 'ToDate');
  if (!from || !to) throw invalidMspdi(`${node.path}/TimePeriod`, 'an exception needs FromDate and ToDate');
  if (to < from) throw invalidMspdi(`${node.path}/TimePeriod`, `ToDate ${to} is before FromDate ${from}`);
  return { from, to };
}

function parseLegacyException(node: XmlNode): MspdiCalendarException {
  const working = readBoolean(node, 'DayWorking') ?? false;
  return { name: '', ...readPeriod(node), working, workingTimes: working ? parseWorkingTimes(node) : [], recurrence: null };
}

function parseException(node: XmlNode): MspdiCalendarException {
  const working = readBoolean(node, 'DayWorking') ?? false;
  return {
    name: readText(node, 'Name') ?? '',
    ...readPeriod(node),
    working,
    workingTimes: working ? parseWorkingTimes(node) : [],
    recurrence: parseRecurrence(node),
  };
}

function parseRecurrence(node: XmlNode): MspdiRecurrence | null {
  const type = readInteger(node, 'Type') ?? 1;
  // 1 = "daily", i.e. every day of the range, and 9 = "no type": plain date ranges.
  if (type === 1 || type === 9) return null;
  return {
    pattern: parsePattern(node, type),
    enteredByOccurrences: readBoolean(node, 'EnteredByOccurrences') ?? false,
    occurrences: readInteger(node, 'Occurrences'),
  };
}

function parsePattern(node: XmlNode, type: number): MspdiRecurrencePattern {
  const every = Math.max(1, readInteger(node, 'Period') ?? 1);
  const position = (): MonthPosition => required(node, 'MonthPosition', readEnum(node, 'MonthPosition', MONTH_POSITIONS));
  const item = (): MonthItem => required(node, 'MonthItem', readEnum(node, 'MonthItem', MONTH_ITEMS));
  const dayOfMonth = (): number => required(node, 'MonthDay', readInteger(node, 'MonthDay'));
  const month = (): number => {
    const zeroBased = required(node, 'Month', readInteger(node, 'Month'));
    if (zeroBased < 0 || zeroBased > 11) throw invalidMspdi(`${node.path}/Month`, `'${zeroBased}' is not a month (0-11)`);
    return zeroBased + 1;
  };
  switch (type) {
    case 2:
      return { type: 'yearly-by-day', month: month(), dayOfMonth: dayOfMonth() };
    case 3:
      return { type: 'yearly-by-position', month: month(), position: position(), item: item() };
    case 4:
      return { type: 'monthly-by-day', every, dayOfMonth: dayOfMonth() };
    case 5:
      return { type: 'monthly-by-position', every, position: position(), item: item() };
    case 6:
      return { type: 'weekly', every, daysOfWeek: daysOfWeekFromMask(readInteger(node, 'DaysOfWeek') ?? 0) };
    case 7:
      return { type: 'daily', every };
    case 8:
      throw new MspdiError('MSPDI_UNSUPPORTED', 'exception type 8 (every N working days) is not supported', `${node.path}/Type`);
    default:
      throw invalidMspdi(`${node.path}/Type`, `'${type}' is not an exception type (1-9)`);
  }
}

function required<T>(node: XmlNode, name: string, value: T | null): T {
  if (value === null) throw invalidMspdi(`${node.path}/${name}`, 'is required by this exception type');
  return value;
}
