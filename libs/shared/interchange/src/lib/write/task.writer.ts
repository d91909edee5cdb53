import { daysToSlack, lagToLinkLag } from '../codec/duration.codec';
import { codeOf, CONSTRAINT_TYPES, LINK_TYPES } from '../codec/enums.codec';
import type { MspdiLink, MspdiScheduleSnapshot, MspdiTask, MspdiTaskBaseline } from '../mspdi.model';
import type { XmlElement } from '../xml/xml.writer';
import { element, group, leaf } from '../xml/xml.writer';
import type { WriteContext } from './values.writer';
import { currencyElement, customFieldElements, durationElements, workElement } from './values.writer';

export function writeTasks(tasks: readonly MspdiTask[], context: WriteContext): XmlElement[] {
  return group('Tasks', tasks.map((task) => writeTask(task, context)));
}

/** Elements in the order of the Task sequence of the schema (Project 2010+ adds Manual). */
function writeTask(task: MspdiTask, context: WriteContext): XmlElement {
  const schedule = task.schedule;
  return element('Task', [
    ...leaf('UID', task.uid),
    ...leaf('ID', task.id),
    ...leaf('Name', task.name),
    ...leaf('Manual', task.manual),
    ...leaf('WBS', task.wbs),
    ...leaf('OutlineNumber', task.outlineNumber),
    ...leaf('OutlineLevel', task.outlineLevel),
    ...leaf('Start', task.start),
    ...leaf('Finish', task.finish),
    ...durationElements('Duration', 'DurationFormat', task.duration, context),
    ...workElement('Work', task.work),
    ...leaf('Estimated', task.duration.estimated),
    ...leaf('Milestone', task.milestone),
    ...leaf('Summary', task.summary),
    ...(schedule ? writeScheduleSnapshot(schedule, context) : []),
    ...leaf('PercentComplete', task.percentComplete),
    ...currencyElement('Cost', task.cost),
    ...leaf('ActualStart', task.actualStart),
    ...leaf('ActualFinish', task.actualFinish),
    ...leaf('ConstraintType', codeOf(CONSTRAINT_TYPES, task.constraint.type)),
    ...leaf('CalendarUID', task.calendarUid ?? -1),
    ...leaf('ConstraintDate', task.constraint.date),
    ...leaf('Deadline', task.deadline),
    ...leaf('Notes', task.notes),
    ...task.predecessors.map((link) => writeLink(link, context)),
    ...customFieldElements(task.customFields, context),
    ...task.baselines.map((baseline) => writeBaseline(baseline, context)),
  ]);
}

/** Critical sits between Summary and EarlyStart; the slack pair between WorkVariance and FixedCost. */
function writeScheduleSnapshot(schedule: MspdiScheduleSnapshot, context: WriteContext): XmlElement[] {
  const slack = (name: string, days: number | null): XmlElement[] =>
    days === null ? [] : leaf(name, daysToSlack(days, context.minutesPerDay));
  return [
    ...leaf('Critical', schedule.critical),
    ...leaf('EarlyStart', schedule.earlyStart),
    ...leaf('EarlyFinish', schedule.earlyFinish),
    ...leaf('LateStart', schedule.lateStart),
    ...leaf('LateFinish', schedule.lateFinish),
    ...slack('FreeSlack', schedule.freeSlackDays),
    ...slack('TotalSlack', schedule.totalSlackDays),
  ];
}

function writeLink(link: MspdiLink, context: WriteContext): XmlElement {
  const { linkLag, lagFormat } = lagToLinkLag(link.lag, context.minutesPerDay);
  return element('PredecessorLink', [
    ...leaf('PredecessorUID', link.predecessorUid),
    ...leaf('Type', codeOf(LINK_TYPES, link.type)),
    ...leaf('CrossProject', false),
    ...leaf('LinkLag', linkLag),
    ...leaf('LagFormat', lagFormat),
  ]);
}

function writeBaseline(baseline: MspdiTaskBaseline, context: WriteContext): XmlElement {
  return element('Baseline', [
    ...leaf('Number', baseline.number),
    ...leaf('Start', baseline.start),
    ...leaf('Finish', baseline.finish),
    ...durationElements('Duration', 'DurationFormat', baseline.duration, context),
    ...leaf('EstimatedDuration', baseline.duration?.estimated),
    ...workElement('Work', baseline.work),
    ...currencyElement('Cost', baseline.cost),
  ]);
}
