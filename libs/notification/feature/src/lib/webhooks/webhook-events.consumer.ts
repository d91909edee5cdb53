import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { KAFKA_HEADERS, TOPICS, dlqTopic } from '@pm/contracts';
import { WebhookDeliveriesTable, WebhookEndpointsTable } from '@pm/notification/data-access';
import type { WebhookEndpointRow } from '@pm/notification/data-access';
import { filtersWant, webhookDeliveryIdOf } from '@pm/notification/domain';
import { PG_POOL } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import { NOTIFICATION_SERVICE } from '../shared/notification-options';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WEBHOOK_OPTIONS } from './webhook-options';
import type { WebhookOptions } from './webhook-options';

/** The delivery log's own events are never delivered: an endpoint on `pm.notification.*` would feed itself. */
const NEVER_DELIVERED = /^pm\.notification\.WebhookDelivery/;

export interface WebhookSourceEvent {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly tenantid: string;
  readonly time: string;
}

/**
 * Fans an event out to the tenant's endpoints that want it (ADR 0403): one delivery row per (endpoint, event) under
 * the derived id, and its first attempt on the durable scheduler, in the consumer's inbox transaction. A redelivered
 * message is skipped by the inbox; a replay under another group finds the rows there. An endpoint registered after
 * the event happened does not get it (a new endpoint does not receive the tenant's history). A delivery of a subject
 * whose earlier delivery on an ordered endpoint is not done waits (`waiting`); on a disabled endpoint it is kept
 * (`paused`) for after the endpoint is enabled. `endpointsOf` lists the tenant's endpoints (the consumer reads them once per
 * tenant per batch transaction).
 */
export async function fanOutToEndpoints(
  tx: PoolClient,
  event: WebhookSourceEvent,
  payload: string,
  now: Date,
  worker: Pick<WebhookDeliveryWorker, 'schedule'>,
  endpointsOf: (tenantId: string) => Promise<readonly WebhookEndpointRow[]> = (tenantId) => new WebhookEndpointsTable().list(tx, tenantId),
): Promise<number> {
  if (NEVER_DELIVERED.test(event.type)) return 0;
  const deliveries = new WebhookDeliveriesTable();
  let created = 0;
  for (const endpoint of await endpointsOf(event.tenantid)) {
    if (!filtersWant(endpoint.eventTypes, event.type) || Date.parse(event.time) < Date.parse(endpoint.registeredAt)) continue;
    const deliveryId = webhookDeliveryIdOf(endpoint.endpointId, event.id);
    const waits = endpoint.orderedBySubject && (await deliveries.subjectBusy(tx, event.tenantid, endpoint.endpointId, event.subject, deliveryId));
    const status = endpoint.status === 'disabled' ? 'paused' : waits ? 'waiting' : 'pending';
    const inserted = await deliveries.insert(tx, event.tenantid, { deliveryId, endpointId: endpoint.endpointId, eventId: event.id, eventType: event.type, subject: event.subject, payload, status, at: now.toISOString() });
    if (!inserted) continue;
    created += 1;
    if (status === 'pending') await worker.schedule(tx, event.tenantid, deliveryId, now);
  }
  return created;
}

/**
 * Per message of a fetched batch, from its `ce_tenantid` and `ce_type` headers: true when no endpoint of its tenant
 * wants its type (or it is never delivered), so fanning it out would create nothing. A message without those headers
 * is read. The endpoints are read when the batch starts, as `fanOutToEndpoints` reads them for the batch's
 * transaction: an endpoint registered after that wants none of the batch's events anyway (they were stored before).
 */
export async function skippedFor(
  endpoints: Pick<WebhookEndpointsTable, 'filtersOf'>,
  pool: Pool,
  headers: ReadonlyArray<ReadonlyMap<string, string>>,
): Promise<boolean[]> {
  const tenants = [...new Set(headers.flatMap((h) => h.get(KAFKA_HEADERS.tenantId) ?? []))];
  const filters = await endpoints.filtersOf(pool, tenants);
  return headers.map((h) => {
    const tenantId = h.get(KAFKA_HEADERS.tenantId);
    const type = h.get(KAFKA_HEADERS.type);
    if (tenantId === undefined || type === undefined) return false;
    if (NEVER_DELIVERED.test(type)) return true;
    return !(filters.get(tenantId) ?? []).some((eventTypes) => filtersWant(eventTypes, type));
  });
}

@Injectable()
export class WebhookEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;
  private readonly endpoints = new WebhookEndpointsTable();
  /**
   * The tenants' endpoints as the batch transaction first read them: one query per tenant per batch, not one per
   * event (every notification the service creates comes back on its topic). An endpoint registered while a batch is
   * applied gets the events of the next batches; its registration time decides which events it wants anyway.
   */
  private readonly endpointsByTx = new WeakMap<PoolClient, Map<string, Promise<WebhookEndpointRow[]>>>();

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(PG_POOL) pool: Pool, @Inject(WEBHOOK_OPTIONS) options: WebhookOptions, worker: WebhookDeliveryWorker) {
    this.consumer = new EventConsumer({
      kafka,
      groupId: options.consumerGroupId,
      topics: [TOPICS.planning, TOPICS.resource, TOPICS.risk, TOPICS.notification],
      pool,
      dlqTopic: dlqTopic(NOTIFICATION_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      logger: nestLogger(WebhookEventsConsumer.name),
      // Most events have no endpoint that wants them (most tenants have none): told from the headers, they are settled
      // unread, without a transaction or an inbox row (deliveries are keyed by derived ids, so the inbox adds nothing).
      skipping: (headers) => skippedFor(this.endpoints, pool, headers),
      transactionScope: {
        begin: (tx) => void this.endpointsByTx.set(tx, new Map()),
        flush: async (tx) => void this.endpointsByTx.delete(tx),
      },
      handler: async ({ envelope }, tx) => {
        const memo = this.endpointsByTx.get(tx) ?? new Map<string, Promise<WebhookEndpointRow[]>>();
        const endpointsOf = (tenantId: string) => {
          let listed = memo.get(tenantId);
          if (!listed) memo.set(tenantId, (listed = this.endpoints.list(tx, tenantId)));
          return listed;
        };
        await fanOutToEndpoints(tx, envelope, JSON.stringify(envelope), options.clock.now(), worker, endpointsOf);
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
