import { forbidden, ignoreUnknownEvent, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { InboxEvent, InboxMarkedAllRead } from '../notification.events';
import { actorIsUser, idMustBeValid } from '../notification.rules';

/**
 * A person's inbox (stream `inbox:<tenant>:<userId>`): "mark all read" is one watermark event, whatever the number
 * of notifications — cost follows the change. The inbox read model counts a notification unread when it was created
 * after the watermark and has no NotificationRead.
 */

export interface InboxState {
  readUpTo: string | null;
}

export const initialInboxState = (): InboxState => ({ readUpTo: null });

export interface MarkAllRead {
  readonly type: 'MarkAllRead';
  readonly data: { readonly recipientId: string };
  readonly metadata: CommandMetadata;
}
export type InboxCommand = MarkAllRead;

function markAllRead(command: MarkAllRead, state: InboxState): InboxMarkedAllRead[] {
  const recipientId = idMustBeValid('recipientId', command.data.recipientId, 'userId');
  if (!actorIsUser(command.metadata.actor, recipientId)) throw forbidden('INBOX_NOT_YOURS', 'A person marks only their own inbox read');
  const { now } = command.metadata;
  if (state.readUpTo !== null && Date.parse(state.readUpTo) >= Date.parse(now)) return [];
  return [{ type: 'InboxMarkedAllRead', data: { recipientId, readUpTo: now, markedBy: command.metadata.actor, markedAt: now } }];
}

export function decideInbox(command: InboxCommand, state: InboxState): InboxEvent[] {
  // One command today; the cast keeps the runtime guard for raw JSON that names another.
  return command.type === 'MarkAllRead' ? markAllRead(command, state) : unknownCommand(command as never);
}

export function evolveInbox(state: InboxState, event: InboxEvent): InboxState {
  if (event.type !== 'InboxMarkedAllRead') return ignoreUnknownEvent(state, event as never);
  state.readUpTo = event.data.readUpTo;
  return state;
}

export const inboxDecider = { decide: decideInbox, evolve: evolveInbox, initialState: initialInboxState };
