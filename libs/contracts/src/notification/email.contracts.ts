import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_EMAIL_ID, EXAMPLE_NOTIFICATION_ID, notificationActorSchema, notificationIdSchema, smtpReplySchema, userIdSchema } from './notification-primitives.schema';

/** Events of an E-mail (stream `email:<tenant>:<emailId>`): one message, carrying one notification or a digest of many. */

const ofEmail = {
  emailId: uuidSchema,
  recipientId: userIdSchema,
  kind: z.enum(['single', 'digest']),
  notificationIds: z.array(notificationIdSchema).min(1).max(500).describe('What the message carries; a digest lists at most 500'),
};
const ids = { emailId: EXAMPLE_EMAIL_ID, recipientId: 'user:pm-1', kind: 'single' as const, notificationIds: [EXAMPLE_NOTIFICATION_ID] };
const smtpReply = z.strictObject({ code: z.number().int().min(200).max(599).nullable().describe('null when no reply came (connection refused, timeout)'), text: smtpReplySchema });
const attempt = z.number().int().min(1).max(50);

export const emailDeliveryAttemptedV1Schema = z.strictObject({
  ...ofEmail,
  attempt,
  reply: smtpReply,
  nextAttemptAt: isoDateTimeSchema.describe('A transient refusal (4xx, no reply): when the next attempt runs'),
  attemptedAt: isoDateTimeSchema,
});
export type EmailDeliveryAttemptedV1 = z.output<typeof emailDeliveryAttemptedV1Schema>;
export const emailDeliveryAttemptedV1 = defineEventContract({
  context: 'notification',
  name: 'EmailDeliveryAttempted',
  version: 1,
  schema: emailDeliveryAttemptedV1Schema,
  description: 'An attempt to hand the e-mail to the mail server was refused for now (4xx or no reply); it is tried again at nextAttemptAt.',
  example: { ...ids, attempt: 1, reply: { code: 451, text: '4.7.1 Try again later' }, nextAttemptAt: '2026-03-04T06:01:01.000Z', attemptedAt: '2026-03-04T06:00:01.000Z' },
});

export const emailDeliveryFailedV1Schema = z.strictObject({
  ...ofEmail,
  attempts: attempt,
  reply: smtpReply,
  reason: z.enum(['rejected', 'retries-exhausted']).describe('A permanent refusal (5xx), or transient ones until the schedule ran out'),
  failedAt: isoDateTimeSchema,
});
export type EmailDeliveryFailedV1 = z.output<typeof emailDeliveryFailedV1Schema>;
export const emailDeliveryFailedV1 = defineEventContract({
  context: 'notification',
  name: 'EmailDeliveryFailed',
  version: 1,
  schema: emailDeliveryFailedV1Schema,
  description: 'The e-mail will not be sent: the mail server refused it for good, or the retries ran out. Its notifications stay in the inbox.',
  example: { ...ids, attempts: 1, reply: { code: 550, text: '5.1.1 Mailbox unknown' }, reason: 'rejected', failedAt: '2026-03-04T06:00:01.000Z' },
});

export const emailSentV1Schema = z.strictObject({
  ...ofEmail,
  attempts: attempt,
  messageId: z.string().min(1).max(998).describe('The Message-ID header of what was sent'),
  reply: smtpReply,
  sentAt: isoDateTimeSchema,
});
export type EmailSentV1 = z.output<typeof emailSentV1Schema>;
export const emailSentV1 = defineEventContract({
  context: 'notification',
  name: 'EmailSent',
  version: 1,
  schema: emailSentV1Schema,
  description: 'The mail server accepted the e-mail (2xx).',
  example: { ...ids, attempts: 2, messageId: '<a1b2c3d4@notify.pm.example>', reply: { code: 250, text: '2.0.0 OK queued' }, sentAt: '2026-03-04T06:01:02.000Z' },
});

/** An address as RFC 5321 allows it (≤ 254), one `@`, no whitespace, controls, angle brackets, quotes or commas: it goes into headers. */
export const emailAddressSchema = z
  .string()
  .max(254)
  // eslint-disable-next-line no-control-regex -- controls are exactly what a mail header must not carry (a JSON Schema pattern has no \p{Cc})
  .regex(/^[^\s@<>",;:\\()[\]\u0000-\u001f\u007f]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/, 'an e-mail address local@domain.tld');
/** A display name: no line breaks or other controls (header injection), no angle brackets or quotes. */
// eslint-disable-next-line no-control-regex -- controls are exactly what a mail header must not carry (a JSON Schema pattern has no \p{Cc})
export const emailDisplayNameSchema = z.string().min(1).max(100).regex(/^[^\u0000-\u001f\u007f<>"\\]+$/, 'no controls, angle brackets, quotes or backslashes');

export const emailSenderSetV1Schema = z.strictObject({
  fromName: emailDisplayNameSchema,
  fromAddress: emailAddressSchema,
  replyTo: emailAddressSchema.nullable().describe('Where replies go; null: to the from address'),
  setBy: notificationActorSchema,
  setAt: isoDateTimeSchema,
});
export type EmailSenderSetV1 = z.output<typeof emailSenderSetV1Schema>;
export const emailSenderSetV1 = defineEventContract({
  context: 'notification',
  name: 'EmailSenderSet',
  version: 1,
  schema: emailSenderSetV1Schema,
  description: 'The sender of the tenant’s e-mail: display name, from address and reply-to (the service’s configured sender until set).',
  example: { fromName: 'Northwind PMO', fromAddress: 'pmo@northwind.example', replyTo: 'pmo-desk@northwind.example', setBy: 'user:pmo-1', setAt: '2026-03-04T06:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.EmailSenderSet': EmailSenderSetV1;
    'pm.notification.EmailDeliveryAttempted': EmailDeliveryAttemptedV1;
    'pm.notification.EmailDeliveryFailed': EmailDeliveryFailedV1;
    'pm.notification.EmailSent': EmailSentV1;
  }
}
