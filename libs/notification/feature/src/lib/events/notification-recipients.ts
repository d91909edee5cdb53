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
import type { EscalationChainState, IncomingEvent, Person, PlatformRole, TenantNotificationSettings, UserPreferences } from '@pm/notification/domain';
import type { DirectoryEntry } from '@pm/notification/data-access';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import type { Routed } from './notifications-in-plan';

/**
 * What routing read within one consumer batch transaction, read once per batch instead of once per event: the
 * directory's people per project (forgotten for a tenant as soon as the batch changes its directory), the tenant's
 * settings, people's preferences and projects' escalation chains (changed only by commands, never by the events a
 * batch applies).
 */
/**
 * What `map` remembers under `key`, or `read()` remembered there first; without a map (no batch to share with) just
 * `read()`. The reads remembered are promises, so the events of a batch that ask at once share one round trip.
 */
export function remembered<K, V>(map: Map<K, V> | undefined, key: K, read: () => V): V {
  const known = map?.get(key);
  if (known !== undefined) return known;
  const value = read();
  map?.set(key, value);
  return value;
}

export class RoutingMemo {
  readonly candidates = new Map<string, Promise<DirectoryEntry[]>>();
  readonly settings = new Map<string, Promise<TenantNotificationSettings>>();
  readonly preferences = new Map<string, UserPreferences | null>();
  /** Per tenant and project. */
  readonly chains = new Map<string, Promise<EscalationChainState>>();

  forgetDirectory(tenantId: string): void {
    for (const key of this.candidates.keys()) if (key.startsWith(`${tenantId}\u0000`)) this.candidates.delete(key);
  }
}

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
  async routesFor(q: Pick<PoolClient, 'query'>, ctx: RequestContext, event: IncomingEvent, memo?: RoutingMemo): Promise<Routed> {
    const tenantId = ctx.principal.tenantId;
    const key = `${tenantId}\u0000${event.projectId ?? ''}`;
    const entries = await remembered(memo?.candidates, key, () => this.directory.candidates(q, tenantId, event.projectId));
    const people: Person[] = entries.map((e) => ({ userId: e.userId, roles: new Set(e.roles as PlatformRole[]), ownProjects: new Set(e.ownProjects) }));
    const known = new Set(entries.map((e) => e.userId));
    for (const userId of event.mentions ?? []) if (!known.has(userId)) people.push({ userId, roles: new Set(), ownProjects: new Set() });
    return this.route(ctx, event, people, memo);
  }

  /** Only the people a comment @mentions, whatever their subscriptions say (their channel choices still apply). */
  async mentionRoutes(ctx: RequestContext, event: IncomingEvent): Promise<Routed> {
    const people: Person[] = (event.mentions ?? []).map((userId) => ({ userId, roles: new Set(), ownProjects: new Set() }));
    const routed = await this.route(ctx, event, people);
    return { ...routed, routes: routed.routes.filter((r) => r.reason.kind === 'mention') };
  }

  private async route(ctx: RequestContext, event: IncomingEvent, people: readonly Person[], memo?: RoutingMemo): Promise<Routed> {
    const preferences = new Map<string, UserPreferences>();
    if (people.length === 0) return { routes: [], preferences };
    const tenantId = ctx.principal.tenantId;
    // Everyone's preferences not read yet in this batch, in one round trip.
    const streams = people.map(({ userId }) => userPreferencesStreamId(tenantId, userId));
    const missing = streams.filter((stream) => !memo?.preferences.has(stream));
    const loaded = missing.length > 0 ? await this.writePath.loadMany(userPreferencesAggregate, missing, tenantId) : new Map();
    people.forEach(({ userId }, i) => {
      const stream = streams[i];
      let found: UserPreferences | null | undefined = memo?.preferences.get(stream);
      if (found === undefined) {
        const fresh = loaded.get(stream);
        const read: UserPreferences | null = fresh && fresh.version > 0 ? fresh.state : null;
        memo?.preferences.set(stream, read);
        found = read;
      }
      if (found) preferences.set(userId, found);
    });
    const settings = remembered(memo?.settings, tenantId, () =>
      this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId).then((l) => l.state),
    );
    return { routes: routeEvent({ event, people, settings: await settings, preferences, now: ctx.now }), preferences };
  }
}
