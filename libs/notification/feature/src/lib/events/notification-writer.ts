import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { contractRegistry, parseEventData } from '@pm/contracts';
import { EmailDeliveriesProjection, InboxProjection, NotificationDirectory, insertInboxRows } from '@pm/notification/data-access';
import type { InboxRow } from '@pm/notification/data-access';
import {
  notificationAggregate,
  notificationStreamId,
  routeEvent,
  tenantNotificationSettingsAggregate,
  tenantNotificationSettingsStreamId,
  userPreferencesAggregate,
  userPreferencesStreamId,
} from '@pm/notification/domain';
import type { IncomingEvent, NotificationCreated, Person, PlatformRole, UserPreferences } from '@pm/notification/domain';
import { WritePath } from '@pm/platform/event-store';
import type { WritePlan } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { scheduleEmailItems } from '../email/email-items';
import { metadataOf } from '../shared/caller';

const inbox = new InboxProjection();
const emailDeliveries = new EmailDeliveriesProjection();
const CREATED = 'pm.notification.NotificationCreated';

/**
 * Writes a decided notification event's inbox row (and e-mail delivery row, ADR 0402) in the plan's own transaction,
 * so the inbox, the unread count and open streams see it the moment it commits; the store-fed runners apply it again
 * later, which changes nothing. New in-app notifications go into `gathered` when given (the consumer writes a whole
 * batch's rows at once, before its COMMIT), else into the inbox at the plan's commit.
 */
export function inboxRowsInPlan(tx: WritePlan, streamId: string, versionBefore: number, events: ReadonlyArray<{ readonly type: string; readonly data: unknown }>, gathered?: InboxRow[]): void {
  const { ctx } = tx;
  const tenantId = ctx.principal.tenantId;
  const rows = events.map((event, i) => {
    const type = `pm.notification.${event.type}`;
    return { eventId: ctx.commandId, type, schemaVersion: contractRegistry.latest(type).version, tenantId, streamId, streamVersion: versionBefore + i + 1, occurredAt: ctx.now, data: event.data };
  });
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
    for (const row of emails) await emailDeliveries.apply(row, client);
  });
}

/**
 * The one place notifications are created (ADR 0401): the people the directory knows for the event's project, their
 * preferences and the tenant's settings go to the pure router; each route is a CreateNotification on its derived
 * stream, appended on the write path inside the consumer's inbox transaction. A redelivered event is skipped by the
 * inbox; one whose first handling rolled back routes again to the same ids.
 */
@Injectable()
export class NotificationWriter {
  private readonly directory = new NotificationDirectory();

  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
  ) {}

  /**
   * Returns the people who got an in-app notification, so their open streams can be woken after the commit. Their
   * inbox rows go into `gathered` when given (the caller writes them before its COMMIT), else are written here.
   */
  async notify(client: PoolClient, ctx: RequestContext, event: IncomingEvent, gathered?: InboxRow[]): Promise<string[]> {
    const tenantId = ctx.principal.tenantId;
    const entries = await this.directory.candidates(client, tenantId, event.projectId);
    if (entries.length === 0) return [];
    const people: Person[] = entries.map((e) => ({ userId: e.userId, roles: new Set(e.roles as PlatformRole[]), ownProjects: new Set(e.ownProjects) }));
    // Everyone's preferences in one round trip.
    const streams = entries.map(({ userId }) => userPreferencesStreamId(tenantId, userId));
    const loaded = await this.writePath.loadMany(userPreferencesAggregate, streams, tenantId);
    const preferences = new Map<string, UserPreferences>();
    entries.forEach(({ userId }, i) => {
      const found = loaded.get(streams[i]);
      if (found && found.version > 0) preferences.set(userId, found.state);
    });
    const { state: settings } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    const routes = routeEvent({ event, people, settings, preferences, now: ctx.now });
    if (routes.length === 0) return [];
    await this.writePath.runIn(client, ctx, async (tx) => {
      const created: NotificationCreated[] = [];
      const streams = routes.map((route) => notificationStreamId(tenantId, route.notificationId));
      // New streams (or, on a replay, existing ones that decide nothing): read together, not one round trip each.
      const loaded = await tx.loadMany(notificationAggregate, streams);
      for (const [i, route] of routes.entries()) {
        const stream = streams[i];
        const version = loaded.get(stream)?.version ?? 0;
        const { events } = await tx.decide(notificationAggregate, stream, { type: 'CreateNotification', data: { route, event }, metadata: metadataOf(ctx) });
        inboxRowsInPlan(tx, stream, version, events, gathered);
        for (const e of events) if (e.type === 'NotificationCreated') created.push(e);
      }
      // E-mail timers in the same transaction as their notifications (ADR 0402).
      if (created.some((e) => e.data.channel === 'email')) tx.alsoInTransaction((c) => scheduleEmailItems(this.scheduler, c, tenantId, created, preferences, ctx.now));
    });
    return [...new Set(routes.filter((r) => r.channel === 'in-app').map((r) => r.recipientId))];
  }
}
