import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_SOURCE_EVENT_ID, EXAMPLE_WEBHOOK_DELIVERY_ID, EXAMPLE_WEBHOOK_ENDPOINT_ID, eventTypeSchema, sourceEventIdSchema } from './notification-primitives.schema';

/**
 * Events of a Webhook delivery (stream `webhook-delivery:<tenant>:<deliveryId>`, the id derived from endpoint and event):
 * the delivery log. The payload is not repeated here: it is the event itself.
 */

const ofDelivery = { deliveryId: uuidSchema, endpointId: uuidSchema, eventId: sourceEventIdSchema, eventType: eventTypeSchema };
const ids = { deliveryId: EXAMPLE_WEBHOOK_DELIVERY_ID, endpointId: EXAMPLE_WEBHOOK_ENDPOINT_ID, eventId: EXAMPLE_SOURCE_EVENT_ID, eventType: 'pm.planning.PhaseGateRequested' };
const outcome = {
  attempt: z.number().int().min(1).max(100),
  status: z.number().int().min(100).max(599).nullable().describe('The HTTP status; null when no response came'),
  error: z.string().max(200).nullable().describe('What went wrong without a response: timeout, connection refused, address refused by the SSRF guard'),
  durationMs: z.number().int().min(0).max(600_000),
  responseBody: z.string().max(1024).nullable().describe('The start of the response body, cut at 1,024 characters'),
};

export const webhookDeliveryAttemptedV1Schema = z.strictObject({ ...ofDelivery, ...outcome, nextAttemptAt: isoDateTimeSchema, attemptedAt: isoDateTimeSchema });
export type WebhookDeliveryAttemptedV1 = z.output<typeof webhookDeliveryAttemptedV1Schema>;
export const webhookDeliveryAttemptedV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookDeliveryAttempted',
  version: 1,
  schema: webhookDeliveryAttemptedV1Schema,
  description: 'An attempt did not get a 2xx; the delivery is tried again at nextAttemptAt (exponential backoff for up to 24 hours).',
  example: { ...ids, attempt: 1, status: 503, error: null, durationMs: 120, responseBody: 'Service Unavailable', nextAttemptAt: '2026-03-03T09:00:06.000Z', attemptedAt: '2026-03-03T09:00:01.000Z' },
});

export const webhookDeliverySucceededV1Schema = z.strictObject({ ...ofDelivery, ...outcome, succeededAt: isoDateTimeSchema });
export type WebhookDeliverySucceededV1 = z.output<typeof webhookDeliverySucceededV1Schema>;
export const webhookDeliverySucceededV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookDeliverySucceeded',
  version: 1,
  schema: webhookDeliverySucceededV1Schema,
  description: 'The endpoint answered 2xx.',
  example: { ...ids, attempt: 2, status: 204, error: null, durationMs: 85, responseBody: null, succeededAt: '2026-03-03T09:00:06.000Z' },
});

export const webhookDeliveryFailedV1Schema = z.strictObject({
  ...ofDelivery,
  ...outcome,
  reason: z.enum(['retries-exhausted', 'endpoint-disabled', 'endpoint-gone']).describe('24 hours of retries ran out, the endpoint was disabled (the delivery stays queued for redelivery), or it answered 410 Gone'),
  failedAt: isoDateTimeSchema,
});
export type WebhookDeliveryFailedV1 = z.output<typeof webhookDeliveryFailedV1Schema>;
export const webhookDeliveryFailedV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookDeliveryFailed',
  version: 1,
  schema: webhookDeliveryFailedV1Schema,
  description: 'The delivery stopped without a 2xx. A pmo-admin may redeliver it by hand.',
  example: { ...ids, attempt: 17, status: 500, error: null, durationMs: 300, responseBody: 'Internal Server Error', reason: 'retries-exhausted', failedAt: '2026-03-04T09:00:01.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.WebhookDeliveryAttempted': WebhookDeliveryAttemptedV1;
    'pm.notification.WebhookDeliverySucceeded': WebhookDeliverySucceededV1;
    'pm.notification.WebhookDeliveryFailed': WebhookDeliveryFailedV1;
  }
}
