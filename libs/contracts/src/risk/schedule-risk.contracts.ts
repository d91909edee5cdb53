import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_RISK_PROJECT_ID, riskActorSchema, riskProjectIdSchema } from './risk-primitives.schema';

/**
 * A Monte Carlo schedule-risk run of a project (stream `schedule-risk:<tenant>:<projectId>`, ADR 0300, 0304): the
 * summary every subscriber needs; the full result (histograms, criticality, tornado) stays on the job resource.
 */

const datePercentileSchema = z.strictObject({ percentile: z.number().gt(0).lt(100), date: isoDateSchema });
const valuePercentileSchema = z.strictObject({ percentile: z.number().gt(0).lt(100), value: z.number() });

export const scheduleRiskSimulatedV1Schema = z.strictObject({
  projectId: riskProjectIdSchema,
  simulationId: z.string().min(1).max(100).describe('The simulation job id; GET …/schedule-risk/simulations/{id} has the full result'),
  iterations: z.number().int().min(1).max(1_000_000),
  seed: z.number().int().describe('With the same plan, the same seed gives the same result'),
  statusDate: isoDateSchema.nullable().describe('The data date of the plan simulated; null when none was set'),
  tasks: z.number().int().min(0).describe('Tasks simulated (summary tasks roll up and are left out)'),
  plannedFinish: isoDateSchema.describe('The deterministic CPM finish of the same plan'),
  p50Finish: isoDateSchema,
  p80Finish: isoDateSchema,
  p90Finish: isoDateSchema,
  finish: z.array(datePercentileSchema).min(1).max(20).describe('Every percentile asked for (default 10, 50, 80, 90, 95)'),
  cost: z.array(valuePercentileSchema).max(20).describe('Cost percentiles (the task budgets scaled by the simulated durations, plus risk events)'),
  targetDate: isoDateSchema.nullable(),
  probabilityOfTarget: z.number().min(0).max(1).nullable().describe('Share of iterations finishing on or before the target date'),
  simulatedBy: riskActorSchema,
  simulatedAt: isoDateTimeSchema,
});
export type ScheduleRiskSimulatedV1 = z.output<typeof scheduleRiskSimulatedV1Schema>;
export const scheduleRiskSimulatedV1 = defineEventContract({
  context: 'risk',
  name: 'ScheduleRiskSimulated',
  version: 1,
  schema: scheduleRiskSimulatedV1Schema,
  description: 'A Monte Carlo schedule-risk analysis of the project finished: finish-date and cost percentiles and the chance of meeting the target.',
  example: {
    projectId: EXAMPLE_RISK_PROJECT_ID,
    simulationId: '9b2f4c6d-8e1a-4b3c-9d5e-6f7a8b9c0d1e',
    iterations: 10_000,
    seed: 42,
    statusDate: '2026-03-02',
    tasks: 120,
    plannedFinish: '2026-08-28',
    p50Finish: '2026-09-04',
    p80Finish: '2026-09-14',
    p90Finish: '2026-09-21',
    finish: [
      { percentile: 10, date: '2026-08-24' },
      { percentile: 50, date: '2026-09-04' },
      { percentile: 80, date: '2026-09-14' },
      { percentile: 90, date: '2026-09-21' },
      { percentile: 95, date: '2026-09-25' },
    ],
    cost: [
      { percentile: 50, value: 1_250_000 },
      { percentile: 80, value: 1_310_000 },
    ],
    targetDate: '2026-09-11',
    probabilityOfTarget: 0.72,
    simulatedBy: 'user:pm-1',
    simulatedAt: '2026-03-03T09:05:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.ScheduleRiskSimulated': ScheduleRiskSimulatedV1;
  }
}

export const scheduleRiskSpreadDefinedV1Schema = z.strictObject({
  optimistic: z.number().min(-1).max(0).describe('Fraction of the planned duration: -0.1 is 10% shorter'),
  pessimistic: z.number().min(0).max(100).describe('Fraction of the planned duration: 0.25 is 25% longer'),
  distribution: z.enum(['pert', 'triangular']),
  definedBy: riskActorSchema,
  definedAt: isoDateTimeSchema,
});
export type ScheduleRiskSpreadDefinedV1 = z.output<typeof scheduleRiskSpreadDefinedV1Schema>;
export const scheduleRiskSpreadDefinedV1 = defineEventContract({
  context: 'risk',
  name: 'ScheduleRiskSpreadDefined',
  version: 1,
  schema: scheduleRiskSpreadDefinedV1Schema,
  description: 'The tenant’s default spread for Monte Carlo runs: the range a task without a three-point estimate may take, around its planned duration.',
  example: { optimistic: -0.1, pessimistic: 0.3, distribution: 'triangular', definedBy: 'user:admin-1', definedAt: '2026-03-03T09:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.ScheduleRiskSpreadDefined': ScheduleRiskSpreadDefinedV1;
  }
}
