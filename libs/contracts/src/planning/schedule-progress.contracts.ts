import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { currencyCodeSchema, isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID, amountSchema, baselineNumberSchema, taskIdSchema, taskKindSchema, workingDaysSchema } from './schedule-primitives.schema';

/** Events of the Schedule aggregate: progress, actual cost and baselines. */

export const taskStartedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, actualStart: isoDateSchema });
export type TaskStartedV1 = z.output<typeof taskStartedV1Schema>;
export const taskStartedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskStarted',
  version: 1,
  schema: taskStartedV1Schema,
  description: 'Work on a task began on its actual start date.',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', actualStart: '2025-09-09' },
});

export const taskProgressRecordedV1Schema = z.strictObject({
  projectId: uuidSchema,
  taskId: taskIdSchema,
  percentComplete: z.number().min(0).max(100),
  remainingDurationDays: workingDaysSchema,
  asOf: isoDateSchema,
});
export type TaskProgressRecordedV1 = z.output<typeof taskProgressRecordedV1Schema>;
export const taskProgressRecordedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskProgressRecorded',
  version: 1,
  schema: taskProgressRecordedV1Schema,
  description: 'Percent complete and remaining duration of a started task as of a date.',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', percentComplete: 40, remainingDurationDays: 6, asOf: '2025-09-12' },
});

export const taskFinishedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, actualFinish: isoDateSchema });
export type TaskFinishedV1 = z.output<typeof taskFinishedV1Schema>;
export const taskFinishedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskFinished',
  version: 1,
  schema: taskFinishedV1Schema,
  description: 'A task was completed on its actual finish date (100 % complete).',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', actualFinish: '2025-09-22' },
});

export const taskActualCostRecordedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, actualCost: amountSchema, asOf: isoDateSchema });
export type TaskActualCostRecordedV1 = z.output<typeof taskActualCostRecordedV1Schema>;
export const taskActualCostRecordedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskActualCostRecorded',
  version: 1,
  schema: taskActualCostRecordedV1Schema,
  description: 'The cumulative actual cost of a work package as of a date.',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', actualCost: 6400, asOf: '2025-09-12' },
});

/** At most this many dated parts in one ActualCostsReported (a timesheet's cost split per task and day: a week of lines). */
export const MAX_REPORTED_COST_ENTRIES = 1000;

export const actualCostsReportedV1Schema = z.strictObject({
  projectId: uuidSchema,
  costId: z.string().min(1).max(300).describe("The resource service's CostIncurred.costId: each cost is recorded once"),
  currency: currencyCodeSchema.describe("The project's currency (costs in another currency are not recorded on the schedule)"),
  minorUnitDigits: z.number().int().min(0).max(4).describe('ISO 4217 minor-unit digits of the currency (EUR 2, JPY 0, KWD 3)'),
  entries: z
    .array(
      z.strictObject({
        taskId: taskIdSchema.nullable().describe('The task it was booked to; null for a cost of the project as a whole'),
        date: isoDateSchema,
        amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Exact amount in minor units'),
      }),
    )
    .min(1)
    .max(MAX_REPORTED_COST_ENTRIES),
});
export type ActualCostsReportedV1 = z.output<typeof actualCostsReportedV1Schema>;
export const actualCostsReportedV1 = defineEventContract({
  context: 'planning',
  name: 'ActualCostsReported',
  version: 1,
  schema: actualCostsReportedV1Schema,
  description:
    "A cost the resource service reported (pm.resource.CostIncurred: an approved timesheet, split per task and day by its priced lines, or an expense), recorded on the project's schedule so that earned value counts it (ADR 0106, ADR 0303). Once per costId.",
  example: { projectId: EXAMPLE_PROJECT_ID, costId: '6f1c2b7e-0c4d-4a8e-9b1f-3d2e5a7c9b10:' + EXAMPLE_PROJECT_ID, currency: 'EUR', minorUnitDigits: 2, entries: [{ taskId: 'build', date: '2025-09-01', amountMinor: 35000 }] },
});

export const baselineTaskSchema = z.strictObject({
  taskId: taskIdSchema,
  kind: taskKindSchema,
  start: isoDateSchema,
  finish: isoDateSchema,
  durationDays: workingDaysSchema,
  workHours: amountSchema,
  cost: amountSchema,
});

export const baselineSavedV1Schema = z.strictObject({
  projectId: uuidSchema,
  baselineNumber: baselineNumberSchema,
  savedAt: isoDateTimeSchema,
  tasks: z.array(baselineTaskSchema).describe('Every task of the WBS, summaries rolled up'),
});
export type BaselineSavedV1 = z.output<typeof baselineSavedV1Schema>;
export const baselineSavedV1 = defineEventContract({
  context: 'planning',
  name: 'BaselineSaved',
  version: 1,
  schema: baselineSavedV1Schema,
  description: 'A snapshot of dates, duration, work and cost of every task was saved as baseline N.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    baselineNumber: 0,
    savedAt: '2025-08-29T16:00:00.000Z',
    tasks: [
      { taskId: 'phase-1', kind: 'summary', start: '2025-09-01', finish: '2025-09-19', durationDays: 15, workHours: 200, cost: 15000 },
      { taskId: 'design', kind: 'task', start: '2025-09-01', finish: '2025-09-05', durationDays: 5, workHours: 40, cost: 3000 },
      { taskId: 'build', kind: 'task', start: '2025-09-08', finish: '2025-09-19', durationDays: 10, workHours: 160, cost: 12000 },
    ],
  },
});

export const baselineExtendedV1Schema = z.strictObject({
  projectId: uuidSchema,
  baselineNumber: baselineNumberSchema,
  tasks: z.array(baselineTaskSchema).min(1).describe('More tasks of the baseline last saved under this number'),
});
export type BaselineExtendedV1 = z.output<typeof baselineExtendedV1Schema>;
export const baselineExtendedV1 = defineEventContract({
  context: 'planning',
  name: 'BaselineExtended',
  version: 1,
  schema: baselineExtendedV1Schema,
  description:
    'More tasks of baseline N, appended to the BaselineSaved just before it: a baseline of a large plan is written in parts so that no message exceeds the broker\'s size limit. Read BaselineSaved plus the BaselineExtended that follow it as one baseline.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    baselineNumber: 0,
    tasks: [{ taskId: 'build', kind: 'task', start: '2025-09-08', finish: '2025-09-19', durationDays: 10, workHours: 160, cost: 12000 }],
  },
});

export const baselineClearedV1Schema = z.strictObject({ projectId: uuidSchema, baselineNumber: baselineNumberSchema });
export type BaselineClearedV1 = z.output<typeof baselineClearedV1Schema>;
export const baselineClearedV1 = defineEventContract({
  context: 'planning',
  name: 'BaselineCleared',
  version: 1,
  schema: baselineClearedV1Schema,
  description: 'Baseline N was cleared.',
  example: { projectId: EXAMPLE_PROJECT_ID, baselineNumber: 1 },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.TaskStarted': TaskStartedV1;
    'pm.planning.TaskProgressRecorded': TaskProgressRecordedV1;
    'pm.planning.TaskFinished': TaskFinishedV1;
    'pm.planning.TaskActualCostRecorded': TaskActualCostRecordedV1;
    'pm.planning.ActualCostsReported': ActualCostsReportedV1;
    'pm.planning.BaselineSaved': BaselineSavedV1;
    'pm.planning.BaselineExtended': BaselineExtendedV1;
    'pm.planning.BaselineCleared': BaselineClearedV1;
  }
}
