import { conflict, ignoreUnknownEvent, notFound, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { NotificationArchived, NotificationCreated, NotificationDelivered, NotificationEvent, NotificationRead } from '../notification.events';
import { notificationIdOf } from '../notification.ids';
import { actorIsUser, requiredText, uuidMustBeValid } from '../notification.rules';
import type { IncomingEvent, Route } from '../routing/router';

/**
 * One notification (stream `notification:<tenant>:<notificationId>`): created from a route, delivered on its channel,
 * read and archived by its recipient. The id is derived from (event, recipient, channel), so creating it again — a
 * redelivered event, a consumer restarted mid-batch — decides nothing.
 */

export type NotificationState =
  | { readonly status: 'none' }
  | {
      readonly status: 'created';
      readonly notificationId: string;
      readonly recipientId: string;
      readonly channel: NotificationCreated['data']['channel'];
      /** The event it tells of (an escalation's id is that event's id) and how grave it is: reading a critical one acknowledges it. */
      readonly sourceEventId: string;
      readonly severity: NotificationCreated['data']['severity'];
      delivered: boolean;
      read: boolean;
      archived: boolean;
    };

export const initialNotificationState = (): NotificationState => ({ status: 'none' });

export interface CreateNotification {
  readonly type: 'CreateNotification';
  readonly data: { readonly route: Route; readonly event: IncomingEvent };
  readonly metadata: CommandMetadata;
}
export interface DeliverNotification {
  readonly type: 'DeliverNotification';
  readonly data: { readonly notificationId: string; readonly emailId: string | null };
  readonly metadata: CommandMetadata;
}
type ByRecipient<TType extends string> = { readonly type: TType; readonly data: { readonly notificationId: string }; readonly metadata: CommandMetadata };
export type ReadNotification = ByRecipient<'ReadNotification'>;
export type ArchiveNotification = ByRecipient<'ArchiveNotification'>;
export type NotificationCommand = CreateNotification | DeliverNotification | ReadNotification | ArchiveNotification;

function createNotification(command: CreateNotification, state: NotificationState): NotificationCreated[] {
  const { route, event } = command.data;
  if (route.notificationId !== notificationIdOf(event.eventId, route.recipientId, route.channel)) {
    throw conflict('NOTIFICATION_ID_MISMATCH', 'A notification id is derived from its event, recipient and channel');
  }
  if (state.status === 'created') return [];
  return [
    {
      type: 'NotificationCreated',
      data: {
        notificationId: route.notificationId,
        recipientId: route.recipientId,
        channel: route.channel,
        source: { eventId: uuidMustBeValid('eventId', event.eventId), eventType: event.type, occurredAt: event.occurredAt },
        severity: event.severity,
        subject: event.subject,
        title: requiredText('title', event.title.length > 200 ? `${event.title.slice(0, 199)}…` : event.title, 'title'),
        reason: route.reason,
        delivery: route.delivery,
        createdAt: command.metadata.now,
      },
    },
  ];
}

type Created = Extract<NotificationState, { status: 'created' }>;

function mustExist(state: NotificationState, notificationId: string): Created {
  if (state.status !== 'created') throw notFound('NOTIFICATION_NOT_FOUND', 'No such notification', { notificationId: String(notificationId).slice(0, 64) });
  return state;
}

/** A person acts only on their own notifications; another's is answered as missing, so ids cannot be probed. */
function recipientMustAct(state: NotificationState, command: ReadNotification | ArchiveNotification): Created {
  const created = mustExist(state, command.data.notificationId);
  if (!actorIsUser(command.metadata.actor, created.recipientId)) {
    throw notFound('NOTIFICATION_NOT_FOUND', 'No such notification', { notificationId: String(command.data.notificationId).slice(0, 64) });
  }
  return created;
}

function deliverNotification(command: DeliverNotification, state: NotificationState): NotificationDelivered[] {
  const created = mustExist(state, command.data.notificationId);
  if (created.delivered) return [];
  const emailId = created.channel === 'email' ? uuidMustBeValid('emailId', command.data.emailId ?? '') : null;
  const { notificationId, recipientId, channel } = created;
  return [{ type: 'NotificationDelivered', data: { notificationId, recipientId, channel, emailId, deliveredAt: command.metadata.now } }];
}

function readNotification(command: ReadNotification, state: NotificationState): NotificationRead[] {
  const created = recipientMustAct(state, command);
  if (created.read) return [];
  return [{ type: 'NotificationRead', data: { notificationId: created.notificationId, recipientId: created.recipientId, readAt: command.metadata.now } }];
}

function archiveNotification(command: ArchiveNotification, state: NotificationState): NotificationArchived[] {
  const created = recipientMustAct(state, command);
  if (created.archived) return [];
  return [{ type: 'NotificationArchived', data: { notificationId: created.notificationId, recipientId: created.recipientId, archivedAt: command.metadata.now } }];
}

export function decideNotification(command: NotificationCommand, state: NotificationState): NotificationEvent[] {
  switch (command.type) {
    case 'CreateNotification':
      return createNotification(command, state);
    case 'DeliverNotification':
      return deliverNotification(command, state);
    case 'ReadNotification':
      return readNotification(command, state);
    case 'ArchiveNotification':
      return archiveNotification(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveNotification(state: NotificationState, event: NotificationEvent): NotificationState {
  switch (event.type) {
    case 'NotificationCreated': {
      const { notificationId, recipientId, channel, severity } = event.data;
      return { status: 'created', notificationId, recipientId, channel, sourceEventId: event.data.source.eventId, severity, delivered: false, read: false, archived: false };
    }
    case 'NotificationDelivered':
      if (state.status === 'created') state.delivered = true;
      return state;
    case 'NotificationRead':
      if (state.status === 'created') state.read = true;
      return state;
    case 'NotificationArchived':
      if (state.status === 'created') state.archived = true;
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const notificationDecider = { decide: decideNotification, evolve: evolveNotification, initialState: initialNotificationState };
