import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { TOPICS, dlqTopic } from '@pm/contracts';
import { ActivityFeed, EmailDeliveriesProjection, NotificationDirectory, insertInboxRows } from '@pm/notification/data-access';
import type { ActivityEntry, InboxRow } from '@pm/notification/data-access';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import type { IncomingEvent } from '@pm/notification/domain';
import { projectionEventsOf } from '@pm/platform/projections';
import type { ProjectionEvent } from '@pm/platform/projections';
import { systemContext } from '@pm/platform/request-context';
import type { RequestContext } from '@pm/platform/request-context';
import type { ScheduleRequest } from '@pm/platform/scheduler';
import { InboxWakeups } from '../stream/inbox-wakeups';
import { NOTIFICATION_OPTIONS, NOTIFICATION_SERVICE } from '../shared/notification-options';
import type { NotificationOptions } from '../shared/notification-options';
import { activityOf } from './activity-of';
import { directoryFactsOf } from './directory-facts';
import { classifyEvent } from './event-classifier';
import { RoutingMemo } from './notification-recipients';
import { inAppRecipients } from './notifications-in-plan';
import { NotificationWriter } from './notification-writer';
import type { RoutedEvent } from './notification-writer';

/** A consumed event as the directory and the classifier read it: with the actor its envelope names. */
const sourceOf = (e: ProjectionEvent, actor: string) => ({ ...e, actor });

/** The notification-worthy form of a consumed event and its context, or null: not one to notify of, or older than `maxAgeMs`. */
function routableOf(e: ProjectionEvent, actor: string, maxAgeMs: number): { incoming: IncomingEvent; ctx: RequestContext } | null {
  const incoming = classifyEvent(sourceOf(e, actor));
  const ctx = systemContext(NOTIFICATION_SERVICE, e.tenantId, e);
  return incoming === null || Date.parse(ctx.now) - Date.parse(e.occurredAt) > maxAgeMs ? null : { incoming, ctx };
}

/**
 * The service's ears (ADR 0401): planning, resource and risk events, a batch in one inbox transaction with everything
 * they cause — the directory's facts, and the notifications the router decides, appended on the write path in that
 * same transaction (routed event by event, stored together at the batch's end: ADR 0019). A redelivered event finds its inbox row and is skipped; a rolled-back one routes again to the same
 * derived ids. Open streams of the people told are woken after the commit.
 */
@Injectable()
export class SourceEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;
  private readonly log = nestLogger(SourceEventsConsumer.name);
  private readonly directory = new NotificationDirectory();
  private readonly activity = new ActivityFeed();
  /**
   * Per batch transaction: its in-app rows, e-mail delivery rows and activity lines, written in one go before its
   * COMMIT, and what routing read (read once per batch).
   */
  private readonly batches = new WeakMap<
    PoolClient,
    {
      inbox: InboxRow[];
      emails: ProjectionEvent[];
      timers: ScheduleRequest[];
      activity: Array<{ tenantId: string; entry: ActivityEntry }>;
      memo: RoutingMemo;
      routed: RoutedEvent[];
    }
  >();
  private readonly emailDeliveries = new EmailDeliveriesProjection();
  /** Recipients per consumed event id, from the handler (before the commit) to `onHandled` (after it). */
  private readonly told = new Map<string, Array<[string, string]>>();

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(PG_POOL) pool: Pool,
    @Inject(NOTIFICATION_OPTIONS) options: NotificationOptions,
    store: PgEventStore,
    writer: NotificationWriter,
    wakeups: InboxWakeups,
  ) {
    const maxAgeMs = options.maxEventAgeMinutes * 60_000;
    this.consumer = new EventConsumer({
      kafka,
      groupId: options.consumerGroupId,
      topics: [TOPICS.planning, TOPICS.resource, TOPICS.risk],
      pool,
      dlqTopic: dlqTopic(NOTIFICATION_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      partitionsConsumedConcurrently: options.consumerConcurrency,
      maxBatchMs: options.consumerMaxBatchMs,
      // A batch's inbox rows in two statements at its end: the recipients' head rows are locked for the last moments
      // of the transaction only, and always in one order, so partitions consumed side by side never deadlock.
      transactionScope: {
        begin: async (tx, events) => {
          const memo = new RoutingMemo();
          this.batches.set(tx, { inbox: [], emails: [], timers: [], activity: [], memo, routed: [] });
          // What routing the batch's events will read, read ahead in a few round trips (ADR 0401 amendment). Only a
          // saving: a message that breaks its contract is left to its handler (which names it), and a read that fails
          // leaves the handlers to read for themselves.
          const incoming = events.flatMap(({ envelope }) =>
            projectionEventsOf(envelope).flatMap((e) => {
              try {
                const routable = routableOf(e, envelope.actor, maxAgeMs);
                return routable === null ? [] : [{ tenantId: e.tenantId, event: routable.incoming }];
              } catch {
                return [];
              }
            }),
          );
          await writer.prefetch(pool, incoming, memo).catch((err: unknown) => this.log.warn({ err: String(err) }, 'routing not read ahead; the batch reads as it goes'));
        },
        flush: async (tx) => {
          const batch = this.batches.get(tx);
          this.batches.delete(tx);
          if (!batch) return;
          // The batch's notifications: one plan per routed event, stored together (ADR 0019). A failure here names no
          // message, so the consumer settles the batch's messages one by one, each in its own transaction.
          await writer.notifyAll(tx, batch.routed, batch, batch.memo);
          await this.activity.recordMany(tx, batch.activity);
          await insertInboxRows(tx, batch.inbox);
          if (batch.emails.length > 0) await this.emailDeliveries.applyBatch(batch.emails, tx);
        },
      },
      logger: this.log,
      handler: async ({ envelope }, tx) => {
        this.told.delete(envelope.id);
        const batch = this.batches.get(tx);
        for (const e of projectionEventsOf(envelope)) {
          const source = sourceOf(e, envelope.actor);
          for (const fact of directoryFactsOf(source)) {
            await this.directory.assign(tx, e.tenantId, fact.userId, fact.role, fact.projectId, fact.source);
            batch?.memo.forgetDirectory(e.tenantId);
          }
          const line = activityOf(e, envelope.actor);
          if (line !== null) {
            if (batch) batch.activity.push({ tenantId: e.tenantId, entry: line });
            else await this.activity.record(tx, e.tenantId, line);
          }
          const routable = routableOf(e, envelope.actor, maxAgeMs);
          if (routable === null) continue;
          const { incoming, ctx } = routable;
          let recipients: string[];
          if (batch) {
            // Routed now, with the directory as this event finds it; written with the batch's others at its end.
            const routed = await writer.route(tx, ctx, incoming, batch.memo);
            if (routed.routes.length > 0) batch.routed.push({ ctx, event: incoming, routed });
            recipients = inAppRecipients(routed.routes);
          } else recipients = await writer.notify(tx, ctx, incoming);
          if (recipients.length > 0) this.told.set(envelope.id, [...(this.told.get(envelope.id) ?? []), ...recipients.map((r): [string, string] => [e.tenantId, r])]);
        }
      },
      onHandled: ({ envelope }, outcome) => {
        const recipients = this.told.get(envelope.id);
        this.told.delete(envelope.id);
        if (outcome !== 'applied' || recipients === undefined) return;
        // The notifications were appended in the consumer's transaction: the relay and the read-model runner learn of them here.
        store.notifyAppended();
        for (const [tenantId, userId] of recipients) wakeups.wake(tenantId, userId);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
