import { z } from 'zod';
import { registerUpcaster } from '../registry/contract.registry';
import { defineEventContract } from '../registry/event-contract';
import { currencyCodeSchema, isoDateSchema, isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_RISK_ID, EXAMPLE_RISK_PROJECT_ID, riskIdSchema, riskKindSchema, riskProjectIdSchema, riskRatingSchema, riskScoreSchema, riskTitleSchema, scaleLevelSchema } from './risk-primitives.schema';

/**
 * A project's risk exposure for reporting (stream `risk-exposure:<tenant>:<projectId>`, ADR 0304): figures derived from
 * the register, the issue log and the latest schedule-risk simulation, published only when one of them moved.
 */

/** At most this many risks are named in `topRisks`, whatever the size of the register. */
export const EXPOSURE_TOP_RISKS = 10;

const topRiskSchema = z.strictObject({
  riskId: riskIdSchema,
  kind: riskKindSchema,
  title: riskTitleSchema,
  probability: scaleLevelSchema,
  impact: scaleLevelSchema,
  score: riskScoreSchema.describe('Of the current assessment (residual, else inherent)'),
  rating: riskRatingSchema,
});
const cellCountSchema = z.strictObject({ probability: scaleLevelSchema, impact: scaleLevelSchema, count: z.number().int().min(1) });

export const projectRiskExposureChangedV1Schema = z.strictObject({
  projectId: riskProjectIdSchema,
  costExposure: z
    .strictObject({
      score: z.number().int().min(0).describe('Σ over open threats of the cost dimension’s probability × impact (1–25 each)'),
      threats: z.number().int().min(0).describe('Open threats with a cost dimension assessed, counted in `score`'),
    })
    .describe('Expected cost exposure on the matrix scale: the register holds no money figure per risk (ADR 0304)'),
  openRisks: z.number().int().min(0).describe('Risks neither closed nor occurred'),
  topRisks: z.array(topRiskSchema).max(EXPOSURE_TOP_RISKS).describe('Open assessed risks, highest current score first (then id)'),
  cells: z.array(cellCountSchema).max(25).describe('Open assessed risks per probability × impact cell of their current assessment; empty cells left out'),
  openIssues: z.number().int().min(0),
  scheduleRisk: z
    .strictObject({ simulationId: z.string().min(1).max(100), p80Finish: isoDateSchema, simulatedAt: isoDateTimeSchema })
    .nullable()
    .describe('The latest Monte Carlo run (ScheduleRiskSimulated); null until one ran'),
  calculatedAt: isoDateTimeSchema,
});
export type ProjectRiskExposureChangedV1 = z.output<typeof projectRiskExposureChangedV1Schema>;
export const projectRiskExposureChangedV1 = defineEventContract({
  context: 'risk',
  name: 'ProjectRiskExposureChanged',
  version: 1,
  schema: projectRiskExposureChangedV1Schema,
  description:
    'A project’s risk exposure moved: cost exposure of its open threats, its top risks, counts per matrix cell, open issues and the latest Monte Carlo P80 finish. The whole figure set, so reporting keeps the last one. Superseded by v2 (money).',
  example: {
    projectId: EXAMPLE_RISK_PROJECT_ID,
    costExposure: { score: 14, threats: 2 },
    openRisks: 3,
    topRisks: [{ riskId: EXAMPLE_RISK_ID, kind: 'threat', title: 'Vendor late with the firewall appliances', probability: 4, impact: 4, score: 16, rating: 'high' }],
    cells: [{ probability: 4, impact: 4, count: 1 }],
    openIssues: 1,
    scheduleRisk: { simulationId: '9b2f4c6d-8e1a-4b3c-9d5e-6f7a8b9c0d1e', p80Finish: '2026-09-14', simulatedAt: '2026-03-03T09:05:00.000Z' },
    calculatedAt: '2026-03-03T09:05:01.000Z',
  },
});

const moneyByCurrencySchema = z
  .array(z.strictObject({ currency: currencyCodeSchema, amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }))
  .max(200)
  .describe('One entry per currency, by currency code; a currency with nothing expected is left out');

export const projectRiskExposureChangedV2Schema = z.strictObject({
  ...projectRiskExposureChangedV1Schema.shape,
  costExposure: z
    .strictObject({
      score: projectRiskExposureChangedV1Schema.shape.costExposure.shape.score,
      threats: projectRiskExposureChangedV1Schema.shape.costExposure.shape.threats,
      expected: moneyByCurrencySchema.describe(
        'Expected monetary value (EMV) of the open threats with a cost impact: Σ probability × cost impact of their current assessment (residual, else inherent), per currency',
      ),
      expectedOpportunity: moneyByCurrencySchema.describe('The same sum over open opportunities (savings), reported apart and never netted against `expected`'),
    })
    .describe('Expected cost exposure: on the matrix scale (`score`) and in money (`expected`, ADR 0304)'),
});
export type ProjectRiskExposureChangedV2 = z.output<typeof projectRiskExposureChangedV2Schema>;
export const projectRiskExposureChangedV2 = defineEventContract({
  context: 'risk',
  name: 'ProjectRiskExposureChanged',
  version: 2,
  schema: projectRiskExposureChangedV2Schema,
  description:
    'A project’s risk exposure moved: cost exposure of its open threats (matrix score and expected monetary value per currency, opportunities apart), its top risks, counts per matrix cell, open issues and the latest Monte Carlo P80 finish. The whole figure set, so reporting keeps the last one.',
  example: {
    ...projectRiskExposureChangedV1.example,
    costExposure: { score: 14, threats: 2, expected: [{ currency: 'EUR', amountMinor: 2_400_000 }], expectedOpportunity: [] },
  },
});

/** v1 figures had no money: the upcast lists no expected amount in any currency. */
export function upcastProjectRiskExposureChangedV1ToV2(data: ProjectRiskExposureChangedV1): ProjectRiskExposureChangedV2 {
  return { ...data, costExposure: { ...data.costExposure, expected: [], expectedOpportunity: [] } };
}
registerUpcaster(projectRiskExposureChangedV1.type, 1, upcastProjectRiskExposureChangedV1ToV2);

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.ProjectRiskExposureChanged': ProjectRiskExposureChangedV2;
  }
}
