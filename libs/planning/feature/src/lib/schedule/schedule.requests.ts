import { z } from 'zod';
import { clientIdSchema } from '@pm/platform/http';

/** Request bodies of the schedule API. Every object is strict: a misspelt field is a 400, not silence. */

export const isoDate = z.iso.date().describe('YYYY-MM-DD');
export const entityIdSchema = clientIdSchema;
export const taskNameRequestSchema = z.string().trim().min(1).max(255);
const days = z.number().finite().nonnegative().max(100_000);
const amount = z.number().finite().nonnegative().max(1e12);
const lagDays = z.number().finite().min(-10_000).max(10_000).describe('Working days; negative is a lead');

const calendarExceptionSchema = z.strictObject({
  date: isoDate,
  working: z.boolean(),
  hours: z.number().positive().max(24).nullable().optional(),
  reason: z.string().trim().max(200).nullable().optional(),
});

export const calendarRequestSchema = z.strictObject({
  calendarId: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(200),
  workingWeekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).describe('0 = Sunday … 6 = Saturday'),
  hoursPerDay: z.number().positive().max(24),
  holidays: z.array(z.strictObject({ date: isoDate, name: z.string().trim().min(1).max(200) })).max(2000).default([]),
  exceptions: z.array(calendarExceptionSchema).max(2000).default([]),
});
export type CalendarRequest = z.output<typeof calendarRequestSchema>;

export const openScheduleRequestSchema = z.strictObject({
  projectStart: isoDate.optional().describe("Defaults to the project's planned start date"),
  calendar: calendarRequestSchema.optional().describe("Defaults to the tenant's default calendar, which the schedule then follows"),
});
export const projectStartRequestSchema = z.strictObject({ projectStart: isoDate });
export const holidayRequestSchema = z.strictObject({ date: isoDate, name: z.string().trim().min(1).max(200) });
export const calendarExceptionRequestSchema = calendarExceptionSchema;

export const addTaskRequestSchema = z.strictObject({
  taskId: entityIdSchema.optional().describe('Client-chosen id; a UUID is generated when absent'),
  name: taskNameRequestSchema,
  kind: z.enum(['summary', 'task', 'milestone']).default('task'),
  parentId: entityIdSchema.nullable().optional(),
  position: z.number().int().nonnegative().optional(),
  durationDays: days.optional(),
  workHours: amount.nullable().optional(),
  costBudget: amount.nullable().optional(),
});
export type AddTaskRequest = z.output<typeof addTaskRequestSchema>;

export const constraintRequestSchema = z
  .strictObject({
    type: z.enum(['ASAP', 'ALAP', 'SNET', 'SNLT', 'FNET', 'FNLT', 'MSO', 'MFO']),
    date: isoDate.nullable().optional(),
  })
  .refine((c) => ['ASAP', 'ALAP'].includes(c.type) === (c.date === undefined || c.date === null), {
    path: ['date'],
    message: 'ASAP and ALAP take no date; every other constraint needs one',
  });

export const threePointRequestSchema = z
  .strictObject({ optimisticDays: days, mostLikelyDays: days, pessimisticDays: days })
  .refine((t) => t.optimisticDays <= t.mostLikelyDays && t.mostLikelyDays <= t.pessimisticDays, {
    path: ['mostLikelyDays'],
    message: 'optimistic <= most likely <= pessimistic',
  });

/** One request may rename and re-estimate a task; the changes are appended together. */
export const updateTaskRequestSchema = z
  .strictObject({
    name: taskNameRequestSchema.optional(),
    durationDays: days.optional(),
    workHours: amount.optional(),
    costBudget: amount.optional(),
    threePoint: threePointRequestSchema.optional(),
    constraint: constraintRequestSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Give at least one field to change' });
export type UpdateTaskRequest = z.output<typeof updateTaskRequestSchema>;

export const moveTaskRequestSchema = z.strictObject({
  parentId: entityIdSchema.nullable(),
  position: z.number().int().nonnegative().optional(),
});

export const linkDependencyRequestSchema = z
  .strictObject({
    dependencyId: entityIdSchema.optional(),
    predecessorId: entityIdSchema,
    successorId: entityIdSchema,
    type: z.enum(['FS', 'SS', 'FF', 'SF']).default('FS'),
    lagDays: lagDays.default(0),
  })
  .refine((d) => d.predecessorId !== d.successorId, { path: ['successorId'], message: 'A task cannot depend on itself' });
export type LinkDependencyRequest = z.output<typeof linkDependencyRequestSchema>;

export const adjustLagRequestSchema = z.strictObject({ lagDays });

export const startTaskRequestSchema = z.strictObject({ actualStart: isoDate });
export const progressRequestSchema = z.strictObject({
  percentComplete: z.number().min(0).max(100),
  remainingDurationDays: days.nullable().optional(),
  asOf: isoDate,
});
export const finishTaskRequestSchema = z.strictObject({ actualFinish: isoDate, actualStart: isoDate.nullable().optional() });
export const actualCostRequestSchema = z.strictObject({ actualCost: amount, asOf: isoDate });

export const saveBaselineRequestSchema = z.strictObject({ overwrite: z.boolean().default(false) }).default({ overwrite: false });
export const baselineNumberParam = z.coerce.number().int().min(0).max(10);

export const evmQuerySchema = z.strictObject({
  statusDate: isoDate,
  baseline: z.coerce.number().int().min(0).max(10).default(0),
});
export const varianceQuerySchema = z.strictObject({ baseline: z.coerce.number().int().min(0).max(10).default(0) });
