import { contractRegistry, parseEventData } from '@pm/contracts';
import { EmailDeliveriesProjection, InboxProjection, insertInboxRows } from '@pm/notification/data-access';
import type { InboxRow } from '@pm/notification/data-access';
import { notificationAggregate, notificationStreamId } from '@pm/notification/domain';
import type { IncomingEvent, NotificationCreated, Route, UserPreferences } from '@pm/notification/domain';
import type { WritePlan } from '@pm/platform/event-store';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import type { DurableScheduler } from '@pm/platform/scheduler';
import { scheduleEmailItems } from '../email/email-items';
import { metadataOf } from '../shared/caller';

const inbox = new InboxProjection();
const emailDeliveries = new EmailDeliveriesProjection();
const CREATED = 'pm.notification.NotificationCreated';

type Decided = ReadonlyArray<{ readonly type: string; readonly data: unknown }>;

function rowsOf(tx: WritePlan, streamId: string, versionBefore: number, events: Decided): ProjectionEvent[] {
  const { ctx } = tx;
  return events.map((event, i) => {
    const type = `pm.notification.${event.type}`;
    return { eventId: ctx.commandId, type, schemaVersion: contractRegistry.latest(type).version, tenantId: ctx.principal.tenantId, streamId, streamVersion: versionBefore + i + 1, occurredAt: ctx.now, recordedAt: ctx.now, data: event.data };
  });
}

/**
 * Applies a read model's projection to decided events in the plan's own transaction, so the read model answers the
 * next request at once; a store-fed runner or a rebuild applies the same events again, which changes nothing.
 */
export function projectInPlan(tx: WritePlan, projection: Projection, streamId: string, versionBefore: number, events: Decided): void {
  const rows = rowsOf(tx, streamId, versionBefore, events).filter((row) => projection.handles.includes(row.type));
  if (rows.length > 0) tx.alsoInTransaction(async (client) => {
    for (const row of rows) await projection.apply(row, client);
  });
}

/**
 * Writes a decided notification event's inbox row (and e-mail delivery row, ADR 0402) in the plan's own transaction,
 * so the inbox, the unread count and open streams see it the moment it commits; the store-fed runners apply it again
 * later, which changes nothing. New in-app notifications go into `gathered` when given (the consumer writes a whole
 * batch's rows at once, before its COMMIT), else into the inbox at the plan's commit.
 */
export function inboxRowsInPlan(tx: WritePlan, streamId: string, versionBefore: number, events: Decided, gathered?: InboxRow[]): void {
  const tenantId = tx.ctx.principal.tenantId;
  const rows = rowsOf(tx, streamId, versionBefore, events);
  const created: InboxRow[] = [];
  const others = rows.filter((row) => {
    if (row.type !== CREATED) return inbox.handles.includes(row.type);
    const d = parseEventData(CREATED, row.schemaVersion, row.data).data;
    if (d.channel === 'in-app') created.push({ tenantId, ...d });
    return false;
  });
  const emails = rows.filter((row) => emailDeliveries.handles.includes(row.type));
  if (created.length === 0 && others.length === 0 && emails.length === 0) return;
  tx.alsoInTransaction(async (client) => {
    if (gathered) gathered.push(...created);
    else await insertInboxRows(client, created);
    for (const row of others) await inbox.apply(row, client);
    if (emails.length > 0) await emailDeliveries.applyBatch(emails, client);
  });
}

/** Routes as the router decided them, with the preferences it read (a digest's time comes from them). */
export interface Routed {
  readonly routes: readonly Route[];
  readonly preferences: ReadonlyMap<string, UserPreferences>;
}

/**
 * Each route as a CreateNotification on its derived stream, with its inbox row, in the caller's plan; e-mail timers
 * in the same transaction as their notifications (ADR 0402).
 */
export async function createNotificationsInPlan(tx: WritePlan, routed: Routed, event: IncomingEvent, scheduler: DurableScheduler, gathered?: InboxRow[]): Promise<void> {
  const tenantId = tx.ctx.principal.tenantId;
  const created: NotificationCreated[] = [];
  const streams = routed.routes.map((route) => notificationStreamId(tenantId, route.notificationId));
  // New streams (or, on a replay, existing ones that decide nothing): read together, not one round trip each.
  const loaded = await tx.loadMany(notificationAggregate, streams);
  for (const [i, route] of routed.routes.entries()) {
    const stream = streams[i];
    const version = loaded.get(stream)?.version ?? 0;
    const { events } = await tx.decide(notificationAggregate, stream, { type: 'CreateNotification', data: { route, event }, metadata: metadataOf(tx.ctx) });
    inboxRowsInPlan(tx, stream, version, events, gathered);
    for (const e of events) if (e.type === 'NotificationCreated') created.push(e);
  }
  if (created.some((e) => e.data.channel === 'email')) tx.alsoInTransaction((c) => scheduleEmailItems(scheduler, c, tenantId, created, routed.preferences, tx.ctx.now));
}

/** The people told in-app by these routes, each once. */
export const inAppRecipients = (routes: readonly Route[]): string[] => [...new Set(routes.filter((r) => r.channel === 'in-app').map((r) => r.recipientId))];
