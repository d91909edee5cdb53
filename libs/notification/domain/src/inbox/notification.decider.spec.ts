import { deciderSpecification } from '@pm/shared/ddd/testing';
import type { NotificationCreated } from '../notification.events';
import { notificationIdOf } from '../notification.ids';
import { as, eventId, incoming, now } from '../notification.spec-fixtures';
import type { Route } from '../routing/router';
import { inboxDecider } from './inbox.decider';
import { notificationDecider } from './notification.decider';
import type { NotificationCommand } from './notification.decider';

const spec = deciderSpecification(notificationDecider);
const inbox = deciderSpecification(inboxDecider);
const service = { now, actor: 'service:notification-service', tenantId: 'tenant-1' };
const emailId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const route = (channel: Route['channel'] = 'in-app'): Route => ({
  notificationId: notificationIdOf(eventId, 'pm-1', channel),
  recipientId: 'pm-1',
  channel,
  delivery: { mode: 'now' },
  reason: { kind: 'subscription', subscriptionId: 'default:pmo-admin:phase-gates' },
});
const event = incoming();
const created = (channel: Route['channel'] = 'in-app'): NotificationCreated => ({
  type: 'NotificationCreated',
  data: {
    notificationId: route(channel).notificationId,
    recipientId: 'pm-1',
    channel,
    source: { eventId, eventType: event.type, occurredAt: event.occurredAt },
    severity: 'high',
    subject: event.subject,
    title: event.title,
    reason: route(channel).reason,
    delivery: { mode: 'now' },
    createdAt: now,
  },
});
const id = route().notificationId;
const byRecipient = (type: 'ReadNotification' | 'ArchiveNotification', userId = 'pm-1'): NotificationCommand => ({ type, data: { notificationId: id }, metadata: as(userId) });

describe('A notification', () => {
  describe('CreateNotification', () => {
    it('is created from its route, linking to what it is about', () => {
      spec.given([]).when({ type: 'CreateNotification', data: { route: route(), event }, metadata: service }).then([created()]);
    });

    it('is not created twice when its event is redelivered', () => {
      spec.given([created()]).when({ type: 'CreateNotification', data: { route: route(), event }, metadata: service }).thenNothingHappens();
    });

    it('refuses an id that is not derived from its event, recipient and channel', () => {
      spec.given([]).when({ type: 'CreateNotification', data: { route: { ...route(), recipientId: 'pm-2' }, event }, metadata: service }).thenRejects('NOTIFICATION_ID_MISMATCH', 'conflict');
    });

    it('cuts a title longer than the contract allows', () => {
      const [long] = spec.given([]).when({ type: 'CreateNotification', data: { route: route(), event: { ...event, title: 'x'.repeat(500) } }, metadata: service }).events();
      expect((long as NotificationCreated).data.title).toHaveLength(200);
    });
  });

  describe('DeliverNotification', () => {
    it('is delivered once, by e-mail naming the message', () => {
      const delivered = { type: 'NotificationDelivered' as const, data: { notificationId: route('email').notificationId, recipientId: 'pm-1', channel: 'email' as const, emailId, deliveredAt: now } };
      spec.given([created('email')]).when({ type: 'DeliverNotification', data: { notificationId: route('email').notificationId, emailId }, metadata: service }).then([delivered]);
      spec.given([created('email'), delivered]).when({ type: 'DeliverNotification', data: { notificationId: route('email').notificationId, emailId }, metadata: service }).thenNothingHappens();
      spec.given([created('email')]).when({ type: 'DeliverNotification', data: { notificationId: route('email').notificationId, emailId: null }, metadata: service }).thenRejects('INVALID_ID');
      spec.given([]).when({ type: 'DeliverNotification', data: { notificationId: id, emailId: null }, metadata: service }).thenRejects('NOTIFICATION_NOT_FOUND', 'not-found');
    });
  });

  describe('ReadNotification and ArchiveNotification', () => {
    const read = { type: 'NotificationRead' as const, data: { notificationId: id, recipientId: 'pm-1', readAt: now } };
    const archived = { type: 'NotificationArchived' as const, data: { notificationId: id, recipientId: 'pm-1', archivedAt: now } };

    it('is read and archived by its recipient, each once', () => {
      spec.given([created()]).when(byRecipient('ReadNotification')).then([read]);
      spec.given([created(), read]).when(byRecipient('ReadNotification')).thenNothingHappens();
      spec.given([created()]).when(byRecipient('ArchiveNotification')).then([archived]);
      spec.given([created(), archived]).when(byRecipient('ArchiveNotification')).thenNothingHappens();
    });

    it('is missing for anyone else, so its id cannot be probed', () => {
      spec.given([created()]).when(byRecipient('ReadNotification', 'pm-2')).thenRejects('NOTIFICATION_NOT_FOUND', 'not-found');
      spec.given([created()]).when(byRecipient('ArchiveNotification', 'pm-2')).thenRejects('NOTIFICATION_NOT_FOUND', 'not-found');
      spec.given([]).when(byRecipient('ReadNotification')).thenRejects('NOTIFICATION_NOT_FOUND', 'not-found');
    });

    it('remembers the event it tells of and its severity: reading a critical one acknowledges that event’s escalation (ADR 0404)', () => {
      const state = notificationDecider.evolve(notificationDecider.initialState(), created());
      expect(state).toMatchObject({ status: 'created', sourceEventId: eventId, severity: event.severity, read: false });
    });
  });
});

describe('An inbox', () => {
  const marked = (at: string) => ({ type: 'InboxMarkedAllRead' as const, data: { recipientId: 'pm-1', readUpTo: at, markedBy: 'user:pm-1', markedAt: at } });

  it('is marked all read with one watermark', () => {
    inbox.given([]).when({ type: 'MarkAllRead', data: { recipientId: 'pm-1' }, metadata: as('pm-1') }).then([marked(now)]);
  });

  it('changes nothing when marked again at the same instant, moves on later', () => {
    inbox.given([marked(now)]).when({ type: 'MarkAllRead', data: { recipientId: 'pm-1' }, metadata: as('pm-1') }).thenNothingHappens();
    inbox.given([marked(now)]).when({ type: 'MarkAllRead', data: { recipientId: 'pm-1' }, metadata: as('pm-1', '2026-03-03T10:00:00.000Z') }).then([marked('2026-03-03T10:00:00.000Z')]);
  });

  it('is marked by its owner only', () => {
    inbox.given([]).when({ type: 'MarkAllRead', data: { recipientId: 'pm-1' }, metadata: as('pm-2') }).thenRejects('INBOX_NOT_YOURS', 'forbidden');
  });

  it('is marked by an owner whose id holds an @ (the actor carries it percent-encoded, as the dev sign-in’s users have it)', () => {
    const sub = 'project-manager@demo';
    const metadata = { now, actor: 'user:project-manager%40demo', tenantId: 'tenant-1' };
    inbox.given([]).when({ type: 'MarkAllRead', data: { recipientId: sub }, metadata }).then([{ type: 'InboxMarkedAllRead', data: { recipientId: sub, readUpTo: now, markedBy: metadata.actor, markedAt: now } }]);
    inbox.given([]).when({ type: 'MarkAllRead', data: { recipientId: sub }, metadata: { ...metadata, actor: 'user:project-manager@demo' } }).thenRejects('INBOX_NOT_YOURS', 'forbidden');
  });
});
