import { ACCRUE_AT, COST_RATE_TABLES, RATE_UNITS, UNASSIGNED_RESOURCE_UID, WORK_CONTOURS } from '../codec/enums.codec';
import { invalidMspdi } from '../mspdi.errors';
import type {
  MspdiAssignment,
  MspdiAvailabilityPeriod,
  MspdiCostRate,
  MspdiRate,
  MspdiResource,
  ResourceType,
} from '../mspdi.model';
import type { XmlNode } from '../xml/xml-node.reader';
import {
  childNode,
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
import { readCurrency, readCustomFieldValues, readWorkHours } from './values.parser';

export function parseResources(resourcesNode: XmlNode | null, context: ParseContext): MspdiResource[] {
  return checkedResources(children(resourcesNode, 'Resource').flatMap((node) => parseResourceElement(node, context)));
}

/** One `<Resource>` element; blank rows (IsNull) are placeholders. */
export function parseResourceElement(node: XmlNode, context: ParseContext): MspdiResource[] {
  return readBoolean(node, 'IsNull') === true ? [] : [parseResource(node, context)];
}

export function checkedResources(resources: MspdiResource[]): MspdiResource[] {
  const uids = new Set<number>();
  for (const resource of resources) {
    if (uids.has(resource.uid)) throw invalidMspdi('Resources', `resource UID ${resource.uid} appears twice`);
    uids.add(resource.uid);
  }
  return resources;
}

function resourceType(node: XmlNode): ResourceType {
  // Cost resources (Project 2007+) are written as Type 0 plus IsCostResource 1.
  if (readBoolean(node, 'IsCostResource') === true) return 'cost';
  const type = readInteger(node, 'Type') ?? 1;
  if (type === 1) return 'work';
  if (type === 0) return 'material';
  if (type === 2) return 'cost';
  throw invalidMspdi(`${node.path}/Type`, `'${type}' is not a resource type (0 material, 1 work)`);
}

function parseResource(node: XmlNode, context: ParseContext): MspdiResource {
  const type = resourceType(node);
  const calendarUid = readInteger(node, 'CalendarUID');
  return {
    uid: requireInteger(node, 'UID'),
    id: readInteger(node, 'ID'),
    name: readText(node, 'Name') ?? '',
    type,
    initials: readText(node, 'Initials') ?? '',
    code: readText(node, 'Code') ?? '',
    group: readText(node, 'Group') ?? '',
    emailAddress: readText(node, 'EmailAddress') ?? '',
    materialLabel: readText(node, 'MaterialLabel') ?? '',
    maxUnits: type === 'work' ? readNumber(node, 'MaxUnits') ?? 1 : null,
    standardRate: readRate(node, 'StandardRate', 'StandardRateFormat'),
    overtimeRate: readRate(node, 'OvertimeRate', 'OvertimeRateFormat'),
    costPerUse: readCurrency(node, 'CostPerUse'),
    accrueAt: readEnum(node, 'AccrueAt', ACCRUE_AT),
    calendarUid: calendarUid === null || calendarUid < 0 ? null : calendarUid,
    availableFrom: readDateTime(node, 'AvailableFrom'),
    availableTo: readDateTime(node, 'AvailableTo'),
    availability: children(childNode(node, 'AvailabilityPeriods'), 'AvailabilityPeriod').map(parseAvailability),
    costRates: children(childNode(node, 'Rates'), 'Rate').map(parseCostRate),
    isGeneric: readBoolean(node, 'IsGeneric') ?? false,
    isInactive: readBoolean(node, 'IsInactive') ?? false,
    notes: readText(node, 'Notes') ?? '',
    baselines: children(node, 'Baseline').map((baseline) => ({
      number: readInteger(baseline, 'Number') ?? 0,
      work: readWorkHours(baseline, 'Work'),
      cost: readCurrency(baseline, 'Cost'),
    })),
    customFields: readCustomFieldValues(node, context),
  };
}

/** Rates are stored per hour whatever the display unit (20/minute is written as 1200). */
function readRate(node: XmlNode, valueName: string, formatName: string): MspdiRate | null {
  const perHour = readNumber(node, valueName);
  if (perHour === null) return null;
  return { perHour, unit: readEnum(node, formatName, RATE_UNITS) ?? 'hour' };
}

function parseAvailability(node: XmlNode): MspdiAvailabilityPeriod {
  const units = readNumber(node, 'AvailableUnits');
  if (units === null || units < 0) throw invalidMspdi(`${node.path}/AvailableUnits`, 'must be a non-negative number');
  return { from: readDateTime(node, 'AvailableFrom'), to: readDateTime(node, 'AvailableTo'), units };
}

function parseCostRate(node: XmlNode): MspdiCostRate {
  const from = readDateTime(node, 'RatesFrom');
  const to = readDateTime(node, 'RatesTo');
  if (from === null || to === null) throw invalidMspdi(node.path, 'a rate needs RatesFrom and RatesTo');
  return {
    table: readEnum(node, 'RateTable', COST_RATE_TABLES) ?? 'A',
    from,
    to,
    standardRate: readRate(node, 'StandardRate', 'StandardRateFormat'),
    overtimeRate: readRate(node, 'OvertimeRate', 'OvertimeRateFormat'),
    costPerUse: readCurrency(node, 'CostPerUse'),
  };
}

export function parseAssignments(
  assignmentsNode: XmlNode | null,
  context: ParseContext,
  taskUids: ReadonlySet<number>,
  resourceUids: ReadonlySet<number>,
): MspdiAssignment[] {
  return checkedAssignments(children(assignmentsNode, 'Assignment').map((node) => parseAssignment(node, context)), taskUids, resourceUids);
}

export function checkedAssignments(assignments: MspdiAssignment[], taskUids: ReadonlySet<number>, resourceUids: ReadonlySet<number>): MspdiAssignment[] {
  const uids = new Set<number>();
  for (const assignment of assignments) {
    if (uids.has(assignment.uid)) throw invalidMspdi('Assignments', `assignment UID ${assignment.uid} appears twice`);
    uids.add(assignment.uid);
    if (!taskUids.has(assignment.taskUid)) {
      throw invalidMspdi('Assignments', `assignment ${assignment.uid} refers to unknown task ${assignment.taskUid}`);
    }
    if (assignment.resourceUid !== null && !resourceUids.has(assignment.resourceUid)) {
      throw invalidMspdi('Assignments', `assignment ${assignment.uid} refers to unknown resource ${assignment.resourceUid}`);
    }
  }
  return assignments;
}

export function parseAssignment(node: XmlNode, context: ParseContext): MspdiAssignment {
  const resourceUid = requireInteger(node, 'ResourceUID');
  return {
    uid: requireInteger(node, 'UID'),
    taskUid: requireInteger(node, 'TaskUID'),
    resourceUid: resourceUid === UNASSIGNED_RESOURCE_UID ? null : resourceUid,
    units: readNumber(node, 'Units') ?? 1,
    work: readWorkHours(node, 'Work'),
    actualWork: readWorkHours(node, 'ActualWork'),
    remainingWork: readWorkHours(node, 'RemainingWork'),
    start: readDateTime(node, 'Start'),
    finish: readDateTime(node, 'Finish'),
    actualStart: readDateTime(node, 'ActualStart'),
    actualFinish: readDateTime(node, 'ActualFinish'),
    percentWorkComplete: readNumber(node, 'PercentWorkComplete') ?? 0,
    cost: readCurrency(node, 'Cost'),
    costRateTable: readEnum(node, 'CostRateTable', COST_RATE_TABLES) ?? 'A',
    workContour: readEnum(node, 'WorkContour', WORK_CONTOURS) ?? 'flat',
    baselines: children(node, 'Baseline').map((baseline) => ({
      number: readInteger(baseline, 'Number') ?? 0,
      start: readDateTime(baseline, 'Start'),
      finish: readDateTime(baseline, 'Finish'),
      work: readWorkHours(baseline, 'Work'),
      cost: readCurrency(baseline, 'Cost'),
    })),
    customFields: readCustomFieldValues(node, context),
  };
}
