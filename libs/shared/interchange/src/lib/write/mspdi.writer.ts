import { MSPDI_NAMESPACE } from '../codec/enums.codec';
import type { MspdiProject } from '../mspdi.model';
import { element, group, leaf, renderDocument } from '../xml/xml.writer';
import { writeCalendars } from './calendar.writer';
import { writeAssignments, writeResources } from './resource.writer';
import { writeTasks } from './task.writer';

/**
 * Project 2010's format (SaveVersion 14), which Project 2010-2021 and ProjectLibre open: the
 * only Project 2010 element written is Task/Manual, needed for manually scheduled tasks.
 */
const SAVE_VERSION = 14;

/** Serializes the model as MSPDI, elements in the order the schema's sequences require. */
export function writeMspdi(project: MspdiProject): string {
  const { properties } = project;
  const context = { minutesPerDay: properties.minutesPerDay };
  const root = element('Project', [
    ...leaf('SaveVersion', SAVE_VERSION),
    ...leaf('Name', properties.name),
    ...leaf('Title', properties.title),
    ...leaf('ScheduleFromStart', properties.scheduleFromStart),
    ...leaf('StartDate', properties.startDate),
    ...leaf('FinishDate', properties.finishDate),
    ...leaf('CurrencySymbol', properties.currencySymbol),
    ...leaf('CurrencyCode', properties.currencyCode),
    ...leaf('CalendarUID', properties.defaultCalendarUid),
    ...leaf('DefaultStartTime', properties.defaultStartTime),
    ...leaf('DefaultFinishTime', properties.defaultFinishTime),
    ...leaf('MinutesPerDay', properties.minutesPerDay),
    ...leaf('MinutesPerWeek', properties.minutesPerWeek),
    ...leaf('DaysPerMonth', properties.daysPerMonth),
    ...leaf('StatusDate', properties.statusDate),
    ...group(
      'ExtendedAttributes',
      project.customFields.map((field) =>
        element('ExtendedAttribute', [
          ...leaf('FieldID', field.fieldId),
          ...leaf('FieldName', field.name),
          ...leaf('Alias', field.alias),
        ]),
      ),
    ),
    ...writeCalendars(project.calendars),
    ...writeTasks(project.tasks, context),
    ...writeResources(project.resources, context),
    ...writeAssignments(project.assignments, context),
  ]);
  return renderDocument(root, MSPDI_NAMESPACE);
}
