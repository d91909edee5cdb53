import { z } from 'zod';
import { currencyCodeSchema, isoDateSchema, trimmedText, uuidSchema } from '../shared/contract-primitives.schema';

/** Shared shapes of the resource context's events. */

/** Exact money: integer minor units (cents) and an ISO 4217 code; never a binary float. */
export const moneySchema = z
  .strictObject({
    amountMinor: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).describe('Integer minor units, e.g. cents'),
    currency: currencyCodeSchema,
  })
  .describe('An exact amount of money');

export const resourceIdSchema = uuidSchema.describe('Resource id (person, role placeholder, equipment or material)');
export const resourceKindSchema = z.enum(['person', 'generic', 'equipment', 'material']);
export const planningTaskIdSchema = z.string().min(1).max(100).describe("Planning's task id, unique within its project");
export const proficiencySchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).describe('1 aware … 5 expert');
export const costCategorySchema = z.enum(['labour', 'equipment', 'materials', 'other']);

/** The working calendar of a person: the scheduling engine's CalendarSpec. */
export const resourceCalendarSchema = z.strictObject({
  workingWeekdays: z.array(z.number().int().min(0).max(6)).min(1).describe('0 = Sunday … 6 = Saturday'),
  hoursPerDay: z.number().positive().max(24),
  holidays: z.array(isoDateSchema),
  exceptions: z.array(z.strictObject({ date: isoDateSchema, working: z.boolean(), hours: z.number().positive().max(24).optional() })).optional(),
});

export const assignmentLoadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('units'), percent: z.number().int().min(1).max(1000).describe('100 = full time') }),
  z.strictObject({ kind: z.literal('work'), minutes: z.number().int().positive().describe('Total work in minutes') }),
]);

export const overallocatedPeriodSchema = z.strictObject({
  from: isoDateSchema,
  to: isoDateSchema,
  minutesOver: z.number().int().positive().describe('Demand above capacity over the period, in minutes'),
  taskIds: z.array(planningTaskIdSchema).describe('Tasks with demand in the period'),
});

export const shortText = (max: number) => trimmedText(max);

export const EXAMPLE_RESOURCE_ID = '5b1d7c3e-8f2a-4c6b-9d0e-1a2b3c4d5e6f';
export const EXAMPLE_PROJECT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const EXAMPLE_ASSIGNMENT_ID = '0f6e5d4c-3b2a-4198-8776-655443322110';
export const EXAMPLE_TIMESHEET_ID = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
