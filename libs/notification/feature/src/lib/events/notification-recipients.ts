import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { NotificationDirectory, candidatesKey } from '@pm/notification/data-access';
import {
  escalationChainAggregate,
  escalationChainStreamId,
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

/** A consumed event to route, with the tenant it belongs to (what a batch's read-ahead is given). */
export interface TenantEvent {
  readonly tenantId: string;
  readonly event: IncomingEvent;
}

/** The key of a project's escalation chain in `RoutingMemo.chains`. */
export const chainKey = (tenantId: string, projectId: string): string => `${tenantId}\u0000${projectId}`;

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
    const entries = await remembered(memo?.candidates, candidatesKey(tenantId, event.projectId), () => this.directory.candidates(q, tenantId, event.projectId));
    const people: Person[] = entries.map((e) => ({ userId: e.userId, roles: new Set(e.roles as PlatformRole[]), ownProjects: new Set(e.ownProjects) }));
    const known = new Set(entries.map((e) => e.userId));
    for (const userId of event.mentions ?? []) if (!known.has(userId)) people.push({ userId, roles: new Set(), ownProjects: new Set() });
    return this.route(ctx, event, people, memo);
  }

  /**
   * Reads what routing a consumer batch's events will ask for, before its first handler, in a few round trips side by
   * side instead of one after another per event: the directory's people for every (tenant, project) at once, then per
   * tenant their preferences, the tenant's settings and, for critical project events, the projects' escalation chains
   * (ADR 0401 amendment). It only fills `memo`: what a handler finds there is what it would have read itself (a batch
   * that changes a tenant's directory forgets that tenant's people, and its later events read again).
   */
  async prefetch(q: Pick<Pool | PoolClient, 'query'>, events: readonly TenantEvent[], memo: RoutingMemo): Promise<void> {
    const pairs = events.filter(({ tenantId, event }) => !memo.candidates.has(candidatesKey(tenantId, event.projectId))).map(({ tenantId, event }) => ({ tenantId, projectId: event.projectId }));
    const found = await this.directory.candidatesMany(q, pairs);
    for (const [key, entries] of found) memo.candidates.set(key, Promise.resolve(entries));
    const tenants = new Map<string, { people: Set<string>; chains: Set<string> }>();
    for (const { tenantId, event } of events) {
      const tenant = tenants.get(tenantId) ?? { people: new Set<string>(), chains: new Set<string>() };
      tenants.set(tenantId, tenant);
      for (const entry of (await memo.candidates.get(candidatesKey(tenantId, event.projectId))) ?? []) tenant.people.add(entry.userId);
      for (const userId of event.mentions ?? []) tenant.people.add(userId);
      if (event.severity === 'critical' && event.projectId !== null) tenant.chains.add(event.projectId);
    }
    // Settled all before returning (a failed read leaves its part of the memo empty), then the first failure is told.
    const reads = await Promise.allSettled(
      [...tenants].map(async ([tenantId, { people, chains }]) => {
        const streams = [...people].map((userId) => userPreferencesStreamId(tenantId, userId)).filter((stream) => !memo.preferences.has(stream));
        const projects = [...chains].filter((projectId) => !memo.chains.has(chainKey(tenantId, projectId)));
        const [preferences, loadedChains] = await Promise.all([
          streams.length > 0 ? this.writePath.loadMany(userPreferencesAggregate, streams, tenantId) : new Map(),
          projects.length > 0 ? this.writePath.loadMany(escalationChainAggregate, projects.map((projectId) => escalationChainStreamId(tenantId, projectId)), tenantId) : new Map(),
          this.settingsOf(tenantId, memo),
        ]);
        for (const stream of streams) {
          const fresh = preferences.get(stream);
          memo.preferences.set(stream, fresh && fresh.version > 0 ? fresh.state : null);
        }
        for (const projectId of projects) {
          const chain = loadedChains.get(escalationChainStreamId(tenantId, projectId));
          if (chain) memo.chains.set(chainKey(tenantId, projectId), Promise.resolve(chain.state));
        }
      }),
    );
    const failed = reads.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
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
    return { routes: routeEvent({ event, people, settings: await this.settingsOf(tenantId, memo), preferences, now: ctx.now }), preferences };
  }

  private settingsOf(tenantId: string, memo?: RoutingMemo): Promise<TenantNotificationSettings> {
    return remembered(memo?.settings, tenantId, () =>
      this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId).then((l) => l.state),
    );
  }
}
