import { z } from 'zod';
import { registerUpcaster } from '../registry/contract.registry';
import { defineEventContract } from '../registry/event-contract';
import { currencyCodeSchema } from '../shared/contract-primitives.schema';
import { isoDateSchema, isoDateTimeSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_RISK_ID,
  EXAMPLE_RISK_PROJECT_ID,
  personIdSchema,
  riskActorSchema,
  riskIdSchema,
  riskKindSchema,
  riskLocalIdSchema,
  riskProjectIdSchema,
  riskRatingSchema,
  riskReasonSchema,
  riskScoreSchema,
  riskStatementSchema,
  riskStatusSchema,
  riskTitleSchema,
  riskTriggerSchema,
  scaleLevelSchema,
} from './risk-primitives.schema';

/** Events of the Risk aggregate (stream `risk:<tenant>:<riskId>`): identification, assessment, status. */

const ofRisk = { riskId: riskIdSchema, projectId: riskProjectIdSchema };
const ids = { riskId: EXAMPLE_RISK_ID, projectId: EXAMPLE_RISK_PROJECT_ID };
const at = '2026-03-03T09:00:00.000Z';

export const riskIdentifiedV1Schema = z.strictObject({
  ...ofRisk,
  kind: riskKindSchema,
  title: riskTitleSchema,
  cause: riskStatementSchema.describe('Because of <cause> …'),
  event: riskStatementSchema.describe('… <uncertain event> may occur …'),
  effect: riskStatementSchema.describe('… which would lead to <effect on objectives>'),
  categoryId: riskLocalIdSchema.describe("A category of the tenant's risk breakdown structure (RiskCategoryDefined)"),
  ownerId: personIdSchema.nullable(),
  proximity: isoDateSchema.nullable().describe('When the risk could occur, if known'),
  triggers: z.array(riskTriggerSchema).max(20).describe('Warning signs that the risk is about to occur'),
  identifiedBy: riskActorSchema,
  identifiedAt: isoDateTimeSchema,
});
export type RiskIdentifiedV1 = z.output<typeof riskIdentifiedV1Schema>;
export const riskIdentifiedV1 = defineEventContract({
  context: 'risk',
  name: 'RiskIdentified',
  version: 1,
  schema: riskIdentifiedV1Schema,
  description: 'A threat or an opportunity entered the register, stated as cause, event and effect, in a category of the tenant’s risk breakdown structure.',
  example: {
    ...ids,
    kind: 'threat',
    title: 'Vendor late with the firewall appliances',
    cause: 'The vendor has a single factory and a backlog',
    event: 'The appliances may arrive after the cut-over window',
    effect: 'Cut-over slips by a month and the data-centre lease is extended',
    categoryId: 'external.suppliers',
    ownerId: 'user:owner-1',
    proximity: '2026-05-01',
    triggers: ['Vendor misses the order confirmation date'],
    identifiedBy: 'user:pm-1',
    identifiedAt: at,
  },
});

const dimensionAssessmentSchema = z
  .strictObject({ probability: scaleLevelSchema, impact: scaleLevelSchema, score: riskScoreSchema, rating: riskRatingSchema })
  .describe("One dimension: probability and impact on the tenant's 5x5 matrix, their product and the matrix's rating");
const assessmentSchema = z
  .strictObject({
    dimensions: z
      .strictObject({
        schedule: dimensionAssessmentSchema.nullable(),
        cost: dimensionAssessmentSchema.nullable(),
        scope: dimensionAssessmentSchema.nullable(),
        quality: dimensionAssessmentSchema.nullable(),
      })
      .describe('null: the risk does not touch that dimension; at least one is assessed'),
    score: riskScoreSchema.describe('The highest score of its dimensions'),
    rating: riskRatingSchema.describe('The highest rating of its dimensions'),
  })
  .refine((a) => Object.values(a.dimensions).some((d) => d !== null), { path: ['dimensions'], message: 'assess at least one dimension' });

export const riskAssessedV1Schema = z.strictObject({
  ...ofRisk,
  inherent: assessmentSchema.describe('Before any response'),
  residual: assessmentSchema.nullable().describe('Expected once the planned responses are in place; null until assessed'),
  rating: riskRatingSchema.describe('The rating the register shows: the residual one when there is one, else the inherent one'),
  matrixRevision: z.number().int().min(0).describe('Revision of the tenant matrix that rated it; 0 is the built-in matrix'),
  assessedBy: riskActorSchema,
  assessedAt: isoDateTimeSchema,
});
export type RiskAssessedV1 = z.output<typeof riskAssessedV1Schema>;
const cell = (probability: number, impact: number, rating: 'low' | 'medium' | 'high' | 'critical') => ({ probability, impact, score: probability * impact, rating });
export const riskAssessedV1 = defineEventContract({
  context: 'risk',
  name: 'RiskAssessed',
  version: 1,
  schema: riskAssessedV1Schema,
  description: "Probability and impact per dimension (schedule, cost, scope, quality) on a 1–5 scale, inherent and residual, rated by the tenant's matrix. Superseded by v2, which adds the cost impact in money.",
  example: {
    ...ids,
    inherent: { dimensions: { schedule: cell(4, 4, 'high'), cost: cell(4, 3, 'high'), scope: null, quality: null }, score: 16, rating: 'high' },
    residual: { dimensions: { schedule: cell(2, 4, 'medium'), cost: cell(2, 3, 'medium'), scope: null, quality: null }, score: 8, rating: 'medium' },
    rating: 'medium',
    matrixRevision: 1,
    assessedBy: 'user:owner-1',
    assessedAt: at,
  },
});

/** Largest cost impact of one risk, in minor units: sums over a project's risks stay exact integers. */
export const MAX_RISK_COST_IMPACT_MINOR = 1_000_000_000_000;
const costImpactSchema = z
  .strictObject({
    amountMinor: z.number().int().min(1).max(MAX_RISK_COST_IMPACT_MINOR).describe('Integer minor units (cents), positive'),
    currency: currencyCodeSchema,
  })
  .describe('What the risk costs (threat) or saves (opportunity) if it occurs');
const expectedCostSchema = z
  .strictObject({
    probabilityPercent: z.number().int().min(1).max(99).describe('The band midpoint of the cost dimension’s probability level (1→5, 2→20, 3→50, 4→70, 5→90)'),
    amountMinor: z.number().int().min(0).max(MAX_RISK_COST_IMPACT_MINOR).describe('probabilityPercent × costImpact / 100, rounded half up to a minor unit'),
    currency: currencyCodeSchema,
  })
  .describe('Expected monetary value (EMV) of the current assessment: residual, else inherent');

export const riskAssessedV2Schema = z
  .strictObject({
    ...riskAssessedV1Schema.shape,
    costImpact: costImpactSchema.nullable().describe('null: no money figure (always null for events recorded before v2)'),
    expectedCost: expectedCostSchema.nullable().describe('null exactly when costImpact is null'),
  })
  .refine((d) => (d.costImpact === null) === (d.expectedCost === null), { path: ['expectedCost'], message: 'expectedCost is null exactly when costImpact is null' })
  .refine((d) => d.costImpact === null || d.expectedCost === null || d.costImpact.currency === d.expectedCost.currency, { path: ['expectedCost', 'currency'], message: 'expectedCost is in the currency of costImpact' })
  .refine((d) => d.costImpact === null || (d.residual ?? d.inherent).dimensions.cost !== null, { path: ['costImpact'], message: 'a cost impact needs the cost dimension assessed' });
export type RiskAssessedV2 = z.output<typeof riskAssessedV2Schema>;
export const riskAssessedV2 = defineEventContract({
  context: 'risk',
  name: 'RiskAssessed',
  version: 2,
  schema: riskAssessedV2Schema,
  description:
    "Probability and impact per dimension (schedule, cost, scope, quality) on a 1–5 scale, inherent and residual, rated by the tenant's matrix; optionally the cost impact in money and its expected monetary value (ADR 0304).",
  example: {
    ...riskAssessedV1.example,
    costImpact: { amountMinor: 12_000_000, currency: 'EUR' },
    expectedCost: { probabilityPercent: 20, amountMinor: 2_400_000, currency: 'EUR' },
  },
});

/** v1 assessments carried no money figure, and none can be derived from the levels. */
export function upcastRiskAssessedV1ToV2(data: RiskAssessedV1): RiskAssessedV2 {
  return { ...data, costImpact: null, expectedCost: null };
}
registerUpcaster(riskAssessedV1.type, 1, upcastRiskAssessedV1ToV2);

export const riskStatusChangedV1Schema = z.strictObject({
  ...ofRisk,
  from: riskStatusSchema,
  to: riskStatusSchema,
  reason: riskReasonSchema.nullable(),
  changedBy: riskActorSchema,
  changedAt: isoDateTimeSchema,
});
export type RiskStatusChangedV1 = z.output<typeof riskStatusChangedV1Schema>;
export const riskStatusChangedV1 = defineEventContract({
  context: 'risk',
  name: 'RiskStatusChanged',
  version: 1,
  schema: riskStatusChangedV1Schema,
  description: 'Every move of a risk through its life cycle, whatever caused it (an assessment, a response, a decision, an occurrence).',
  example: { ...ids, from: 'responding', to: 'monitoring', reason: 'Second supplier contracted', changedBy: 'user:owner-1', changedAt: at },
});

export const riskOwnerAssignedV1Schema = z.strictObject({
  ...ofRisk,
  ownerId: personIdSchema,
  previousOwnerId: personIdSchema.nullable(),
  assignedBy: riskActorSchema,
  assignedAt: isoDateTimeSchema,
});
export type RiskOwnerAssignedV1 = z.output<typeof riskOwnerAssignedV1Schema>;
export const riskOwnerAssignedV1 = defineEventContract({
  context: 'risk',
  name: 'RiskOwnerAssigned',
  version: 1,
  schema: riskOwnerAssignedV1Schema,
  description: 'A person (not a role) now owns the risk and its responses.',
  example: { ...ids, ownerId: 'user:owner-2', previousOwnerId: 'user:owner-1', assignedBy: 'user:pm-1', assignedAt: at },
});

export const riskReviewScheduledV1Schema = z.strictObject({
  ...ofRisk,
  reviewOn: isoDateSchema,
  previousReviewOn: isoDateSchema.nullable(),
  scheduledBy: riskActorSchema,
  scheduledAt: isoDateTimeSchema,
});
export type RiskReviewScheduledV1 = z.output<typeof riskReviewScheduledV1Schema>;
export const riskReviewScheduledV1 = defineEventContract({
  context: 'risk',
  name: 'RiskReviewScheduled',
  version: 1,
  schema: riskReviewScheduledV1Schema,
  description: 'The next review of the risk is due on this date; a review not done by then is overdue.',
  example: { ...ids, reviewOn: '2026-03-17', previousReviewOn: null, scheduledBy: 'user:owner-1', scheduledAt: at },
});

export const riskOccurredV1Schema = z.strictObject({
  ...ofRisk,
  kind: riskKindSchema,
  title: riskTitleSchema,
  occurredOn: isoDateSchema,
  description: riskStatementSchema.describe('What happened'),
  recordedBy: riskActorSchema,
  recordedAt: isoDateTimeSchema,
});
export type RiskOccurredV1 = z.output<typeof riskOccurredV1Schema>;
export const riskOccurredV1 = defineEventContract({
  context: 'risk',
  name: 'RiskOccurred',
  version: 1,
  schema: riskOccurredV1Schema,
  description: 'The risk event happened. For a threat, the risk service raises an issue with this risk as its source.',
  example: { ...ids, kind: 'threat', title: 'Vendor late with the firewall appliances', occurredOn: '2026-04-20', description: 'Delivery moved to June', recordedBy: 'user:owner-1', recordedAt: at },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.RiskIdentified': RiskIdentifiedV1;
    'pm.risk.RiskAssessed': RiskAssessedV2;
    'pm.risk.RiskStatusChanged': RiskStatusChangedV1;
    'pm.risk.RiskOwnerAssigned': RiskOwnerAssignedV1;
    'pm.risk.RiskReviewScheduled': RiskReviewScheduledV1;
    'pm.risk.RiskOccurred': RiskOccurredV1;
  }
}
