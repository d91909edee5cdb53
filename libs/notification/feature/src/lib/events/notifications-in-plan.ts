import { contractRegistry, parseEventData } from '@pm/contracts';
import { EmailDeliveriesProjection, InboxProjection, insertInboxRows } from '@pm/notification/data-access';
import type { InboxRow } from '@pm/notification/data-access';
import { notificationAggregate, notificationStreamId } from '@pm/notification/domain';
import type { IncomingEvent, NotificationCreated, Route, UserPreferences } from '@pm/notification/domain';
import type { WritePlan } from '@pm/platform/event-store';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import type { DurableScheduler, ScheduleRequest } from '@pm/platform/scheduler';
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
 * Rows a batch transaction writes once, before its COMMIT (the consumer's): new in-app notifications' inbox rows,
 * new e-mail notifications' delivery rows and (when given) their e-mail timers, each kind in one statement for the
 * whole batch.
 */
export interface GatheredRows {
  readonly inbox: InboxRow[];
  readonly emails: ProjectionEvent[];
  readonly timers?: ScheduleRequest[];
}

interface PlanRows {
  readonly inApp: InboxRow[];
  readonly others: ProjectionEvent[];
  readonly emails: ProjectionEvent[];
}

/** Per plan (one per attempt): its rows, written by one callback at the plan's commit, whatever number of streams it decided. */
const planRows = new WeakMap<WritePlan, PlanRows>();

function rowsOfPlan(tx: WritePlan, gathered: GatheredRows | undefined): PlanRows {
  const known = planRows.get(tx);
  if (known) return known;
  const rows: PlanRows = { inApp: [], others: [], emails: [] };
  planRows.set(tx, rows);
  tx.alsoInTransaction(async (client) => {
    if (gathered) gathered.inbox.push(...rows.inApp);
    else await insertInboxRows(client, rows.inApp);
    for (const row of rows.others) await inbox.apply(row, client);
    if (gathered) gathered.emails.push(...rows.emails);
    else if (rows.emails.length > 0) await emailDeliveries.applyBatch(rows.emails, client);
  });
  return rows;
}

/**
 * Writes a decided notification event's inbox row (and e-mail delivery row, ADR 0402) in the plan's own transaction,
 * so the inbox, the unread count and open streams see it the moment it commits; the store-fed runners apply it again
 * later, which changes nothing. The rows of every stream the plan decides are written together at its commit; a
 * consumer's batch (`gathered`) writes its new in-app and e-mail rows once, before its COMMIT.
 */
export function inboxRowsInPlan(tx: WritePlan, streamId: string, versionBefore: number, events: Decided, gathered?: GatheredRows): void {
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
  const plan = rowsOfPlan(tx, gathered);
  plan.inApp.push(...created);
  plan.others.push(...others);
  plan.emails.push(...emails);
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
export async function createNotificationsInPlan(tx: WritePlan, routed: Routed, event: IncomingEvent, scheduler: DurableScheduler, gathered?: GatheredRows): Promise<void> {
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
  if (created.some((e) => e.data.channel === 'email')) tx.alsoInTransaction((c) => scheduleEmailItems(scheduler, c, tenantId, created, routed.preferences, tx.ctx.now, gathered?.timers));
}

/** The people told in-app by these routes, each once. */
export const inAppRecipients = (routes: readonly Route[]): string[] => [...new Set(routes.filter((r) => r.channel === 'in-app').map((r) => r.recipientId))];
