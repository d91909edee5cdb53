import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_WEBHOOK_ENDPOINT_ID,
  eventTypeFilterSchema,
  keyFingerprintSchema,
  keyIdSchema,
  notificationActorSchema,
  webhookDescriptionSchema,
  webhookUrlSchema,
} from './notification-primitives.schema';

/**
 * Events of a Webhook endpoint (stream `webhook-endpoint:<tenant>:<endpointId>`). Secrets are never in an event: a
 * secret is named by its key id and told apart by a fingerprint; the secret itself is stored encrypted beside the stream.
 */

const ofEndpoint = { endpointId: uuidSchema };
const ids = { endpointId: EXAMPLE_WEBHOOK_ENDPOINT_ID };
const at = '2026-03-01T08:00:00.000Z';
export const webhookKeySchema = z.strictObject({ keyId: keyIdSchema, fingerprint: keyFingerprintSchema });
const configuration = {
  url: webhookUrlSchema,
  description: webhookDescriptionSchema.nullable(),
  eventTypes: z.array(eventTypeFilterSchema).min(1).max(50).describe('Only these events are delivered'),
  orderedBySubject: z.boolean().describe('Deliver one subject’s events one at a time, in order (a failing one holds up its subject on this endpoint only)'),
  privateAddressesAllowed: z.boolean().describe('A pmo-admin let this endpoint reach private, loopback or link-local addresses'),
};
const exampleConfiguration = {
  url: 'https://erp.example.com/hooks/pm',
  description: 'ERP project sync',
  eventTypes: ['pm.planning.*', 'pm.resource.TimesheetApproved'],
  orderedBySubject: true,
  privateAddressesAllowed: false,
};

export const webhookEndpointRegisteredV1Schema = z.strictObject({ ...ofEndpoint, ...configuration, key: webhookKeySchema, registeredBy: notificationActorSchema, registeredAt: isoDateTimeSchema });
export type WebhookEndpointRegisteredV1 = z.output<typeof webhookEndpointRegisteredV1Schema>;
export const webhookEndpointRegisteredV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookEndpointRegistered',
  version: 1,
  schema: webhookEndpointRegisteredV1Schema,
  description: 'A pmo-admin registered an endpoint for the tenant’s events, with its filters and its first signing secret (shown once, named here by key id).',
  example: { ...ids, ...exampleConfiguration, key: { keyId: 'whk_1', fingerprint: 'sha256:3f9a0c1b2d4e5f60' }, registeredBy: 'user:pmo-1', registeredAt: at },
});

export const webhookEndpointReconfiguredV1Schema = z.strictObject({ ...ofEndpoint, ...configuration, reconfiguredBy: notificationActorSchema, reconfiguredAt: isoDateTimeSchema });
export type WebhookEndpointReconfiguredV1 = z.output<typeof webhookEndpointReconfiguredV1Schema>;
export const webhookEndpointReconfiguredV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookEndpointReconfigured',
  version: 1,
  schema: webhookEndpointReconfiguredV1Schema,
  description: 'The endpoint’s URL, filters or ordering changed (the whole configuration, as it now is).',
  example: { ...ids, ...exampleConfiguration, eventTypes: ['pm.planning.*'], reconfiguredBy: 'user:pmo-1', reconfiguredAt: '2026-03-02T08:00:00.000Z' },
});

export const webhookEndpointDisabledV1Schema = z.strictObject({
  ...ofEndpoint,
  reason: z.enum(['manual', 'consecutive-failures']),
  consecutiveFailures: z.number().int().min(0).max(1_000_000).describe('Failed deliveries in a row when it was disabled'),
  disabledBy: notificationActorSchema,
  disabledAt: isoDateTimeSchema,
});
export type WebhookEndpointDisabledV1 = z.output<typeof webhookEndpointDisabledV1Schema>;
export const webhookEndpointDisabledV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookEndpointDisabled',
  version: 1,
  schema: webhookEndpointDisabledV1Schema,
  description: 'Nothing more is sent to the endpoint: disabled by hand, or after too many failed deliveries in a row. Its queue is kept for redelivery; the pmo-admins are told.',
  example: { ...ids, reason: 'consecutive-failures', consecutiveFailures: 20, disabledBy: 'service:notification-service', disabledAt: '2026-03-05T08:00:00.000Z' },
});

export const webhookEndpointEnabledV1Schema = z.strictObject({ ...ofEndpoint, enabledBy: notificationActorSchema, enabledAt: isoDateTimeSchema });
export type WebhookEndpointEnabledV1 = z.output<typeof webhookEndpointEnabledV1Schema>;
export const webhookEndpointEnabledV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookEndpointEnabled',
  version: 1,
  schema: webhookEndpointEnabledV1Schema,
  description: 'A pmo-admin enabled the endpoint again; its kept queue is delivered and the failure count starts from zero.',
  example: { ...ids, enabledBy: 'user:pmo-1', enabledAt: '2026-03-05T09:00:00.000Z' },
});

export const webhookSecretRotatedV1Schema = z.strictObject({
  ...ofEndpoint,
  key: webhookKeySchema.describe('The new secret, which signs from now on'),
  previousKeyId: keyIdSchema,
  previousValidUntil: isoDateTimeSchema.describe('Until then deliveries carry a signature with each secret, so a receiver can switch at its pace'),
  rotatedBy: notificationActorSchema,
  rotatedAt: isoDateTimeSchema,
});
export type WebhookSecretRotatedV1 = z.output<typeof webhookSecretRotatedV1Schema>;
export const webhookSecretRotatedV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookSecretRotated',
  version: 1,
  schema: webhookSecretRotatedV1Schema,
  description: 'A new signing secret (shown once) replaced the endpoint’s; the previous one also signs until previousValidUntil.',
  example: { ...ids, key: { keyId: 'whk_2', fingerprint: 'sha256:7b1e2d3c4f5a6b70' }, previousKeyId: 'whk_1', previousValidUntil: '2026-03-08T08:00:00.000Z', rotatedBy: 'user:pmo-1', rotatedAt: '2026-03-06T08:00:00.000Z' },
});

export const webhookEndpointRemovedV1Schema = z.strictObject({ ...ofEndpoint, removedBy: notificationActorSchema, removedAt: isoDateTimeSchema });
export type WebhookEndpointRemovedV1 = z.output<typeof webhookEndpointRemovedV1Schema>;
export const webhookEndpointRemovedV1 = defineEventContract({
  context: 'notification',
  name: 'WebhookEndpointRemoved',
  version: 1,
  schema: webhookEndpointRemovedV1Schema,
  description: 'A pmo-admin removed the endpoint: nothing more is sent, its undelivered queue is cancelled and its secrets are destroyed.',
  example: { ...ids, removedBy: 'user:pmo-1', removedAt: '2026-03-09T08:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.WebhookEndpointRegistered': WebhookEndpointRegisteredV1;
    'pm.notification.WebhookEndpointReconfigured': WebhookEndpointReconfiguredV1;
    'pm.notification.WebhookEndpointDisabled': WebhookEndpointDisabledV1;
    'pm.notification.WebhookEndpointEnabled': WebhookEndpointEnabledV1;
    'pm.notification.WebhookSecretRotated': WebhookSecretRotatedV1;
    'pm.notification.WebhookEndpointRemoved': WebhookEndpointRemovedV1;
  }
}
