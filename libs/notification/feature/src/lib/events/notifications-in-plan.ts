import { contractRegistry } from '@pm/contracts';
import { InboxProjection } from '@pm/notification/data-access';
import { notificationAggregate, notificationStreamId } from '@pm/notification/domain';
import type { IncomingEvent, Route } from '@pm/notification/domain';
import type { WritePlan } from '@pm/platform/event-store';
import type { Projection } from '@pm/platform/projections';
import { metadataOf } from '../shared/caller';

const inbox = new InboxProjection();

type Decided = ReadonlyArray<{ readonly type: string; readonly data: unknown }>;

/**
 * Applies a read model's projection to decided events in the plan's own transaction, so the read model answers the
 * next request at once (the inbox, its unread count and open streams too); a store-fed runner or a rebuild applies
 * the same events again, which changes nothing.
 */
export function projectInPlan(tx: WritePlan, projection: Projection, streamId: string, versionBefore: number, events: Decided): void {
  const { ctx } = tx;
  const rows = events.map((event, i) => {
    const type = `pm.notification.${event.type}`;
    return { eventId: ctx.commandId, type, schemaVersion: contractRegistry.latest(type).version, tenantId: ctx.principal.tenantId, streamId, streamVersion: versionBefore + i + 1, occurredAt: ctx.now, data: event.data };
  });
  if (rows.some((row) => projection.handles.includes(row.type))) tx.alsoInTransaction(async (client) => {
    for (const row of rows) await projection.apply(row, client);
  });
}

/** A decided notification event's inbox row, in the plan's own transaction. */
export const inboxRowsInPlan = (tx: WritePlan, streamId: string, versionBefore: number, events: Decided): void => projectInPlan(tx, inbox, streamId, versionBefore, events);

/** Each route as a CreateNotification on its derived stream, with its inbox row, in the caller's plan. */
export async function createNotificationsInPlan(tx: WritePlan, routes: readonly Route[], event: IncomingEvent): Promise<void> {
  const tenantId = tx.ctx.principal.tenantId;
  for (const route of routes) {
    const stream = notificationStreamId(tenantId, route.notificationId);
    const { version } = await tx.load(notificationAggregate, stream);
    const { events } = await tx.decide(notificationAggregate, stream, { type: 'CreateNotification', data: { route, event }, metadata: metadataOf(tx.ctx) });
    inboxRowsInPlan(tx, stream, version, events);
  }
}

/** The people told in-app by these routes, each once. */
export const inAppRecipients = (routes: readonly Route[]): string[] => [...new Set(routes.filter((r) => r.channel === 'in-app').map((r) => r.recipientId))];

