import { invalidMspdi } from '../mspdi.errors';
import type { MspdiCustomFieldDefinition, MspdiProject, MspdiProjectProperties, MspdiTask } from '../mspdi.model';
import { parseProjectRoot } from '../xml/xml-document.parser';
import type { XmlNode } from '../xml/xml-node.reader';
import { childNode, children, readBoolean, readDateTime, readInteger, readText, readTime } from '../xml/xml-node.reader';
import { parseCalendars } from './calendar.parser';
import { parseAssignments, parseResources } from './resource.parser';
import { parseTasks } from './task.parser';

/** Microsoft Project's defaults for a new plan, used when a file leaves the value out. */
const DEFAULTS = {
  minutesPerDay: 480,
  minutesPerWeek: 2400,
  daysPerMonth: 20,
  defaultStartTime: '08:00:00',
  defaultFinishTime: '17:00:00',
  // CurrencyCode is mandatory in the Project 2007 schema; Project 2003 files lack it.
  currencyCode: 'USD',
} as const;

/**
 * Reads a Microsoft Project XML (MSPDI) document into the neutral model.
 * Throws `MspdiError` with code MSPDI_NOT_XML, MSPDI_NOT_A_PROJECT, MSPDI_INVALID or
 * MSPDI_UNSUPPORTED.
 */
export function parseMspdi(xml: string): MspdiProject {
  const root = parseProjectRoot(xml);
  const minutesPerDay = positive(root, 'MinutesPerDay') ?? DEFAULTS.minutesPerDay;
  const context = { minutesPerDay };
  const calendars = parseCalendars(childNode(root, 'Calendars'));
  const tasks = parseTasks(childNode(root, 'Tasks'), context);
  const resources = parseResources(childNode(root, 'Resources'), context);
  const assignments = parseAssignments(
    childNode(root, 'Assignments'),
    context,
    new Set(tasks.map((task) => task.uid)),
    new Set(resources.map((resource) => resource.uid)),
  );
  const calendarUids = new Set(calendars.map((calendar) => calendar.uid));
  // Microsoft Project itself writes references to calendars it did not save (the unnamed
  // resource UID 0 points at calendar 2 in several of its files): such a reference means "none".
  const known = (uid: number | null): number | null => (uid !== null && calendarUids.has(uid) ? uid : null);
  const parsed = parseProperties(root, minutesPerDay, tasks);
  const properties = { ...parsed, defaultCalendarUid: known(parsed.defaultCalendarUid) };
  return {
    properties,
    customFields: parseCustomFieldDefinitions(root),
    calendars,
    tasks: tasks.map((task) => ({ ...task, calendarUid: known(task.calendarUid) })),
    resources: resources.map((resource) => ({ ...resource, calendarUid: known(resource.calendarUid) })),
    assignments,
  };
}

function parseProperties(root: XmlNode, minutesPerDay: number, tasks: readonly MspdiTask[]): MspdiProjectProperties {
  const calendarUid = readInteger(root, 'CalendarUID');
  return {
    name: readText(root, 'Name') ?? '',
    title: readText(root, 'Title') ?? '',
    scheduleFromStart: readBoolean(root, 'ScheduleFromStart') ?? true,
    startDate: readDateTime(root, 'StartDate') ?? earliestTaskStart(tasks),
    finishDate: readDateTime(root, 'FinishDate'),
    statusDate: readDateTime(root, 'StatusDate'),
    currencyCode: readText(root, 'CurrencyCode') || DEFAULTS.currencyCode,
    currencySymbol: readText(root, 'CurrencySymbol') ?? '',
    defaultCalendarUid: calendarUid === null || calendarUid < 0 ? null : calendarUid,
    defaultStartTime: readTime(root, 'DefaultStartTime') ?? DEFAULTS.defaultStartTime,
    defaultFinishTime: readTime(root, 'DefaultFinishTime') ?? DEFAULTS.defaultFinishTime,
    minutesPerDay,
    minutesPerWeek: positive(root, 'MinutesPerWeek') ?? DEFAULTS.minutesPerWeek,
    daysPerMonth: positive(root, 'DaysPerMonth') ?? DEFAULTS.daysPerMonth,
  };
}

function positive(root: XmlNode, name: string): number | null {
  const value = readInteger(root, name);
  if (value !== null && value <= 0) throw invalidMspdi(`Project/${name}`, `'${value}' must be positive`);
  return value;
}

/** StartDate is optional in the schema; other tools omit it, the first task then dates the plan. */
function earliestTaskStart(tasks: readonly MspdiTask[]): string {
  const starts = tasks.map((task) => task.start).filter((start): start is string => start !== null).sort();
  if (starts.length === 0) throw invalidMspdi('Project/StartDate', 'is required when no task has a start date');
  return starts[0];
}

function parseCustomFieldDefinitions(root: XmlNode): MspdiCustomFieldDefinition[] {
  return children(childNode(root, 'ExtendedAttributes'), 'ExtendedAttribute').flatMap((node) => {
    const fieldId = readText(node, 'FieldID')?.trim();
    if (!fieldId) return [];
    return [{ fieldId, name: readText(node, 'FieldName') ?? '', alias: readText(node, 'Alias') }];
  });
}
