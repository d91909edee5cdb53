import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_EMAIL_ID,
  EXAMPLE_NOTIFICATION_ID,
  EXAMPLE_NOTIFICATION_PROJECT_ID,
  EXAMPLE_SOURCE_EVENT_ID,
  channelSchema,
  eventTypeSchema,
  notificationActorSchema,
  notificationIdSchema,
  notificationTitleSchema,
  severitySchema,
  sourceEventIdSchema,
  subjectLinkSchema,
  userIdSchema,
} from './notification-primitives.schema';

/** Events of a Notification (stream `notification:<tenant>:<notificationId>`), and of a person's inbox (`inbox:<tenant>:<userId>`). */

const ofNotification = { notificationId: notificationIdSchema, recipientId: userIdSchema };
const ids = { notificationId: EXAMPLE_NOTIFICATION_ID, recipientId: 'user:pm-1' };

export const deliveryPlanSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('now') }),
    z.strictObject({ mode: z.literal('at'), at: isoDateTimeSchema.describe('When the recipient’s quiet hours end') }),
    z.strictObject({ mode: z.literal('digest') }),
  ])
  .describe('At once, at the end of the recipient’s quiet hours, or in their next digest');

export const notificationCreatedV1Schema = z.strictObject({
  ...ofNotification,
  channel: channelSchema,
  source: z.strictObject({ eventId: sourceEventIdSchema, eventType: eventTypeSchema, occurredAt: isoDateTimeSchema }),
  severity: severitySchema,
  subject: subjectLinkSchema,
  title: notificationTitleSchema,
  reason: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('subscription'), subscriptionId: z.string().min(1).max(100) }),
      z.strictObject({ kind: z.literal('mention'), commentId: uuidSchema }),
      z.strictObject({ kind: z.literal('escalation'), step: z.number().int().min(1).max(10) }),
    ])
    .describe('Why this person hears of it: a subscription, an @mention, or an escalation step'),
  delivery: deliveryPlanSchema,
  createdAt: isoDateTimeSchema,
});
export type NotificationCreatedV1 = z.output<typeof notificationCreatedV1Schema>;
export const notificationCreatedV1 = defineEventContract({
  context: 'notification',
  name: 'NotificationCreated',
  version: 1,
  schema: notificationCreatedV1Schema,
  description: 'Someone is to hear of an event on one channel. The id is derived from (event, recipient, channel): a redelivered event finds the notification already there.',
  example: {
    ...ids,
    channel: 'email',
    source: { eventId: EXAMPLE_SOURCE_EVENT_ID, eventType: 'pm.planning.PhaseGateRequested', occurredAt: '2026-03-03T21:59:58.000Z' },
    severity: 'high',
    subject: { kind: 'phase-gate', id: 'design-review', projectId: EXAMPLE_NOTIFICATION_PROJECT_ID },
    title: 'Phase gate "Design review" awaits your approval',
    reason: { kind: 'subscription', subscriptionId: 'default:pmo-admin:phase-gates' },
    delivery: { mode: 'at', at: '2026-03-04T06:00:00.000Z' },
    createdAt: '2026-03-03T22:00:00.000Z',
  },
});

export const notificationDeliveredV1Schema = z.strictObject({
  ...ofNotification,
  channel: channelSchema,
  emailId: uuidSchema.nullable().describe('The e-mail (single or digest) that carried it; null in the inbox'),
  deliveredAt: isoDateTimeSchema,
});
export type NotificationDeliveredV1 = z.output<typeof notificationDeliveredV1Schema>;
export const notificationDeliveredV1 = defineEventContract({
  context: 'notification',
  name: 'NotificationDelivered',
  version: 1,
  schema: notificationDeliveredV1Schema,
  description: 'The notification reached its channel: shown in the inbox (and pushed to open sessions), or accepted by the mail server in an e-mail.',
  example: { ...ids, channel: 'email', emailId: EXAMPLE_EMAIL_ID, deliveredAt: '2026-03-04T06:00:01.000Z' },
});

export const notificationReadV1Schema = z.strictObject({ ...ofNotification, readAt: isoDateTimeSchema });
export type NotificationReadV1 = z.output<typeof notificationReadV1Schema>;
export const notificationReadV1 = defineEventContract({
  context: 'notification',
  name: 'NotificationRead',
  version: 1,
  schema: notificationReadV1Schema,
  description: 'The recipient marked the notification read.',
  example: { ...ids, readAt: '2026-03-04T07:30:00.000Z' },
});

export const notificationArchivedV1Schema = z.strictObject({ ...ofNotification, archivedAt: isoDateTimeSchema });
export type NotificationArchivedV1 = z.output<typeof notificationArchivedV1Schema>;
export const notificationArchivedV1 = defineEventContract({
  context: 'notification',
  name: 'NotificationArchived',
  version: 1,
  schema: notificationArchivedV1Schema,
  description: 'The recipient archived the notification: out of the inbox, kept in the archive.',
  example: { ...ids, archivedAt: '2026-03-04T07:31:00.000Z' },
});

export const inboxMarkedAllReadV1Schema = z.strictObject({
  recipientId: userIdSchema,
  readUpTo: isoDateTimeSchema.describe('Every notification of this recipient created at or before this instant counts as read'),
  markedBy: notificationActorSchema,
  markedAt: isoDateTimeSchema,
});
export type InboxMarkedAllReadV1 = z.output<typeof inboxMarkedAllReadV1Schema>;
export const inboxMarkedAllReadV1 = defineEventContract({
  context: 'notification',
  name: 'InboxMarkedAllRead',
  version: 1,
  schema: inboxMarkedAllReadV1Schema,
  description: 'The recipient marked everything in their inbox read: one watermark, whatever the number of notifications.',
  example: { recipientId: 'user:pm-1', readUpTo: '2026-03-04T07:32:00.000Z', markedBy: 'user:pm-1', markedAt: '2026-03-04T07:32:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.NotificationCreated': NotificationCreatedV1;
    'pm.notification.NotificationDelivered': NotificationDeliveredV1;
    'pm.notification.NotificationRead': NotificationReadV1;
    'pm.notification.NotificationArchived': NotificationArchivedV1;
    'pm.notification.InboxMarkedAllRead': InboxMarkedAllReadV1;
  }
}
