import { z } from 'zod';
import { registerUpcaster } from '../registry/contract.registry';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID, amountSchema, baselineNumberSchema, taskIdSchema, taskNameSchema } from './schedule-primitives.schema';

/** At most this many milestones in one event, the latest against their baseline first: the event stays small whatever the plan. */
export const MAX_PUBLISHED_MILESTONES = 200;
/** The total-float thresholds (working days) near-critical work is counted under, in every event. */
export const NEAR_CRITICAL_FLOAT_DAYS = [0, 2, 5, 10, 20] as const;

const ratioSchema = z.number().nonnegative().nullable();

export const nearCriticalCountSchema = z.strictObject({
  maxTotalFloatDays: z.number().int().nonnegative().describe('Counted: unfinished work packages whose total float is at most this many working days'),
  count: z.number().int().nonnegative(),
});

export const milestoneForecastSchema = z.strictObject({
  taskId: taskIdSchema,
  name: taskNameSchema,
  baselineFinish: isoDateSchema.describe('Its date in the baseline the figures are measured against'),
  forecastFinish: isoDateSchema.describe('Its finish as the critical-path calculation forecasts it (the actual finish once achieved)'),
  slipDays: z.number().int().describe('Working days from the baseline finish to the forecast finish; negative when early'),
  achieved: z.boolean().describe('Finished'),
  overdue: z.boolean().describe('Not achieved and its baseline finish is before the status date'),
});

export const projectEarnedValueCalculatedV1Schema = z.strictObject({
  projectId: uuidSchema,
  statusDate: isoDateSchema.describe('The data date the figures are measured at'),
  baselineNumber: baselineNumberSchema.describe('The performance measurement baseline: 0, as GET /projects/{id}/evm by default; else the lowest saved'),
  bac: amountSchema.describe("Budget at completion, in the project's currency (ProjectCreated.currency)"),
  pv: amountSchema.describe('Planned value at the status date'),
  ev: amountSchema.describe('Earned value at the status date (physical percent complete)'),
  ac: amountSchema.describe('Actual cost to the status date, as recorded on the schedule (see actualCostSource)'),
  spi: ratioSchema.describe('EV / PV; null while nothing was planned'),
  cpi: ratioSchema.describe('EV / AC; null while nothing was spent'),
  eac: amountSchema.nullable().describe("BAC / CPI (today's cost efficiency continues); null while CPI is"),
  actualCostSource: z
    .enum(['recorded-on-tasks'])
    .describe(
      'Where AC comes from. v1: the actual costs recorded on the tasks of the schedule stream; costs the resource service reports ' +
        '(ADR 0106) are kept outside the schedule stream and are not in these figures yet',
    ),
  nearCritical: z.array(nearCriticalCountSchema).describe('Counts under each threshold of NEAR_CRITICAL_FLOAT_DAYS (0, 2, 5, 10, 20)'),
  nearCriticalAtBaseline: z
    .array(nearCriticalCountSchema)
    .describe('The same counts as published with the baseline: by the plan that saved it, or by the first figures measured against it'),
  milestoneCount: z.number().int().nonnegative().describe('Milestones of the baseline still in the plan'),
  overdueMilestoneCount: z.number().int().nonnegative(),
  milestones: z
    .array(milestoneForecastSchema)
    .max(MAX_PUBLISHED_MILESTONES)
    .describe('Milestones of the baseline, largest slip first (then task id), at most 200; milestoneCount and overdueMilestoneCount count them all'),
  milestonesTruncated: z.boolean().describe('True when more than 200 milestones exist and the rest were left out'),
});
export type ProjectEarnedValueCalculatedV1 = z.output<typeof projectEarnedValueCalculatedV1Schema>;

export const projectEarnedValueCalculatedV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectEarnedValueCalculated',
  version: 1,
  schema: projectEarnedValueCalculatedV1Schema,
  description:
    "Earned value of the project at its status date against its performance measurement baseline, with what automatic risk rules need from the plan: milestones' " +
    'forecast against baseline and near-critical work. Appended with the schedule change or status date that changed any figure (ADR 0100), ' +
    'never when nothing did, and only once the schedule has a status date and a baseline. Bounded whatever the plan: counts, and at most 200 ' +
    'milestones (largest slip first).',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    statusDate: '2025-03-05',
    baselineNumber: 0,
    bac: 4000,
    pv: 3000,
    ev: 2500,
    ac: 2800,
    spi: 0.8333333333333334,
    cpi: 0.8928571428571429,
    eac: 4480,
    actualCostSource: 'recorded-on-tasks',
    nearCritical: [
      { maxTotalFloatDays: 0, count: 2 },
      { maxTotalFloatDays: 2, count: 2 },
      { maxTotalFloatDays: 5, count: 2 },
      { maxTotalFloatDays: 10, count: 2 },
      { maxTotalFloatDays: 20, count: 2 },
    ],
    nearCriticalAtBaseline: [
      { maxTotalFloatDays: 0, count: 1 },
      { maxTotalFloatDays: 2, count: 1 },
      { maxTotalFloatDays: 5, count: 2 },
      { maxTotalFloatDays: 10, count: 2 },
      { maxTotalFloatDays: 20, count: 2 },
    ],
    milestoneCount: 1,
    overdueMilestoneCount: 0,
    milestones: [
      { taskId: 'go-live', name: 'Go live', baselineFinish: '2025-03-06', forecastFinish: '2025-03-07', slipDays: 1, achieved: false, overdue: false },
    ],
    milestonesTruncated: false,
  },
});

export const projectEarnedValueCalculatedV2Schema = z.strictObject({
  ...projectEarnedValueCalculatedV1Schema.shape,
  ac: amountSchema.describe('Actual cost to the status date (see actualCostSource)'),
  actualCostSource: z
    .enum(['recorded-on-tasks', 'resource-service-and-tasks'])
    .describe(
      "Where AC comes from. `resource-service-and-tasks` (v2): per work package, the costs the resource service reported (timesheets, expenses; ActualCostsReported, ADR 0106) once it reported any, else the cost recorded on the task; costs of no work package count for the project. " +
        '`recorded-on-tasks`: a v1 event, whose AC counted only the costs recorded on the tasks',
    ),
});
export type ProjectEarnedValueCalculatedV2 = z.output<typeof projectEarnedValueCalculatedV2Schema>;

export const projectEarnedValueCalculatedV2 = defineEventContract({
  context: 'planning',
  name: 'ProjectEarnedValueCalculated',
  version: 2,
  schema: projectEarnedValueCalculatedV2Schema,
  description: projectEarnedValueCalculatedV1.description + ' v2: AC includes the costs the resource service reported.',
  example: { ...projectEarnedValueCalculatedV1.example, actualCostSource: 'resource-service-and-tasks' },
});

/** A v1 event's AC was what the tasks recorded: it says so, unchanged. */
export const upcastProjectEarnedValueCalculatedV1ToV2 = (data: ProjectEarnedValueCalculatedV1): ProjectEarnedValueCalculatedV2 => data;
registerUpcaster(projectEarnedValueCalculatedV1.type, 1, upcastProjectEarnedValueCalculatedV1ToV2);

/** Weekly points while the baseline spans at most this many ISO weeks, else month ends (ADR 0501). */
export const MAX_WEEKLY_CURVE_POINTS = 260;
/** At most this many month ends (100 years): a baseline longer than that publishes no curve (`curveInterval` null). */
export const MAX_MONTHLY_CURVE_POINTS = 1200;

export const plannedValuePointSchema = z.strictObject({
  periodEnd: isoDateSchema.describe('The last day of the period: the Sunday ending an ISO week, or the last day of a month'),
  pv: amountSchema.describe('Cumulative planned value of the baseline at the end of that day, computed as `pv` is'),
});

export const projectEarnedValueCalculatedV3Schema = z.strictObject({
  ...projectEarnedValueCalculatedV2Schema.shape,
  percentComplete: z
    .number()
    .min(0)
    .max(100)
    .nullable()
    .describe(
      "Duration-weighted, as Microsoft Project computes a project's % complete: the sum over work packages of duration x % complete over the sum of their durations " +
        '(working days; milestones weigh nothing). Null when the work packages have no duration, or in an upcast v2 event',
    ),
  baselineStart: isoDateSchema.nullable().describe('Earliest start of the measured baseline; null in an upcast v2 event or an empty baseline'),
  baselineFinish: isoDateSchema.nullable().describe('Latest finish of the measured baseline; null in an upcast v2 event or an empty baseline'),
  forecastFinish: isoDateSchema.nullable().describe("The project's finish as the critical-path calculation forecasts it; null in an upcast v2 event"),
  finishSlipDays: z
    .number()
    .int()
    .nullable()
    .describe("Working days (project calendar) from baselineFinish to forecastFinish, as milestones' slipDays; negative when early; null when either is"),
  curveInterval: z
    .enum(['week', 'month'])
    .nullable()
    .describe(`Period of plannedValueCurve: ISO weeks (ending on Sunday) up to ${MAX_WEEKLY_CURVE_POINTS} points, else month ends; null when there is no curve`),
  plannedValueCurve: z
    .array(plannedValuePointSchema)
    .max(MAX_MONTHLY_CURVE_POINTS)
    .describe(
      'The baseline cumulative planned value at the end of each period, from the period holding baselineStart to the one holding baselineFinish (the S-curve PV line); ' +
        'empty in an upcast v2 event',
    ),
});
export type ProjectEarnedValueCalculatedV3 = z.output<typeof projectEarnedValueCalculatedV3Schema>;

export const projectEarnedValueCalculatedV3 = defineEventContract({
  context: 'planning',
  name: 'ProjectEarnedValueCalculated',
  version: 3,
  schema: projectEarnedValueCalculatedV3Schema,
  description:
    projectEarnedValueCalculatedV2.description +
    " v3: the project's duration-weighted percent complete, baseline start and finish, forecast finish and its slip in working days, and the baseline's " +
    'cumulative planned value per week (month ends past 260 weeks) for S-curves (ADR 0501).',
  example: {
    ...projectEarnedValueCalculatedV2.example,
    percentComplete: 62.5,
    baselineStart: '2025-02-17',
    baselineFinish: '2025-03-06',
    forecastFinish: '2025-03-07',
    finishSlipDays: 1,
    curveInterval: 'week',
    plannedValueCurve: [
      { periodEnd: '2025-02-23', pv: 1000 },
      { periodEnd: '2025-03-02', pv: 2400 },
      { periodEnd: '2025-03-09', pv: 4000 },
    ],
  },
});

/** A v2 event measured none of the v3 figures: they are null (the curve empty), never invented. */
export const upcastProjectEarnedValueCalculatedV2ToV3 = (data: ProjectEarnedValueCalculatedV2): ProjectEarnedValueCalculatedV3 => ({
  ...data,
  percentComplete: null,
  baselineStart: null,
  baselineFinish: null,
  forecastFinish: null,
  finishSlipDays: null,
  curveInterval: null,
  plannedValueCurve: [],
});
registerUpcaster(projectEarnedValueCalculatedV2.type, 2, upcastProjectEarnedValueCalculatedV2ToV3);

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.ProjectEarnedValueCalculated': ProjectEarnedValueCalculatedV3;
  }
}
