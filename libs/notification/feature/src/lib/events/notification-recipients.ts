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
import type { IncomingEvent, Person, PlatformRole, UserPreferences } from '@pm/notification/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import type { Routed } from './notifications-in-plan';

/**
 * Who hears of an event, and how (ADR 0401): the directory's people, their preferences and the tenant's settings,
 * handed to the pure router. Used by the consumer's writer, the escalation timer (its end is a portfolio alert) and
 * comments (mentions).
 */
@Injectable()
export class NotificationRecipients {
  private readonly directory = new NotificationDirectory();

  constructor(private readonly writePath: WritePath) {}

  /** Who hears of the event and how: the directory's people for its project, and anyone it @mentions (known or not). */
  async routesFor(q: Pick<PoolClient, 'query'>, ctx: RequestContext, event: IncomingEvent): Promise<Routed> {
    const entries = await this.directory.candidates(q, ctx.principal.tenantId, event.projectId);
    const people: Person[] = entries.map((e) => ({ userId: e.userId, roles: new Set(e.roles as PlatformRole[]), ownProjects: new Set(e.ownProjects) }));
    const known = new Set(entries.map((e) => e.userId));
    for (const userId of event.mentions ?? []) if (!known.has(userId)) people.push({ userId, roles: new Set(), ownProjects: new Set() });
    return this.route(ctx, event, people);
  }

  /** Only the people a comment @mentions, whatever their subscriptions say (their channel choices still apply). */
  async mentionRoutes(ctx: RequestContext, event: IncomingEvent): Promise<Routed> {
    const people: Person[] = (event.mentions ?? []).map((userId) => ({ userId, roles: new Set(), ownProjects: new Set() }));
    const routed = await this.route(ctx, event, people);
    return { ...routed, routes: routed.routes.filter((r) => r.reason.kind === 'mention') };
  }

  private async route(ctx: RequestContext, event: IncomingEvent, people: readonly Person[]): Promise<Routed> {
    const preferences = new Map<string, UserPreferences>();
    if (people.length === 0) return { routes: [], preferences };
    const tenantId = ctx.principal.tenantId;
    // Everyone's preferences in one round trip.
    const streams = people.map(({ userId }) => userPreferencesStreamId(tenantId, userId));
    const loaded = await this.writePath.loadMany(userPreferencesAggregate, streams, tenantId);
    people.forEach(({ userId }, i) => {
      const found = loaded.get(streams[i]);
      if (found && found.version > 0) preferences.set(userId, found.state);
    });
    const { state: settings } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    return { routes: routeEvent({ event, people, settings, preferences, now: ctx.now }), preferences };
  }
}
