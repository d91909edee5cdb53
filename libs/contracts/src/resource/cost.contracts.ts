import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID, EXAMPLE_RESOURCE_ID, EXAMPLE_TIMESHEET_ID, costCategorySchema, moneySchema, planningTaskIdSchema, resourceIdSchema, shortText } from './resource-primitives.schema';

/** Timesheets (stream `timesheet-<id>`) and the actual cost they incur; budgets are in budget.contracts.ts. */

const minutesSchema = z.number().int().min(0).max(24 * 60);
const timesheetLineSchema = z.strictObject({
  date: isoDateSchema,
  projectId: uuidSchema,
  taskId: planningTaskIdSchema.nullable(),
  minutes: minutesSchema,
  overtimeMinutes: minutesSchema,
});
const pricedLineSchema = timesheetLineSchema.extend({
  rateEffectiveFrom: isoDateSchema.describe('The rate-table row used: frozen, later rate changes do not reprice'),
  cost: moneySchema,
});
const exampleLine = { date: '2025-09-08', projectId: EXAMPLE_PROJECT_ID, taskId: 'build', minutes: 450, overtimeMinutes: 60 };

export const timesheetSubmittedV1Schema = z.strictObject({
  timesheetId: uuidSchema,
  resourceId: resourceIdSchema,
  weekStart: isoDateSchema.describe('The Monday of the week'),
  lines: z.array(timesheetLineSchema).min(1),
  submittedBy: z.string().min(1),
  submittedAt: isoDateTimeSchema,
});
export type TimesheetSubmittedV1 = z.output<typeof timesheetSubmittedV1Schema>;
export const timesheetSubmittedV1 = defineEventContract({
  context: 'resource',
  name: 'TimesheetSubmitted',
  version: 1,
  schema: timesheetSubmittedV1Schema,
  description: "A person's week of time, per day and project, submitted for approval.",
  example: { timesheetId: EXAMPLE_TIMESHEET_ID, resourceId: EXAMPLE_RESOURCE_ID, weekStart: '2025-09-08', lines: [exampleLine], submittedBy: 'user:ada.lovelace', submittedAt: '2025-09-12T17:00:00.000Z' },
});

export const timesheetApprovedV1Schema = z.strictObject({
  timesheetId: uuidSchema,
  resourceId: resourceIdSchema,
  weekStart: isoDateSchema,
  lines: z.array(pricedLineSchema).min(1),
  total: moneySchema,
  approvedBy: z.string().min(1),
  approvedAt: isoDateTimeSchema,
});
export type TimesheetApprovedV1 = z.output<typeof timesheetApprovedV1Schema>;
export const timesheetApprovedV1 = defineEventContract({
  context: 'resource',
  name: 'TimesheetApproved',
  version: 1,
  schema: timesheetApprovedV1Schema,
  description: 'A timesheet was approved and each line priced at the standard and overtime rates in force on its date.',
  example: {
    timesheetId: EXAMPLE_TIMESHEET_ID,
    resourceId: EXAMPLE_RESOURCE_ID,
    weekStart: '2025-09-08',
    lines: [{ ...exampleLine, rateEffectiveFrom: '2025-09-01', cost: { amountMinor: 76950, currency: 'EUR' } }],
    total: { amountMinor: 76950, currency: 'EUR' },
    approvedBy: 'user:rm-1',
    approvedAt: '2025-09-15T09:00:00.000Z',
  },
});

export const timesheetRejectedV1Schema = z.strictObject({
  timesheetId: uuidSchema,
  resourceId: resourceIdSchema,
  reason: shortText(1000),
  rejectedBy: z.string().min(1),
  rejectedAt: isoDateTimeSchema,
});
export type TimesheetRejectedV1 = z.output<typeof timesheetRejectedV1Schema>;
export const timesheetRejectedV1 = defineEventContract({
  context: 'resource',
  name: 'TimesheetRejected',
  version: 1,
  schema: timesheetRejectedV1Schema,
  description: 'A timesheet was sent back to its owner with a reason; it may be resubmitted.',
  example: { timesheetId: EXAMPLE_TIMESHEET_ID, resourceId: EXAMPLE_RESOURCE_ID, reason: 'Tuesday is booked to the wrong project', rejectedBy: 'user:rm-1', rejectedAt: '2025-09-15T09:00:00.000Z' },
});

export const costIncurredV1Schema = z
  .strictObject({
    costId: z.string().min(1).max(200).describe('Stable per cost: `<timesheetId>:<projectId>` or `expense:<expenseId>`; dedupe on it'),
    projectId: uuidSchema,
    category: costCategorySchema,
    amount: moneySchema,
    from: isoDateSchema,
    to: isoDateSchema,
    source: z.strictObject({ kind: z.enum(['timesheet', 'expense']), id: z.string().min(1) }),
    resourceId: resourceIdSchema.nullable(),
    incurredAt: isoDateTimeSchema,
  })
  .refine((c) => c.to >= c.from, { path: ['to'], message: 'to must not be before from' });
export type CostIncurredV1 = z.output<typeof costIncurredV1Schema>;
export const costIncurredV1 = defineEventContract({
  context: 'resource',
  name: 'CostIncurred',
  version: 1,
  schema: costIncurredV1Schema,
  description: "Actual cost of a project (AC for planning's earned value): labour from an approved timesheet, or an expense.",
  example: {
    costId: `${EXAMPLE_TIMESHEET_ID}:${EXAMPLE_PROJECT_ID}`,
    projectId: EXAMPLE_PROJECT_ID,
    category: 'labour',
    amount: { amountMinor: 76950, currency: 'EUR' },
    from: '2025-09-08',
    to: '2025-09-08',
    source: { kind: 'timesheet', id: EXAMPLE_TIMESHEET_ID },
    resourceId: EXAMPLE_RESOURCE_ID,
    incurredAt: '2025-09-15T09:00:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.resource.TimesheetSubmitted': TimesheetSubmittedV1;
    'pm.resource.TimesheetApproved': TimesheetApprovedV1;
    'pm.resource.TimesheetRejected': TimesheetRejectedV1;
    'pm.resource.CostIncurred': CostIncurredV1;
  }
}
