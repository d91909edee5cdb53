import { z } from 'zod';
import { isoDateSchema, trimmedText } from '../shared/contract-primitives.schema';

/**
 * Shapes shared by the schedule contracts. Task and dependency ids are chosen by the caller (an
 * imported plan keeps its own ids), so they are opaque strings rather than UUIDs.
 */
export const taskIdSchema = z.string().min(1).max(100).describe('Task id, unique within its project schedule');
export const dependencyIdSchema = z.string().min(1).max(100).describe('Dependency id, unique within its project schedule');
export const taskNameSchema = trimmedText(1000);
export const taskKindSchema = z.enum(['summary', 'task', 'milestone']);
export const dependencyTypeSchema = z.enum(['FS', 'SS', 'FF', 'SF']).describe('Finish-to-start, start-to-start, finish-to-finish, start-to-finish');
export const constraintTypeSchema = z.enum(['ASAP', 'ALAP', 'SNET', 'SNLT', 'FNET', 'FNLT', 'MSO', 'MFO']);
/** Durations may be fractional as estimated; the scheduling engine rounds them up to whole working days. */
export const workingDaysSchema = z.number().nonnegative().describe('Working days');
export const wholeWorkingDaysSchema = z.number().int().describe('Whole working days');
export const amountSchema = z.number().nonnegative();
export const baselineNumberSchema = z.number().int().min(0).max(10).describe('Baseline 0…10, as in Microsoft Project');

export const calendarExceptionSchema = z.strictObject({
  date: isoDateSchema,
  working: z.boolean(),
  hours: z.number().positive().max(24).nullable().describe("Hours on a worked exception day; null means the calendar's hoursPerDay"),
  reason: z.string().nullable(),
});

export const projectCalendarSchema = z.strictObject({
  calendarId: z.string().min(1),
  name: z.string().min(1),
  workingWeekdays: z.array(z.number().int().min(0).max(6)).min(1).describe('0 = Sunday … 6 = Saturday'),
  hoursPerDay: z.number().positive().max(24),
  holidays: z.array(z.strictObject({ date: isoDateSchema, name: z.string() })),
  exceptions: z.array(calendarExceptionSchema),
});

export const taskConstraintSchema = z.strictObject({
  type: constraintTypeSchema,
  date: isoDateSchema.nullable().describe('Null for ASAP and ALAP'),
});

export const EXAMPLE_PROJECT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

export const STANDARD_CALENDAR_EXAMPLE = {
  calendarId: 'standard',
  name: 'Standard (Mon–Fri, 8h)',
  workingWeekdays: [1, 2, 3, 4, 5],
  hoursPerDay: 8,
  holidays: [{ date: '2025-12-25', name: 'Christmas Day' }],
  exceptions: [],
};
