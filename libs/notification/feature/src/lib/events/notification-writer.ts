import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { contractRegistry } from '@pm/contracts';
import { EmailDeliveriesProjection, InboxProjection, NotificationDirectory } from '@pm/notification/data-access';
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

const readModels = [new InboxProjection(), new EmailDeliveriesProjection()];

/**
 * Writes a decided notification event's inbox row (and e-mail delivery row) in the plan's own transaction, so the
 * inbox, the unread count and open streams see it the moment it commits; the store-fed runner applies it again later,
 * which changes nothing.
 */
export function inboxRowsInPlan(tx: WritePlan, streamId: string, versionBefore: number, events: ReadonlyArray<{ readonly type: string; readonly data: unknown }>): void {
  const { ctx } = tx;
  const rows = events.map((event, i) => {
    const type = `pm.notification.${event.type}`;
    return { eventId: ctx.commandId, type, schemaVersion: contractRegistry.latest(type).version, tenantId: ctx.principal.tenantId, streamId, streamVersion: versionBefore + i + 1, occurredAt: ctx.now, data: event.data };
  });
  for (const model of readModels) {
    if (rows.some((row) => model.handles.includes(row.type))) tx.alsoInTransaction(async (client) => {
      for (const row of rows) await model.apply(row, client);
    });
  }
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

  /** Returns the people who got an in-app notification, so their open streams can be woken after the commit. */
  async notify(client: PoolClient, ctx: RequestContext, event: IncomingEvent): Promise<string[]> {
    const tenantId = ctx.principal.tenantId;
    const entries = await this.directory.candidates(client, tenantId, event.projectId);
    if (entries.length === 0) return [];
    const people: Person[] = entries.map((e) => ({ userId: e.userId, roles: new Set(e.roles as PlatformRole[]), ownProjects: new Set(e.ownProjects) }));
    const preferences = new Map<string, UserPreferences>();
    for (const { userId } of entries) {
      const { state, version } = await this.writePath.load(userPreferencesAggregate, userPreferencesStreamId(tenantId, userId), tenantId);
      if (version > 0) preferences.set(userId, state);
    }
    const { state: settings } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    const routes = routeEvent({ event, people, settings, preferences, now: ctx.now });
    if (routes.length === 0) return [];
    await this.writePath.runIn(client, ctx, async (tx) => {
      const created: NotificationCreated[] = [];
      for (const route of routes) {
        const stream = notificationStreamId(tenantId, route.notificationId);
        const { version } = await tx.load(notificationAggregate, stream);
        const { events } = await tx.decide(notificationAggregate, stream, { type: 'CreateNotification', data: { route, event }, metadata: metadataOf(ctx) });
        inboxRowsInPlan(tx, stream, version, events);
        for (const e of events) if (e.type === 'NotificationCreated') created.push(e);
      }
      // E-mail timers in the same transaction as their notifications (ADR 0402).
      if (created.some((e) => e.data.channel === 'email')) tx.alsoInTransaction((c) => scheduleEmailItems(this.scheduler, c, tenantId, created, preferences, ctx.now));
    });
    return [...new Set(routes.filter((r) => r.channel === 'in-app').map((r) => r.recipientId))];
  }
}
