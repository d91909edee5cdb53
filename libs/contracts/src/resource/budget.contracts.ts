import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { currencyCodeSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID, costCategorySchema, moneySchema } from './resource-primitives.schema';

/** Project budgets (stream `budget-<projectId>`): categories, contingency, reserve, forecast and threshold. */

const eur = (major: number) => ({ amountMinor: major * 100, currency: 'EUR' });

export const projectBudgetSetV1Schema = z.strictObject({
  projectId: uuidSchema,
  currency: currencyCodeSchema,
  categories: z.strictObject({ labour: moneySchema, equipment: moneySchema, materials: moneySchema, other: moneySchema }),
  contingency: moneySchema.describe('Inside the cost baseline'),
  managementReserve: moneySchema.describe('Outside the cost baseline'),
  thresholdPercent: z.number().int().min(1).max(1000).describe('Warn when the forecast at completion passes this % of the cost baseline'),
  setBy: z.string().min(1),
  setAt: isoDateTimeSchema,
});
export type ProjectBudgetSetV1 = z.output<typeof projectBudgetSetV1Schema>;
export const projectBudgetSetV1 = defineEventContract({
  context: 'resource',
  name: 'ProjectBudgetSet',
  version: 1,
  schema: projectBudgetSetV1Schema,
  description: 'A project budget by cost category, with contingency (in the cost baseline) and management reserve (outside it).',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    currency: 'EUR',
    categories: { labour: eur(60000), equipment: eur(10000), materials: eur(5000), other: eur(5000) },
    contingency: eur(10000),
    managementReserve: eur(20000),
    thresholdPercent: 100,
    setBy: 'user:pmo-1',
    setAt: '2025-07-14T09:30:00.000Z',
  },
});

export const actualCostRecordedV1Schema = z.strictObject({
  projectId: uuidSchema,
  costId: z.string().min(1).max(200),
  category: costCategorySchema,
  amount: moneySchema,
  recordedAt: isoDateTimeSchema,
});
export type ActualCostRecordedV1 = z.output<typeof actualCostRecordedV1Schema>;
export const actualCostRecordedV1 = defineEventContract({
  context: 'resource',
  name: 'ActualCostRecorded',
  version: 1,
  schema: actualCostRecordedV1Schema,
  description: 'A labour cost (from CostIncurred of a timesheet) was counted against the project budget, once per costId.',
  example: { projectId: EXAMPLE_PROJECT_ID, costId: `a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d:${EXAMPLE_PROJECT_ID}`, category: 'labour', amount: eur(769), recordedAt: '2025-09-15T09:00:01.000Z' },
});

export const forecastRevisedV1Schema = z.strictObject({
  projectId: uuidSchema,
  estimateToComplete: moneySchema,
  forecastAtCompletion: moneySchema.describe('EAC = actual cost to date + estimate to complete'),
  revisedAt: isoDateTimeSchema,
});
export type ForecastRevisedV1 = z.output<typeof forecastRevisedV1Schema>;
export const forecastRevisedV1 = defineEventContract({
  context: 'resource',
  name: 'ForecastRevised',
  version: 1,
  schema: forecastRevisedV1Schema,
  description: 'The estimate to complete of a project budget was revised.',
  example: { projectId: EXAMPLE_PROJECT_ID, estimateToComplete: eur(40000), forecastAtCompletion: eur(85000), revisedAt: '2025-09-15T09:00:00.000Z' },
});

export const budgetThresholdExceededV1Schema = z.strictObject({
  projectId: uuidSchema,
  forecastAtCompletion: moneySchema,
  costBaseline: moneySchema,
  thresholdPercent: z.number().int().min(1).max(1000),
  actualToDate: moneySchema,
  detectedAt: isoDateTimeSchema,
});
export type BudgetThresholdExceededV1 = z.output<typeof budgetThresholdExceededV1Schema>;
export const budgetThresholdExceededV1 = defineEventContract({
  context: 'resource',
  name: 'BudgetThresholdExceeded',
  version: 1,
  schema: budgetThresholdExceededV1Schema,
  description: 'The forecast at completion passed the threshold percentage of the cost baseline; published once on the way up.',
  example: { projectId: EXAMPLE_PROJECT_ID, forecastAtCompletion: eur(95000), costBaseline: eur(90000), thresholdPercent: 100, actualToDate: eur(55000), detectedAt: '2025-10-01T09:00:00.000Z' },
});

export const budgetForecastBackWithinThresholdV1Schema = z.strictObject({
  projectId: uuidSchema,
  forecastAtCompletion: moneySchema,
  costBaseline: moneySchema,
  detectedAt: isoDateTimeSchema,
});
export type BudgetForecastBackWithinThresholdV1 = z.output<typeof budgetForecastBackWithinThresholdV1Schema>;
export const budgetForecastBackWithinThresholdV1 = defineEventContract({
  context: 'resource',
  name: 'BudgetForecastBackWithinThreshold',
  version: 1,
  schema: budgetForecastBackWithinThresholdV1Schema,
  description: 'After BudgetThresholdExceeded, the forecast at completion came back within the threshold.',
  example: { projectId: EXAMPLE_PROJECT_ID, forecastAtCompletion: eur(88000), costBaseline: eur(90000), detectedAt: '2025-10-08T09:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.resource.ProjectBudgetSet': ProjectBudgetSetV1;
    'pm.resource.ActualCostRecorded': ActualCostRecordedV1;
    'pm.resource.ForecastRevised': ForecastRevisedV1;
    'pm.resource.BudgetThresholdExceeded': BudgetThresholdExceededV1;
    'pm.resource.BudgetForecastBackWithinThreshold': BudgetForecastBackWithinThresholdV1;
  }
}
