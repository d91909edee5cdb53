import { z } from 'zod';

/** Request building blocks; `.strict()` everywhere so a misspelt field is a 400, not silently ignored. */
export const isoDate = z.iso.date().describe('YYYY-MM-DD');
export const text = (max: number) => z.string().trim().min(1, 'must not be blank').max(max);
export const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const moneyBody = z
  .strictObject({
    amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Integer minor units (cents): 85.50 EUR is 8550'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR'),
  })
  .describe('Exact money: no binary floating point');

export const calendarBody = z.strictObject({
  workingWeekdays: z.array(z.number().int().min(0).max(6)).min(1).describe('0 = Sunday … 6 = Saturday'),
  hoursPerDay: z.number().positive().max(24),
  holidays: z.array(isoDate).default([]),
  exceptions: z.array(z.strictObject({ date: isoDate, working: z.boolean(), hours: z.number().positive().max(24).optional() })).optional(),
});

export const loadBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('units'), percent: z.number().int().min(1).max(1000).describe('100 = full time') }),
  z.strictObject({ kind: z.literal('work'), hours: z.number().positive().max(8784).multipleOf(1 / 60).describe('Total work in hours (minute precision)') }),
]);
export type LoadBody = z.output<typeof loadBody>;

export const toLoad = (load: LoadBody) => (load.kind === 'units' ? load : { kind: 'work' as const, minutes: Math.round(load.hours * 60) });
