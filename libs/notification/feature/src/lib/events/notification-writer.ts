import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { notificationAggregate, notificationStreamId } from '@pm/notification/domain';
import type { IncomingEvent } from '@pm/notification/domain';
import { WritePath, preloadOf } from '@pm/platform/event-store';
import type { WritePlan } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import type { ScheduleRequest } from '@pm/platform/scheduler';
import { Escalations } from '../escalation/escalations';
import { createNotificationsInPlan, inAppRecipients } from './notifications-in-plan';
import type { GatheredRows, Routed } from './notifications-in-plan';
import { NotificationRecipients } from './notification-recipients';
import type { RoutingMemo, TenantEvent } from './notification-recipients';

/**
 * The one place notifications of other contexts' events are created (ADR 0401): the people the directory knows for the
 * event's project, their preferences and the tenant's settings go to the pure router; each route is a
 * CreateNotification on its derived stream, appended on the write path inside the consumer's inbox transaction. A
 * redelivered event is skipped by the inbox; one whose first handling rolled back routes again to the same ids. A
 * critical event starts its escalation in the same plan (ADR 0404).
 */
@Injectable()
export class NotificationWriter {
  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
    private readonly recipients: NotificationRecipients,
    private readonly escalations: Escalations,
  ) {}

  /**
   * Returns the people who got an in-app notification, so their open streams can be woken after the commit. Their
   * inbox and e-mail rows go into `gathered` when given (the caller writes them before its COMMIT), else are written here; `memo`
   * keeps what routing read for the rest of the caller's batch.
   */
  async notify(client: PoolClient, ctx: RequestContext, event: IncomingEvent, gathered?: GatheredRows, memo?: RoutingMemo): Promise<string[]> {
    const routed = await this.route(client, ctx, event, memo);
    if (routed.routes.length === 0) return [];
    await this.writePath.runIn(client, ctx, (tx) => this.plan(tx, event, routed, gathered, memo));
    return inAppRecipients(routed.routes);
  }

  /** Reads ahead what routing a batch's events will need (NotificationRecipients.prefetch). */
  prefetch(q: Pick<Pool | PoolClient, 'query'>, events: readonly TenantEvent[], memo: RoutingMemo): Promise<void> {
    return this.recipients.prefetch(q, events, memo);
  }

  /** Who hears of the event, and how (reads only): the first half of `notify`, for a caller that writes a batch later. */
  route(client: PoolClient, ctx: RequestContext, event: IncomingEvent, memo?: RoutingMemo): Promise<Routed> {
    return this.recipients.routesFor(client, ctx, event, memo);
  }

  /**
   * The second half of `notify` for a consumer batch's routed events (ADR 0019): one plan per event, with that event's
   * context, stored together in the caller's transaction: every new notification stream read in one round trip per
   * tenant, the batch's appends in one statement, its e-mail timers in one more. The rows go into `gathered`.
   */
  async notifyAll(client: PoolClient, items: readonly RoutedEvent[], gathered: GatheredRows & { readonly timers: ScheduleRequest[] }, memo: RoutingMemo): Promise<void> {
    if (items.length === 0) return;
    const streams = new Map<string, string[]>();
    for (const { ctx, routed } of items) {
      const tenantId = ctx.principal.tenantId;
      const ids = streams.get(tenantId) ?? [];
      for (const route of routed.routes) ids.push(notificationStreamId(tenantId, route.notificationId));
      streams.set(tenantId, ids);
    }
    await this.writePath.runAllIn(
      client,
      items.map(({ ctx, event, routed }) => ({ ctx, plan: (tx: WritePlan) => this.plan(tx, event, routed, gathered, memo) })),
      [...streams].map(([tenantId, streamIds]) => preloadOf(notificationAggregate, tenantId, streamIds)),
    );
    const timers = gathered.timers.splice(0);
    if (timers.length > 0) await this.scheduler.scheduleMany(timers, { tx: client });
  }

  private async plan(tx: WritePlan, event: IncomingEvent, routed: Routed, gathered?: GatheredRows, memo?: RoutingMemo): Promise<void> {
    await createNotificationsInPlan(tx, routed, event, this.scheduler, gathered);
    await this.escalations.startInPlan(tx, event, inAppRecipients(routed.routes), memo);
  }
}

/** An event routed in a consumer batch, written with the batch's others before its COMMIT. */
export interface RoutedEvent {
  readonly ctx: RequestContext;
  readonly event: IncomingEvent;
  readonly routed: Routed;
}
