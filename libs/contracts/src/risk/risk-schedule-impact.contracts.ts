import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_RISK_ID, EXAMPLE_RISK_PROJECT_ID, riskActorSchema, riskIdSchema, riskLocalIdSchema, riskProjectIdSchema } from './risk-primitives.schema';

/**
 * The risk ↔ task link of the Risk aggregate (stream `risk:<tenant>:<riskId>`, ADR 0305): the plan's tasks a threat
 * delays if it occurs, each by a three-point delay in working days. A Monte Carlo run may take the register's open
 * linked threats as its risk events.
 */

/** Per task; the same bound as a caller-named risk event's impacts (ADR 0304). */
export const MAX_RISK_SCHEDULE_IMPACT_TASKS = 50;
/** Working days; beyond this a delay is a unit mistake. */
export const MAX_RISK_DELAY_DAYS = 1000;

const delayDaysSchema = z.number().min(0).max(MAX_RISK_DELAY_DAYS);

export const riskTaskDelaySchema = z.strictObject({
  taskId: riskLocalIdSchema.describe("A task of the project's schedule (planning's task id)"),
  delayDays: z
    .strictObject({ min: delayDaysSchema, mostLikely: delayDaysSchema, max: delayDaysSchema.gt(0) })
    .refine((d) => d.min <= d.mostLikely && d.mostLikely <= d.max, 'needs min <= mostLikely <= max')
    .describe('Working days the task takes longer if the risk occurs'),
});

export const riskScheduleImpactDefinedV1Schema = z.strictObject({
  riskId: riskIdSchema,
  projectId: riskProjectIdSchema,
  tasks: z
    .array(riskTaskDelaySchema)
    .max(MAX_RISK_SCHEDULE_IMPACT_TASKS)
    .refine((tasks) => new Set(tasks.map((t) => t.taskId)).size === tasks.length, 'each task once')
    .describe('The whole link, in task id order; it replaces the previous one. Empty: the risk delays no task any more'),
  definedBy: riskActorSchema,
  definedAt: isoDateTimeSchema,
});
export type RiskScheduleImpactDefinedV1 = z.output<typeof riskScheduleImpactDefinedV1Schema>;
export const riskScheduleImpactDefinedV1 = defineEventContract({
  context: 'risk',
  name: 'RiskScheduleImpactDefined',
  version: 1,
  schema: riskScheduleImpactDefinedV1Schema,
  description: "The plan's tasks the threat delays if it occurs, each with a three-point delay in working days; replaces the previous link (an empty list clears it).",
  example: {
    riskId: EXAMPLE_RISK_ID,
    projectId: EXAMPLE_RISK_PROJECT_ID,
    tasks: [
      { taskId: 'install', delayDays: { min: 2, mostLikely: 5, max: 10 } },
      { taskId: 'migrate', delayDays: { min: 0, mostLikely: 1, max: 3 } },
    ],
    definedBy: 'user:owner-1',
    definedAt: '2026-03-04T11:00:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.RiskScheduleImpactDefined': RiskScheduleImpactDefinedV1;
  }
}
