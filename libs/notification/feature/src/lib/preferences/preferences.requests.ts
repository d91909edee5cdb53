import { z } from 'zod';
import { clientIdSchema } from '@pm/platform/http';

/** Shapes the edge checks before the decider's own rules (which name the IANA zone, the caps, the reserved ids). */
const localTime = z.string().regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM').describe('Wall-clock time in my time zone');
const eventType = z.string().max(120).regex(/^pm\.[a-z]+\.(?:\*|[A-Z][A-Za-z0-9]*)$/, 'pm.<context>.<EventName> or pm.<context>.*');
const severity = z.enum(['low', 'medium', 'high', 'critical']);

export const preferencesRequest = z
  .strictObject({
    timeZone: z.string().min(1).max(64).optional().describe('IANA time zone, e.g. Europe/Berlin'),
    quietHours: z.strictObject({ from: localTime, to: localTime }).nullable().optional().describe('E-mail waits until `to`; null clears'),
    digest: z
      .strictObject({ cadence: z.enum(['daily', 'weekly']), at: localTime, weekday: z.number().int().min(1).max(7).nullable().optional().describe('ISO weekday for weekly') })
      .optional(),
    channels: z
      .array(
        z.strictObject({
          eventType: eventType.nullable().describe('An event type, a whole context (pm.risk.*), or null for my default'),
          inApp: z.boolean(),
          email: z.enum(['immediately', 'digest', 'never']),
        }),
      )
      .max(100)
      .optional(),
  })
  .describe('Only the parts given change; each change is its own event');
export type PreferencesRequest = z.output<typeof preferencesRequest>;

export const subscriptionRequest = z.strictObject({
  subscriptionId: clientIdSchema,
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('tenant') }),
    z.strictObject({ kind: z.literal('own-projects') }),
    z.strictObject({ kind: z.literal('project'), projectId: z.uuid() }),
  ]),
  eventTypes: z.array(eventType).min(1).max(50),
  minSeverity: severity.default('low'),
});
export type SubscriptionRequest = z.output<typeof subscriptionRequest>;
