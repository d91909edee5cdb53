import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { riskActorSchema, riskLocalIdSchema, riskRatingSchema, riskScoreSchema, riskStatementSchema, riskTitleSchema } from './risk-primitives.schema';

/** Tenant-wide risk settings (stream `risk-settings:<tenant>:default`); the tenant is the envelope's `tenantid`. */

const at = '2026-03-01T08:00:00.000Z';

export const riskMatrixThresholdsSchema = z
  .strictObject({ medium: riskScoreSchema, high: riskScoreSchema, critical: riskScoreSchema })
  .refine((t) => t.medium < t.high && t.high < t.critical, { message: 'thresholds must ascend: medium < high < critical' })
  .describe('The score (probability × impact) from which each rating starts; below medium is low');

export const riskMatrixDefinedV1Schema = z.strictObject({
  revision: z.number().int().min(1).describe('1, 2, …: assessments name the revision that rated them'),
  cells: z
    .array(z.array(riskRatingSchema).length(5).describe('Impact 1 … 5'))
    .length(5)
    .describe('Rows by probability 1 … 5, columns by impact 1 … 5; never lower to the right or upwards'),
  thresholds: riskMatrixThresholdsSchema.nullable().describe('The thresholds the cells were derived from; null when the cells were given one by one'),
  definedBy: riskActorSchema,
  definedAt: isoDateTimeSchema,
});
export type RiskMatrixDefinedV1 = z.output<typeof riskMatrixDefinedV1Schema>;
export const riskMatrixDefinedV1 = defineEventContract({
  context: 'risk',
  name: 'RiskMatrixDefined',
  version: 1,
  schema: riskMatrixDefinedV1Schema,
  description: "The tenant's 5x5 probability-impact matrix: the rating of every cell, from score thresholds or cell by cell.",
  example: {
    revision: 1,
    cells: [
      ['low', 'low', 'low', 'low', 'medium'],
      ['low', 'low', 'medium', 'medium', 'high'],
      ['low', 'medium', 'medium', 'high', 'high'],
      ['low', 'medium', 'high', 'high', 'critical'],
      ['medium', 'high', 'high', 'critical', 'critical'],
    ],
    thresholds: { medium: 5, high: 10, critical: 20 },
    definedBy: 'user:pmo-1',
    definedAt: at,
  },
});

export const riskCategoryDefinedV1Schema = z.strictObject({
  categoryId: riskLocalIdSchema,
  name: riskTitleSchema,
  parentId: riskLocalIdSchema.nullable().describe('The parent category in the risk breakdown structure; null at the top'),
  description: riskStatementSchema.nullable(),
  definedBy: riskActorSchema,
  definedAt: isoDateTimeSchema,
});
export type RiskCategoryDefinedV1 = z.output<typeof riskCategoryDefinedV1Schema>;
export const riskCategoryDefinedV1 = defineEventContract({
  context: 'risk',
  name: 'RiskCategoryDefined',
  version: 1,
  schema: riskCategoryDefinedV1Schema,
  description: "A category of the tenant's risk breakdown structure was defined, renamed or moved.",
  example: { categoryId: 'external.suppliers', name: 'Suppliers', parentId: 'external', description: 'Vendors, subcontractors and their deliveries', definedBy: 'user:pmo-1', definedAt: at },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.RiskMatrixDefined': RiskMatrixDefinedV1;
    'pm.risk.RiskCategoryDefined': RiskCategoryDefinedV1;
  }
}
