import { createHash } from 'node:crypto';
import { streamIdOf, uuidV8FromHex } from '@pm/shared/ddd';
import type { Channel } from './notification.events';

/** The only places the context's stream ids are spelled out. */
export const userPreferencesStreamId = (tenantId: string, userId: string): string => streamIdOf('notification-preferences', tenantId, userId);
export const tenantNotificationSettingsStreamId = (tenantId: string): string => streamIdOf('notification-settings', tenantId, 'default');
export const notificationStreamId = (tenantId: string, notificationId: string): string => streamIdOf('notification', tenantId, notificationId);
export const inboxStreamId = (tenantId: string, userId: string): string => streamIdOf('inbox', tenantId, userId);
export const escalationChainStreamId = (tenantId: string, projectId: string): string => streamIdOf('escalation-chain', tenantId, projectId);
export const escalationStreamId = (tenantId: string, escalationId: string): string => streamIdOf('escalation', tenantId, escalationId);
export const commentStreamId = (tenantId: string, commentId: string): string => streamIdOf('comment', tenantId, commentId);
export const stakeholderRegisterStreamId = (tenantId: string, projectId: string): string => streamIdOf('stakeholder-register', tenantId, projectId);
export const webhookEndpointStreamId = (tenantId: string, endpointId: string): string => streamIdOf('webhook-endpoint', tenantId, endpointId);
export const emailStreamId = (tenantId: string, emailId: string): string => streamIdOf('email', tenantId, emailId);
export const webhookDeliveryStreamId = (tenantId: string, deliveryId: string): string => streamIdOf('webhook-delivery', tenantId, deliveryId);

/**
 * A UUID (version 8, RFC 9562's custom layout) named by its parts: SHA-256 of the parts, each length-prefixed so no
 * two part lists hash alike, cut to 122 bits. A pure function of its input, so a redelivered or replayed event names
 * the same notification (and the same stream) every time.
 */
export function derivedUuid(namespace: string, parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of [namespace, ...parts]) hash.update(`${part.length}:${part};`);
  return uuidV8FromHex(hash.digest('hex'));
}

/** One notification per (source event, recipient, channel), whatever the number of times the event arrives. */
export const notificationIdOf = (eventId: string, recipientId: string, channel: Channel): string => derivedUuid('notification', [eventId, recipientId, channel]);

/** One delivery per (endpoint, event): a redelivered event joins the delivery that exists. */
export const webhookDeliveryIdOf = (endpointId: string, eventId: string): string => derivedUuid('webhook-delivery', [endpointId, eventId]);

/** The e-mail of one notification: one per notification, however often its timer fires. */
export const singleEmailIdOf = (notificationId: string): string => derivedUuid('email', ['single', notificationId]);

/** A person's digest of one digest time: a retried digest is the same e-mail. */
export const digestEmailIdOf = (recipientId: string, digestAt: string): string => derivedUuid('email', ['digest', recipientId, digestAt]);
