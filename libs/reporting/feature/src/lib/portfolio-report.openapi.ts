import { z } from 'zod';

/** The response bodies of the portfolio report, for the OpenAPI document (the handlers return the same shapes). */
const nullableNumber = z.number().nullable();
const date = z.string().describe('YYYY-MM-DD');
const health = z.enum(['green', 'amber', 'red', 'unknown']);
const milestone = z.object({
  taskId: z.string(),
  name: z.string(),
  baselineFinish: date,
  forecastFinish: date,
  slipDays: z.number().int().describe('Working days from baseline to forecast; negative when early'),
  achieved: z.boolean(),
  overdue: z.boolean(),
});
const money = z.object({ currency: z.string(), amountMinor: z.number().int() });

const projectView = z.object({
  projectId: z.uuid(),
  name: z.string().nullable(),
  code: z.string().nullable(),
  status: z.string().nullable(),
  phase: z.string().nullable().describe('The lifecycle phase (status without on-hold or cancelled)'),
  priority: z.string().nullable(),
  currency: z.string().nullable(),
  startDate: date.nullable(),
  targetFinishDate: date.nullable(),
  pendingGate: z
    .object({ gateId: z.string(), fromPhase: z.string(), toPhase: z.string(), requestedAt: z.string() })
    .nullable()
    .describe('The phase gate requested and not yet decided'),
  pendingChangeRequests: z.number().int().describe('Change requests awaiting a decision (raised or assessed)'),
  schedule: z
    .object({
      projectStart: date.nullable(),
      forecastFinish: date.nullable(),
      statusDate: date.nullable(),
      baselineNumber: nullableNumber,
      bac: nullableNumber,
      pv: nullableNumber,
      ev: nullableNumber,
      ac: nullableNumber,
      spi: nullableNumber,
      cpi: nullableNumber,
      eac: nullableNumber,
      milestoneCount: nullableNumber,
      overdueMilestones: nullableNumber,
      milestones: z.array(milestone),
      percentComplete: nullableNumber.describe("Duration-weighted % complete, as Microsoft Project computes a project's (ADR 0501)"),
      baselineStart: date.nullable().describe('Earliest start of the measured baseline'),
      baselineFinish: date.nullable().describe('Latest finish of the measured baseline'),
      finishSlipDays: z.number().int().nullable().describe('Working days from baselineFinish to forecastFinish (project calendar); negative when early'),
    })
    .nullable()
    .describe('From ProjectScheduleCalculated and ProjectEarnedValueCalculated; null until the first'),
  risk: z
    .object({
      openRisks: z.number().int(),
      openIssues: z.number().int(),
      risksByRating: z
        .object({ low: z.number().int(), medium: z.number().int(), high: z.number().int(), critical: z.number().int(), complete: z.boolean() })
        .describe('Of the named top risks (at most 10); `complete` false when more are open'),
      cells: z.array(z.object({ probability: z.number().int(), impact: z.number().int(), count: z.number().int() })),
      topRisks: z.array(z.record(z.string(), z.unknown())),
      costExposureScore: z.number().int(),
      expectedExposure: z.array(money),
      expectedOpportunity: z.array(money),
      p80Finish: date.nullable().describe('Monte Carlo P80 finish; null until a simulation ran'),
      simulatedAt: z.string().nullable(),
    })
    .nullable()
    .describe('From ProjectRiskExposureChanged; null until the first'),
  health: z.object({
    schedule: health,
    cost: health,
    risk: health,
    overall: health,
    reasons: z.array(z.object({ dimension: z.enum(['schedule', 'cost', 'risk']), rag: z.enum(['amber', 'red']), code: z.string(), message: z.string() })),
  }),
  overall: health,
  spi: nullableNumber,
  cpi: nullableNumber,
  finish: date.nullable(),
  budgetConsumed: nullableNumber.describe('AC / BAC'),
  nextMilestones: z.array(milestone).max(3),
});

const currentTo = z
  .object({ eventId: z.string(), streamVersion: z.number().int(), recordedAt: z.string() })
  .nullable()
  .describe('The last event the answer includes (at or before asOf); null while there is none');

export const portfolioPageView = z.object({
  asOf: z.string().nullable(),
  currentTo,
  items: z.array(projectView),
  next: z.string().nullable().describe('Cursor of the next page; null on the last'),
});
export const portfolioProjectPageView = z.object({ asOf: z.string().nullable(), currentTo, project: projectView });
