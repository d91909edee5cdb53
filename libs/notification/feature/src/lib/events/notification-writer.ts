import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { NotificationDirectory } from '@pm/notification/data-access';
import {
  routeEvent,
  tenantNotificationSettingsAggregate,
  tenantNotificationSettingsStreamId,
  userPreferencesAggregate,
  userPreferencesStreamId,
} from '@pm/notification/domain';
import type { IncomingEvent, Person, PlatformRole, Route, UserPreferences } from '@pm/notification/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { Escalations } from '../escalation/escalations';
import { createNotificationsInPlan, inAppRecipients } from './notifications-in-plan';

/**
 * The one place notifications are created (ADR 0401): the people the directory knows for the event's project, their
 * preferences and the tenant's settings go to the pure router; each route is a CreateNotification on its derived
 * stream, appended on the write path inside the consumer's inbox transaction. A redelivered event is skipped by the
 * inbox; one whose first handling rolled back routes again to the same ids. A critical event starts its escalation in
 * the same plan (ADR 0404).
 */
@Injectable()
export class NotificationWriter {
  private readonly directory = new NotificationDirectory();

  constructor(
    private readonly writePath: WritePath,
    private readonly escalations: Escalations,
  ) {}

  /** Returns the people who got an in-app notification, so their open streams can be woken after the commit. */
  async notify(client: PoolClient, ctx: RequestContext, event: IncomingEvent): Promise<string[]> {
    const routes = await this.routesFor(client, ctx, event);
    if (routes.length === 0) return [];
    await this.writePath.runIn(client, ctx, async (tx) => {
      await createNotificationsInPlan(tx, routes, event);
      await this.escalations.startInPlan(tx, event, inAppRecipients(routes));
    });
    return inAppRecipients(routes);
  }

  /** Who hears of the event and how: the directory's people for its project, and anyone it @mentions (known or not). */
  async routesFor(q: Pick<PoolClient, 'query'>, ctx: RequestContext, event: IncomingEvent): Promise<Route[]> {
    const entries = await this.directory.candidates(q, ctx.principal.tenantId, event.projectId);
    const people: Person[] = entries.map((e) => ({ userId: e.userId, roles: new Set(e.roles as PlatformRole[]), ownProjects: new Set(e.ownProjects) }));
    const known = new Set(entries.map((e) => e.userId));
    for (const userId of event.mentions ?? []) if (!known.has(userId)) people.push({ userId, roles: new Set(), ownProjects: new Set() });
    return this.route(ctx, event, people);
  }

  /** Only the people a comment @mentions, whatever their subscriptions say (their channel choices still apply). */
  async mentionRoutes(ctx: RequestContext, event: IncomingEvent): Promise<Route[]> {
    const people: Person[] = (event.mentions ?? []).map((userId) => ({ userId, roles: new Set(), ownProjects: new Set() }));
    return (await this.route(ctx, event, people)).filter((r) => r.reason.kind === 'mention');
  }

  private async route(ctx: RequestContext, event: IncomingEvent, people: readonly Person[]): Promise<Route[]> {
    if (people.length === 0) return [];
    const tenantId = ctx.principal.tenantId;
    const preferences = new Map<string, UserPreferences>();
    for (const { userId } of people) {
      const { state, version } = await this.writePath.load(userPreferencesAggregate, userPreferencesStreamId(tenantId, userId), tenantId);
      if (version > 0) preferences.set(userId, state);
    }
    const { state: settings } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    return routeEvent({ event, people, settings, preferences, now: ctx.now });
  }
}
