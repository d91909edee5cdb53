import { decodeDurationFormat, lagFromLinkLag, slackToDays } from '../codec/duration.codec';
import { CONSTRAINT_TYPES, LINK_TYPES } from '../codec/enums.codec';
import { invalidMspdi } from '../mspdi.errors';
import type {
  MspdiConstraint,
  MspdiDuration,
  MspdiLink,
  MspdiScheduleSnapshot,
  MspdiTask,
  MspdiTaskBaseline,
} from '../mspdi.model';
import type { XmlNode } from '../xml/xml-node.reader';
import {
  children,
  readBoolean,
  readDateTime,
  readEnum,
  readInteger,
  readNumber,
  readText,
  requireInteger,
} from '../xml/xml-node.reader';
import type { ParseContext } from './values.parser';
import { readCurrency, readCustomFieldValues, readDuration, readWorkHours } from './values.parser';

const ZERO_DAYS: MspdiDuration = { days: 0, unit: null, elapsed: false, estimated: false };

export function parseTasks(tasksNode: XmlNode | null, context: ParseContext): MspdiTask[] {
  return checkedTasks(children(tasksNode, 'Task').flatMap((node) => parseTaskElement(node, context)));
}

/** One `<Task>` element: nothing for the blank rows of Project's task sheet (IsNull), placeholders, not tasks. */
export function parseTaskElement(node: XmlNode, context: ParseContext): MspdiTask[] {
  return readBoolean(node, 'IsNull') === true ? [] : [parseTask(node, context)];
}

/** The tasks of one file: UIDs unique, every predecessor link to a task of the file. */
export function checkedTasks(tasks: MspdiTask[]): MspdiTask[] {
  const uids = new Set<number>();
  for (const task of tasks) {
    if (uids.has(task.uid)) throw invalidMspdi('Tasks', `task UID ${task.uid} appears twice`);
    uids.add(task.uid);
  }
  for (const task of tasks) {
    for (const link of task.predecessors) {
      if (!uids.has(link.predecessorUid)) {
        throw invalidMspdi('Tasks', `task ${task.uid} has a predecessor link to unknown task ${link.predecessorUid}`);
      }
    }
  }
  return tasks;
}

function parseTask(node: XmlNode, context: ParseContext): MspdiTask {
  const uid = requireInteger(node, 'UID');
  const estimated = readBoolean(node, 'Estimated');
  const percentComplete = readNumber(node, 'PercentComplete') ?? 0;
  if (percentComplete < 0 || percentComplete > 100) {
    throw invalidMspdi(`${node.path}/PercentComplete`, `'${percentComplete}' is not a percentage (0-100)`);
  }
  const calendarUid = readInteger(node, 'CalendarUID');
  return {
    uid,
    id: readInteger(node, 'ID'),
    name: readText(node, 'Name') ?? '',
    outlineLevel: readInteger(node, 'OutlineLevel') ?? (uid === 0 ? 0 : 1),
    outlineNumber: readText(node, 'OutlineNumber'),
    wbs: readText(node, 'WBS'),
    summary: readBoolean(node, 'Summary') ?? false,
    milestone: readBoolean(node, 'Milestone') ?? false,
    manual: readBoolean(node, 'Manual') ?? false,
    duration: readDuration(node, 'Duration', 'DurationFormat', context, estimated) ?? ZERO_DAYS,
    start: readDateTime(node, 'Start'),
    finish: readDateTime(node, 'Finish'),
    constraint: parseConstraint(node),
    deadline: readDateTime(node, 'Deadline'),
    percentComplete,
    actualStart: readDateTime(node, 'ActualStart'),
    actualFinish: readDateTime(node, 'ActualFinish'),
    cost: readCurrency(node, 'Cost'),
    work: readWorkHours(node, 'Work'),
    // -1 (or an absent element) means "the project calendar".
    calendarUid: calendarUid === null || calendarUid < 0 ? null : calendarUid,
    notes: readText(node, 'Notes') ?? '',
    predecessors: children(node, 'PredecessorLink').flatMap((link) => parseLink(link, context)),
    baselines: children(node, 'Baseline').map((baseline) => parseBaseline(baseline, context)),
    customFields: readCustomFieldValues(node, context),
    schedule: parseSchedule(node, context),
  };
}

function parseConstraint(node: XmlNode): MspdiConstraint {
  const type = readEnum(node, 'ConstraintType', CONSTRAINT_TYPES) ?? 'ASAP';
  if (type === 'ASAP' || type === 'ALAP') return { type, date: null };
  const date = readDateTime(node, 'ConstraintDate');
  if (date === null) throw invalidMspdi(`${node.path}/ConstraintDate`, `a ${type} constraint needs a date`);
  return { type, date };
}

function parseLink(node: XmlNode, context: ParseContext): MspdiLink[] {
  // Links to tasks in other project files cannot be resolved from this file alone.
  if (readBoolean(node, 'CrossProject') === true) return [];
  const lagFormatCode = readInteger(node, 'LagFormat') ?? 7;
  const format = decodeDurationFormat(lagFormatCode);
  if (format === null) {
    throw invalidMspdi(`${node.path}/LagFormat`, `'${lagFormatCode}' is not a lag format code`);
  }
  return [
    {
      predecessorUid: requireInteger(node, 'PredecessorUID'),
      type: readEnum(node, 'Type', LINK_TYPES) ?? 'FS',
      lag: lagFromLinkLag(readInteger(node, 'LinkLag') ?? 0, format, context.minutesPerDay),
    },
  ];
}

function parseBaseline(node: XmlNode, context: ParseContext): MspdiTaskBaseline {
  const number = readInteger(node, 'Number') ?? 0;
  if (number < 0 || number > 10) throw invalidMspdi(`${node.path}/Number`, `'${number}' is not a baseline number (0-10)`);
  return {
    number,
    start: readDateTime(node, 'Start'),
    finish: readDateTime(node, 'Finish'),
    duration: readDuration(node, 'Duration', 'DurationFormat', context, readBoolean(node, 'EstimatedDuration')),
    work: readWorkHours(node, 'Work'),
    cost: readCurrency(node, 'Cost'),
  };
}

function parseSchedule(node: XmlNode, context: ParseContext): MspdiScheduleSnapshot | null {
  const totalSlack = readNumber(node, 'TotalSlack');
  const freeSlack = readNumber(node, 'FreeSlack');
  const snapshot: MspdiScheduleSnapshot = {
    earlyStart: readDateTime(node, 'EarlyStart'),
    earlyFinish: readDateTime(node, 'EarlyFinish'),
    lateStart: readDateTime(node, 'LateStart'),
    lateFinish: readDateTime(node, 'LateFinish'),
    totalSlackDays: totalSlack === null ? null : slackToDays(totalSlack, context.minutesPerDay),
    freeSlackDays: freeSlack === null ? null : slackToDays(freeSlack, context.minutesPerDay),
    critical: readBoolean(node, 'Critical'),
  };
  return Object.values(snapshot).every((value) => value === null) ? null : snapshot;
}
