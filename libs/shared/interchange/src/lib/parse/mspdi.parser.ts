import { MspdiError, invalidMspdi } from '../mspdi.errors';
import type { MspdiAssignment, MspdiCustomFieldDefinition, MspdiProject, MspdiProjectProperties, MspdiResource, MspdiTask } from '../mspdi.model';
import type { XmlNode } from '../xml/xml-node.reader';
import { childNode, children, readBoolean, readDateTime, readInteger, readText, readTime } from '../xml/xml-node.reader';
import { DEFAULT_XML_LIMITS, XmlStreamReader } from '../xml/xml-stream.reader';
import type { XmlLimits } from '../xml/xml-stream.reader';
import { parseCalendars } from './calendar.parser';
import { checkedAssignments, checkedResources, parseAssignment, parseResourceElement } from './resource.parser';
import { checkedTasks, parseTaskElement } from './task.parser';
import type { ParseContext } from './values.parser';

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

export interface MspdiReadOptions {
  readonly limits?: XmlLimits;
  /** Beyond this many tasks the read stops with MSPDI_TOO_MANY_TASKS (Microsoft Project allows 400,000). */
  readonly maxTasks?: number;
  /** Called as tasks are read (progress of a long import). */
  onTask?(tasksRead: number): void;
}

const COLLECTED = new Set(['Project/Tasks/Task', 'Project/Resources/Resource', 'Project/Assignments/Assignment']);

/**
 * Reads a Microsoft Project XML (MSPDI) document into the neutral model, streaming: feed it chunks with `write`,
 * then `end`. Tasks, resources and assignments are parsed as each element closes and their XML is dropped, so a
 * 400,000-task file is never in memory as text or tree. Throws `MspdiError` (see its codes).
 */
export class MspdiReader {
  private readonly xml: XmlStreamReader;
  private readonly tasks: MspdiTask[] = [];
  private readonly resources: MspdiResource[] = [];
  private readonly assignmentNodes: XmlNode[] = [];
  private context: ParseContext | null = null;

  constructor(private readonly options: MspdiReadOptions = {}) {
    this.xml = new XmlStreamReader(COLLECTED, (path, node) => this.element(path, node), options.limits ?? DEFAULT_XML_LIMITS);
  }

  write(chunk: string): void {
    this.xml.write(chunk);
  }

  end(): MspdiProject {
    const root = this.xml.end();
    const context = this.contextOf(root);
    const tasks = checkedTasks(this.tasks);
    const resources = checkedResources(this.resources);
    const assignments = checkedAssignments(
      this.assignmentNodes.map((node) => parseAssignment(node, context)),
      new Set(tasks.map((task) => task.uid)),
      new Set(resources.map((resource) => resource.uid)),
    );
    return assembleProject(root, context, tasks, resources, assignments);
  }

  /** MinutesPerDay precedes the tasks in MSPDI's schema: it is read once, from the header, at the first task. */
  private contextOf(root: XmlNode | null): ParseContext {
    this.context ??= { minutesPerDay: (root && positive(root, 'MinutesPerDay')) ?? DEFAULTS.minutesPerDay };
    return this.context;
  }

  private element(path: string, node: XmlNode): void {
    const context = this.contextOf(this.xml.header());
    if (path === 'Project/Tasks/Task') {
      this.tasks.push(...parseTaskElement(node, context));
      const max = this.options.maxTasks ?? Number.POSITIVE_INFINITY;
      if (this.tasks.length > max) throw new MspdiError('MSPDI_TOO_MANY_TASKS', `the plan has more than ${max} tasks`);
      this.options.onTask?.(this.tasks.length);
    } else if (path === 'Project/Resources/Resource') {
      this.resources.push(...parseResourceElement(node, context));
    } else {
      // Assignments are checked against every task and resource: they come last in the schema, parsed at the end.
      this.assignmentNodes.push(node);
    }
  }
}

/** Reads a whole MSPDI document held as one string (tests, small uploads): the same streaming reader. */
export function parseMspdi(xml: string, options: MspdiReadOptions = {}): MspdiProject {
  if (typeof xml !== 'string' || xml.trim() === '') throw new MspdiError('MSPDI_NOT_XML', 'the input is empty');
  const reader = new MspdiReader(options);
  reader.write(xml);
  return reader.end();
}

function assembleProject(root: XmlNode, context: ParseContext, tasks: MspdiTask[], resources: MspdiResource[], assignments: MspdiAssignment[]): MspdiProject {
  const calendars = parseCalendars(childNode(root, 'Calendars'));
  const calendarUids = new Set(calendars.map((calendar) => calendar.uid));
  // Microsoft Project itself writes references to calendars it did not save (the unnamed
  // resource UID 0 points at calendar 2 in several of its files): such a reference means "none".
  const known = (uid: number | null): number | null => (uid !== null && calendarUids.has(uid) ? uid : null);
  const parsed = parseProperties(root, context.minutesPerDay, tasks);
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
