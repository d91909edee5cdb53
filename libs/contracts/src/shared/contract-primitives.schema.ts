import { z } from 'zod';

/**
 * Building blocks shared by every event schema, so that "a date" or "a currency" means the same
 * thing in every contract and in the generated JSON Schema.
 */

/** `YYYY-MM-DD` that exists on the calendar (zod's ISO date rejects 2023-02-29 and 2024-04-31). */
export const isoDateSchema = z.iso.date().describe('Calendar date, YYYY-MM-DD');

/** RFC 3339 / ISO-8601 date-time with `Z` or an explicit offset; local times are ambiguous across tenants. */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true })
  .describe('ISO-8601 date-time with Z or a UTC offset');

export const uuidSchema = z.uuid();

/** ISO 4217 alphabetic code. The letter pattern only: the official list changes and consumers keep old events. */
export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'ISO 4217 code: three upper-case letters')
  .describe('ISO 4217 currency code');

// The pattern can never fail after `.trim()`; it is there so that the JSON Schema published to
// non-TypeScript consumers states the same guarantee ("no leading or trailing whitespace").
const NO_OUTER_WHITESPACE = /^\S(?:[\s\S]*\S)?$/;

/** Text that is trimmed on parse and must not be blank afterwards. */
export function trimmedText(maxLength: number): z.ZodString {
  return z.string().trim().min(1).max(maxLength).regex(NO_OUTER_WHITESPACE);
}
