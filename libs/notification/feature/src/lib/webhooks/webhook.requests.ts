import { z } from 'zod';

/** Shapes the edge checks before the decider's own rules (URL shape, filters, overlap bounds). */
const eventTypeFilter = z.string().max(120).regex(/^pm\.[a-z]+\.(?:\*|[A-Z][A-Za-z0-9]*)$/, 'pm.<context>.<EventName> or pm.<context>.*');

export const webhookEndpointRequest = z.strictObject({
  url: z.string().max(2000).describe('An absolute http(s) URL without credentials'),
  description: z.string().max(500).nullable().optional(),
  eventTypes: z.array(eventTypeFilter).min(1).max(50).describe('Only these events are delivered (pm.risk.* takes a whole context)'),
  orderedBySubject: z.boolean().default(false).describe('One subject’s deliveries one at a time, in order'),
  privateAddressesAllowed: z.boolean().default(false).describe('Allow private, loopback and link-local addresses (SSRF guard); for endpoints inside your network'),
});
export type WebhookEndpointRequest = z.output<typeof webhookEndpointRequest>;

export const rotateSecretRequest = z.strictObject({
  overlapMinutes: z.number().int().min(5).max(7 * 24 * 60).optional().describe('How long the previous secret also signs (default a day)'),
});
export type RotateSecretRequest = z.output<typeof rotateSecretRequest>;

export const deliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(['pending', 'waiting', 'paused', 'succeeded', 'failed', 'cancelled']).optional(),
  after: z.uuid().optional().describe('The last delivery id of the previous page (`page.next`)'),
});
export type DeliveriesQuery = z.output<typeof deliveriesQuery>;

export const endpointIdParam = z.uuid();
export const deliveryIdParam = z.uuid();
