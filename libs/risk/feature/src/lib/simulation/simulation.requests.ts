import { z } from 'zod';
import { clientIdSchema } from '@pm/platform/http';
import { isoDate } from '../shared/request-schemas';

/** Per run, through HTTP. The engine takes up to 1,000,000 (ADR 0300); a job of the shared pool is kept to a few minutes. */
export const MAX_SIMULATION_ITERATIONS = 100_000;
export const DEFAULT_SIMULATION_ITERATIONS = 10_000;
export const MAX_REQUEST_RISK_EVENTS = 200;
export const MAX_REQUEST_CORRELATION_GROUPS = 100;
const MAX_GROUP_TASKS = 100;
const MAX_IMPACTS = 50;

const days = z.number().min(0).max(10_000);
const threePoint = z
  .strictObject({ optimistic: days, mostLikely: days, pessimistic: days })
  .refine((e) => e.optimistic <= e.mostLikely && e.mostLikely <= e.pessimistic, 'needs optimistic <= mostLikely <= pessimistic');
const money = z.number().min(0).max(1e12);

const riskEventRequest = z.strictObject({
  id: clientIdSchema,
  probability: z.number().gt(0).max(1),
  impacts: z.array(z.strictObject({ taskId: clientIdSchema, days: z.union([days, threePoint]) })).max(MAX_IMPACTS).default([]),
  cost: z.union([money, z.strictObject({ optimistic: money, mostLikely: money, pessimistic: money })]).optional(),
});

export const simulationRequest = z
  .strictObject({
  iterations: z
    .number()
    .int()
    .min(1)
    .max(MAX_SIMULATION_ITERATIONS)
    .default(DEFAULT_SIMULATION_ITERATIONS)
    .describe(`1–${MAX_SIMULATION_ITERATIONS} (default ${DEFAULT_SIMULATION_ITERATIONS})`),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe('The same plan and seed give the same result; a random one when left out'),
  targetDate: isoDate.optional().describe('The result gives the probability of finishing on or before it'),
  correlation: z
    .array(z.strictObject({ taskIds: z.array(clientIdSchema).min(2).max(MAX_GROUP_TASKS), coefficient: z.number().min(-1).max(1) }))
    .max(MAX_REQUEST_CORRELATION_GROUPS)
    .optional()
    .describe('Spearman rank correlation between the durations of every pair of tasks of a group'),
  includeRiskEvents: z.boolean().default(false).describe('Simulate the risk events given in `riskEvents`'),
  riskEvents: z.array(riskEventRequest).max(MAX_REQUEST_RISK_EVENTS).default([]),
  includeRegisterRisks: z
    .boolean()
    .default(false)
    .describe(
      "Also simulate the register's open threats linked to tasks (PUT …/risks/{r}/schedule-impact): probability from their schedule assessment's band, delays from the link, cost from their cost impact (ADR 0305); the result lists them under `registerRisks`",
    ),
  costCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR')
    .optional()
    .describe("The project's currency, the one its task budgets are in: a register risk's cost impact in it adds to the simulated cost; in another currency, or without this, it adds none"),
  })
  // The register's risks run as `register:<riskId>`: a caller-named event may not take that form.
  .refine((r) => !r.riskEvents.some((e) => e.id.startsWith('register:')), { message: 'risk event ids starting with "register:" are the register’s', path: ['riskEvents'] });
export type SimulationRequest = z.output<typeof simulationRequest>;
