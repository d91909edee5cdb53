import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { resourceCalendarSchema } from './resource-primitives.schema';

/** Tenant-wide resource settings (stream `tenant-settings-<tenantId>`); the tenant is the envelope's `tenantid`. */

export const tenantCalendarSetV1Schema = z.strictObject({
  calendar: resourceCalendarSchema,
  setBy: z.string().min(1),
  setAt: isoDateTimeSchema,
});
export type TenantCalendarSetV1 = z.output<typeof tenantCalendarSetV1Schema>;
export const tenantCalendarSetV1 = defineEventContract({
  context: 'resource',
  name: 'TenantCalendarSet',
  version: 1,
  schema: tenantCalendarSetV1Schema,
  description: "The tenant's default working calendar (for people without their own) changed; capacities are recomputed.",
  example: { calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 7.5, holidays: ['2025-12-25', '2025-12-26'] }, setBy: 'user:rm-1', setAt: '2025-07-14T09:30:00.000Z' },
});

export const budgetThresholdSetV1Schema = z.strictObject({
  thresholdPercent: z.number().int().min(1).max(1000),
  setBy: z.string().min(1),
  setAt: isoDateTimeSchema,
});
export type BudgetThresholdSetV1 = z.output<typeof budgetThresholdSetV1Schema>;
export const budgetThresholdSetV1 = defineEventContract({
  context: 'resource',
  name: 'BudgetThresholdSet',
  version: 1,
  schema: budgetThresholdSetV1Schema,
  description: "The tenant's default budget warning threshold (% of the cost baseline) for budgets set from now on.",
  example: { thresholdPercent: 90, setBy: 'user:pmo-1', setAt: '2025-07-14T09:30:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.resource.TenantCalendarSet': TenantCalendarSetV1;
    'pm.resource.BudgetThresholdSet': BudgetThresholdSetV1;
  }
}
