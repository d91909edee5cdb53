import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_PROJECT_ID,
  STANDARD_CALENDAR_EXAMPLE,
  amountSchema,
  calendarExceptionSchema,
  projectCalendarSchema,
  taskIdSchema,
  taskKindSchema,
  taskNameSchema,
  workingDaysSchema,
} from './schedule-primitives.schema';

/** Events of the Schedule aggregate (stream `schedule-<projectId>`): opening, calendar and work breakdown. */

export const scheduleOpenedV1Schema = z.strictObject({
  projectId: uuidSchema,
  projectStart: isoDateSchema,
  calendar: projectCalendarSchema,
  openedAt: isoDateTimeSchema,
});
export type ScheduleOpenedV1 = z.output<typeof scheduleOpenedV1Schema>;
export const scheduleOpenedV1 = defineEventContract({
  context: 'planning',
  name: 'ScheduleOpened',
  version: 1,
  schema: scheduleOpenedV1Schema,
  description: "A project's schedule was opened with its start date and working calendar; every other schedule event follows it.",
  example: { projectId: EXAMPLE_PROJECT_ID, projectStart: '2025-09-01', calendar: STANDARD_CALENDAR_EXAMPLE, openedAt: '2025-07-14T09:31:00.000Z' },
});

export const projectStartRescheduledV1Schema = z.strictObject({ projectId: uuidSchema, previousStart: isoDateSchema, projectStart: isoDateSchema });
export type ProjectStartRescheduledV1 = z.output<typeof projectStartRescheduledV1Schema>;
export const projectStartRescheduledV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectStartRescheduled',
  version: 1,
  schema: projectStartRescheduledV1Schema,
  description: 'The date the schedule starts from moved.',
  example: { projectId: EXAMPLE_PROJECT_ID, previousStart: '2025-09-01', projectStart: '2025-09-15' },
});

export const workingCalendarDefinedV1Schema = z.strictObject({ projectId: uuidSchema, calendar: projectCalendarSchema });
export type WorkingCalendarDefinedV1 = z.output<typeof workingCalendarDefinedV1Schema>;
export const workingCalendarDefinedV1 = defineEventContract({
  context: 'planning',
  name: 'WorkingCalendarDefined',
  version: 1,
  schema: workingCalendarDefinedV1Schema,
  description: "The project's working calendar was replaced as a whole (working weekdays, hours per day, holidays, exceptions).",
  example: { projectId: EXAMPLE_PROJECT_ID, calendar: { ...STANDARD_CALENDAR_EXAMPLE, calendarId: 'uk-standard', name: 'UK standard' } },
});

export const holidayDeclaredV1Schema = z.strictObject({ projectId: uuidSchema, date: isoDateSchema, name: z.string() });
export type HolidayDeclaredV1 = z.output<typeof holidayDeclaredV1Schema>;
export const holidayDeclaredV1 = defineEventContract({
  context: 'planning',
  name: 'HolidayDeclared',
  version: 1,
  schema: holidayDeclaredV1Schema,
  description: 'A non-working day was added to the project calendar.',
  example: { projectId: EXAMPLE_PROJECT_ID, date: '2025-12-26', name: 'Boxing Day' },
});

export const calendarExceptionRecordedV1Schema = calendarExceptionSchema.extend({ projectId: uuidSchema });
export type CalendarExceptionRecordedV1 = z.output<typeof calendarExceptionRecordedV1Schema>;
export const calendarExceptionRecordedV1 = defineEventContract({
  context: 'planning',
  name: 'CalendarExceptionRecorded',
  version: 1,
  schema: calendarExceptionRecordedV1Schema,
  description: 'One date overrides the calendar: a worked Saturday, a closed Monday. It wins over weekdays and holidays.',
  example: { projectId: EXAMPLE_PROJECT_ID, date: '2025-11-15', working: true, hours: 6, reason: 'Cut-over weekend' },
});

export const taskAddedToWbsV1Schema = z.strictObject({
  projectId: uuidSchema,
  taskId: taskIdSchema,
  name: taskNameSchema,
  kind: taskKindSchema,
  parentId: taskIdSchema.nullable().describe('The summary task it sits under; null at the top level'),
  position: z.number().int().nonnegative().describe("Index among the parent's children after insertion"),
  durationDays: workingDaysSchema,
  workHours: amountSchema.nullable(),
  costBudget: amountSchema.nullable(),
});
export type TaskAddedToWbsV1 = z.output<typeof taskAddedToWbsV1Schema>;
export const taskAddedToWbsV1 = defineEventContract({
  context: 'planning',
  name: 'TaskAddedToWbs',
  version: 1,
  schema: taskAddedToWbsV1Schema,
  description: 'A summary task, task or milestone was added to the work breakdown structure. WBS codes derive from the order.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    taskId: 'build',
    name: 'Build the integration layer',
    kind: 'task',
    parentId: 'phase-1',
    position: 1,
    durationDays: 10,
    workHours: 160,
    costBudget: 12000,
  },
});

export const taskRenamedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, name: taskNameSchema });
export type TaskRenamedV1 = z.output<typeof taskRenamedV1Schema>;
export const taskRenamedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskRenamed',
  version: 1,
  schema: taskRenamedV1Schema,
  description: 'A task of the WBS got a new name.',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', name: 'Build and unit-test the integration layer' },
});

export const taskMovedInWbsV1Schema = z.strictObject({
  projectId: uuidSchema,
  taskId: taskIdSchema,
  fromParentId: taskIdSchema.nullable(),
  toParentId: taskIdSchema.nullable(),
  position: z.number().int().nonnegative(),
});
export type TaskMovedInWbsV1 = z.output<typeof taskMovedInWbsV1Schema>;
export const taskMovedInWbsV1 = defineEventContract({
  context: 'planning',
  name: 'TaskMovedInWbs',
  version: 1,
  schema: taskMovedInWbsV1Schema,
  description: 'A task moved to another place in the WBS (another summary, or another position under the same one).',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', fromParentId: 'phase-1', toParentId: 'phase-2', position: 0 },
});

export const taskRemovedFromWbsV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, parentId: taskIdSchema.nullable() });
export type TaskRemovedFromWbsV1 = z.output<typeof taskRemovedFromWbsV1Schema>;
export const taskRemovedFromWbsV1 = defineEventContract({
  context: 'planning',
  name: 'TaskRemovedFromWbs',
  version: 1,
  schema: taskRemovedFromWbsV1Schema,
  description: 'A task without progress left the WBS; its id is retired and never reused.',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', parentId: 'phase-1' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.ScheduleOpened': ScheduleOpenedV1;
    'pm.planning.ProjectStartRescheduled': ProjectStartRescheduledV1;
    'pm.planning.WorkingCalendarDefined': WorkingCalendarDefinedV1;
    'pm.planning.HolidayDeclared': HolidayDeclaredV1;
    'pm.planning.CalendarExceptionRecorded': CalendarExceptionRecordedV1;
    'pm.planning.TaskAddedToWbs': TaskAddedToWbsV1;
    'pm.planning.TaskRenamed': TaskRenamedV1;
    'pm.planning.TaskMovedInWbs': TaskMovedInWbsV1;
    'pm.planning.TaskRemovedFromWbs': TaskRemovedFromWbsV1;
  }
}
