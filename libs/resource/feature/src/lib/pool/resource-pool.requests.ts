import { z } from 'zod';
import { calendarBody, isoDate, moneyBody, optionalText, text } from '../shared/request-schemas';

export const registerPersonRequest = z.strictObject({
  resourceId: z.uuid().optional().describe('Client-chosen id makes a retried create safe'),
  userId: optionalText(200).describe("The person's login (token sub), so they can submit their own timesheets"),
  name: text(200),
  role: text(100),
  department: text(100),
  calendar: calendarBody.nullable().optional().describe("Defaults to the tenant's calendar"),
  availabilityPercent: z.number().int().min(0).max(100).optional(),
});

export const registerGenericRequest = z.strictObject({
  resourceId: z.uuid().optional(),
  name: text(200),
  role: text(100),
  department: optionalText(100),
});

export const registerEquipmentRequest = z.strictObject({
  resourceId: z.uuid().optional(),
  name: text(200),
  kind: z.enum(['equipment', 'material']),
  unit: optionalText(20),
  costPerUse: moneyBody.nullable().optional(),
  costPerUnit: moneyBody.nullable().optional(),
});

export const recordSkillRequest = z.strictObject({ skill: text(100), level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]) });
export const scheduleRateRequest = z.strictObject({ effectiveFrom: isoDate, standardRate: moneyBody, overtimeRate: moneyBody.optional() });
export const setAvailabilityRequest = z.strictObject({ availabilityPercent: z.number().int().min(0).max(100) });
export const recordLeaveRequest = z
  .strictObject({ from: isoDate, to: isoDate, reason: optionalText(200) })
  .refine((l) => l.to >= l.from, { path: ['to'], message: 'leave must not end before it starts' });

export const listPoolQuery = z.strictObject({
  department: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  skill: z.string().min(1).optional(),
  minLevel: z.coerce.number().int().min(1).max(5).optional(),
});
