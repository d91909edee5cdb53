import {
  ACCRUE_AT,
  codeOf,
  COST_RATE_TABLES,
  RATE_UNITS,
  UNASSIGNED_RESOURCE_UID,
  WORK_CONTOURS,
} from '../codec/enums.codec';
import type { MspdiAssignment, MspdiCostRate, MspdiRate, MspdiResource } from '../mspdi.model';
import type { XmlElement } from '../xml/xml.writer';
import { element, group, leaf } from '../xml/xml.writer';
import type { WriteContext } from './values.writer';
import { currencyElement, customFieldElements, workElement } from './values.writer';

export function writeResources(resources: readonly MspdiResource[], context: WriteContext): XmlElement[] {
  return group('Resources', resources.map((resource) => writeResource(resource, context)));
}

const rateElements = (name: string, formatName: string, rate: MspdiRate | null): XmlElement[] =>
  rate === null ? [] : [...leaf(name, rate.perHour), ...leaf(formatName, codeOf(RATE_UNITS, rate.unit))];

/** Schema order of the Resource sequence; cost resources are Type 0 plus IsCostResource. */
function writeResource(resource: MspdiResource, context: WriteContext): XmlElement {
  return element('Resource', [
    ...leaf('UID', resource.uid),
    ...leaf('ID', resource.id),
    ...leaf('Name', resource.name),
    ...leaf('Type', resource.type === 'work' ? 1 : 0),
    ...leaf('Initials', resource.initials),
    ...leaf('MaterialLabel', resource.materialLabel),
    ...leaf('Code', resource.code),
    ...leaf('Group', resource.group),
    ...leaf('EmailAddress', resource.emailAddress),
    ...leaf('MaxUnits', resource.maxUnits),
    ...leaf('AvailableFrom', resource.availableFrom),
    ...leaf('AvailableTo', resource.availableTo),
    ...leaf('AccrueAt', resource.accrueAt === null ? null : codeOf(ACCRUE_AT, resource.accrueAt)),
    ...rateElements('StandardRate', 'StandardRateFormat', resource.standardRate),
    ...rateElements('OvertimeRate', 'OvertimeRateFormat', resource.overtimeRate),
    ...currencyElement('CostPerUse', resource.costPerUse),
    ...leaf('CalendarUID', resource.calendarUid),
    ...leaf('Notes', resource.notes),
    ...leaf('IsGeneric', resource.isGeneric),
    ...leaf('IsInactive', resource.isInactive),
    ...customFieldElements(resource.customFields, context),
    ...resource.baselines.map((baseline) =>
      element('Baseline', [
        ...leaf('Number', baseline.number),
        ...workElement('Work', baseline.work),
        ...currencyElement('Cost', baseline.cost),
      ]),
    ),
    ...leaf('IsCostResource', resource.type === 'cost'),
    ...group(
      'AvailabilityPeriods',
      resource.availability.map((period) =>
        element('AvailabilityPeriod', [
          ...leaf('AvailableFrom', period.from),
          ...leaf('AvailableTo', period.to),
          ...leaf('AvailableUnits', period.units),
        ]),
      ),
    ),
    ...group('Rates', resource.costRates.map(writeCostRate)),
  ]);
}

function writeCostRate(rate: MspdiCostRate): XmlElement {
  return element('Rate', [
    ...leaf('RatesFrom', rate.from),
    ...leaf('RatesTo', rate.to),
    ...leaf('RateTable', codeOf(COST_RATE_TABLES, rate.table)),
    ...rateElements('StandardRate', 'StandardRateFormat', rate.standardRate),
    ...rateElements('OvertimeRate', 'OvertimeRateFormat', rate.overtimeRate),
    ...currencyElement('CostPerUse', rate.costPerUse),
  ]);
}

export function writeAssignments(assignments: readonly MspdiAssignment[], context: WriteContext): XmlElement[] {
  return group('Assignments', assignments.map((assignment) => writeAssignment(assignment, context)));
}

function writeAssignment(assignment: MspdiAssignment, context: WriteContext): XmlElement {
  return element('Assignment', [
    ...leaf('UID', assignment.uid),
    ...leaf('TaskUID', assignment.taskUid),
    ...leaf('ResourceUID', assignment.resourceUid ?? UNASSIGNED_RESOURCE_UID),
    ...leaf('PercentWorkComplete', assignment.percentWorkComplete),
    ...leaf('ActualFinish', assignment.actualFinish),
    ...leaf('ActualStart', assignment.actualStart),
    ...workElement('ActualWork', assignment.actualWork),
    ...currencyElement('Cost', assignment.cost),
    ...leaf('CostRateTable', codeOf(COST_RATE_TABLES, assignment.costRateTable)),
    ...leaf('Finish', assignment.finish),
    ...workElement('RemainingWork', assignment.remainingWork),
    ...leaf('Start', assignment.start),
    ...leaf('Units', assignment.units),
    ...workElement('Work', assignment.work),
    ...leaf('WorkContour', codeOf(WORK_CONTOURS, assignment.workContour)),
    ...customFieldElements(assignment.customFields, context),
    ...assignment.baselines.map((baseline) =>
      element('Baseline', [
        ...leaf('Number', baseline.number),
        ...leaf('Start', baseline.start),
        ...leaf('Finish', baseline.finish),
        ...workElement('Work', baseline.work),
        ...currencyElement('Cost', baseline.cost),
      ]),
    ),
  ]);
}
