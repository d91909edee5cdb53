import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { WebhookDeliveriesTable, WebhookEndpointsTable, WebhookSecretBox, secretContextOf } from '@pm/notification/data-access';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '@pm/notification/data-access';
import {
  derivedUuid,
  isSuccessStatus,
  signingKeyIdsAt,
  webhookDeliveryAggregate,
  webhookDeliveryStreamId,
  webhookEndpointAggregate,
  webhookEndpointStreamId,
} from '@pm/notification/domain';
import { ExpectedVersionConflict, PG_POOL, PgEventStore, TransactionOrderConflict, WritePath } from '@pm/platform/event-store';
import { DurableScheduler } from '@pm/platform/scheduler';
import type { FireContext, FireResult } from '@pm/platform/scheduler';
import { defineCounter, defineHistogram } from '@pm/platform/observability';
import { systemContext } from '@pm/platform/request-context';
import type { RequestContext } from '@pm/platform/request-context';
import { nextAttemptAt, signWebhook } from '@pm/platform/webhooks';
import { NotificationWriter } from '../events/notification-writer';
import { metadataOf } from '../shared/caller';
import { NOTIFICATION_SERVICE } from '../shared/notification-options';
import { InboxWakeups } from '../stream/inbox-wakeups';
import { WEBHOOK_ATTEMPT, WEBHOOK_OPTIONS } from './webhook-options';
import type { WebhookAttemptPayload, WebhookOptions } from './webhook-options';
import { sendWebhook } from './webhook-sender';
import type { WebhookResponse } from './webhook-sender';

const RETRY_LATER_MS = 1_000;
const RECORD_RETRIES = 5;

/** By outcome only: a tenant or endpoint label would grow without bound. */
const attempts = () =>
  defineCounter({ name: 'pm_webhook_attempts_total', help: 'Webhook delivery attempts by outcome (2xx, an HTTP error status, or no response)', labelNames: ['outcome'] });
const durations = () =>
  defineHistogram({ name: 'pm_webhook_attempt_duration_seconds', help: 'Time from connecting to the response of a webhook attempt', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

/**
 * Sends deliveries (ADR 0403). The durable scheduler is the timer and the lease: an item fires in a short transaction
 * that only takes a lease on the delivery and moves the item to the lease's end (so a replica that dies mid-request
 * is replaced); the request runs after that commit, outside any transaction (ADR 0007: nothing slow in a firing);
 * its outcome is recorded on the write path in one transaction that checks the lease, appends the attempt's event,
 * writes the log row, schedules the next attempt or ends the item, lets the next delivery of an ordered subject go,
 * and — at the threshold — disables the endpoint and tells the tenant's pmo-admins.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger(WebhookDeliveryWorker.name);
  private readonly endpoints = new WebhookEndpointsTable();
  private readonly deliveries = new WebhookDeliveriesTable();
  private readonly box: WebhookSecretBox;
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly writePath: WritePath,
    private readonly store: PgEventStore,
    private readonly writer: NotificationWriter,
    private readonly wakeups: InboxWakeups,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {
    this.box = WebhookSecretBox.fromEnv(options.secretKey, options.production);
  }

  onModuleInit(): void {
    // A firing only takes a lease, so it fails only when the database does: retry it like any transient failure.
    this.scheduler.register<WebhookAttemptPayload>(WEBHOOK_ATTEMPT, (fire) => this.fire(fire), { maxAttempts: 50, baseMs: 1_000, maxMs: 60_000 });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Schedules a delivery's next attempt at `dueAt` in the caller's transaction. */
  async schedule(q: PoolClient, tenantId: string, deliveryId: string, dueAt: Date): Promise<void> {
    await this.scheduler.schedule({ tenantId, kind: WEBHOOK_ATTEMPT, key: deliveryId, dueAt, payload: { deliveryId } }, { tx: q });
  }

  /** Resolves when every request started so far has been recorded (tests; shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async fire(fire: FireContext<WebhookAttemptPayload>): Promise<FireResult> {
    const { tenantId, tx } = fire;
    const delivery = await this.deliveries.lock(tx, tenantId, fire.payload.deliveryId);
    if (delivery === undefined || delivery.status !== 'pending') return undefined;
    const endpoint = await this.endpoints.get(tx, tenantId, delivery.endpointId);
    if (endpoint === undefined) {
      await this.deliveries.setStatus(tx, tenantId, delivery.deliveryId, 'cancelled');
      return undefined;
    }
    if (endpoint.status === 'disabled') {
      // Kept for redelivery: enabling the endpoint puts it back in the queue.
      await this.deliveries.setStatus(tx, tenantId, delivery.deliveryId, 'paused');
      return undefined;
    }
    const busy = this.inFlight.get(endpoint.endpointId) ?? 0;
    const total = [...this.inFlight.values()].reduce((a, b) => a + b, 0);
    if (busy >= this.options.maxInFlightPerEndpoint || total >= this.options.maxInFlight) return { nextDueAt: new Date(fire.firedAt.getTime() + RETRY_LATER_MS) };
    const token = randomUUID();
    await this.deliveries.lease(tx, tenantId, delivery.deliveryId, token, fire.firedAt);
    this.inFlight.set(endpoint.endpointId, busy + 1);
    const run = this.attempt(tenantId, { ...delivery, firstAttemptAt: delivery.firstAttemptAt ?? fire.firedAt }, endpoint, token)
      .catch((error: unknown) => this.log.error({ err: error, tenantId, deliveryId: delivery.deliveryId }, 'webhook attempt not recorded; the lease will expire and it runs again'))
      .finally(() => {
        this.inFlight.set(endpoint.endpointId, (this.inFlight.get(endpoint.endpointId) ?? 1) - 1);
        this.running.delete(run);
      });
    this.running.add(run);
    return { nextDueAt: new Date(fire.firedAt.getTime() + this.options.leaseMs) };
  }

  private async attempt(tenantId: string, delivery: WebhookDeliveryRow & { payload: string }, endpoint: WebhookEndpointRow, token: string): Promise<void> {
    // Waits for the firing transaction (it holds the row) and sends only if its lease committed.
    const { rows } = await this.pool.query<{ token: string | null }>(`SELECT lease_token AS token FROM notification_webhook_deliveries WHERE tenant_id = $1 AND delivery_id = $2 FOR SHARE`, [
      tenantId,
      delivery.deliveryId,
    ]);
    if (rows[0]?.token !== token) return;
    const response = await this.send(tenantId, delivery, endpoint);
    attempts().inc({ outcome: response.status === null ? 'no-response' : isSuccessStatus(response.status) ? 'success' : 'http-error' });
    durations().observe(response.durationMs / 1000);
    await this.record(tenantId, delivery, endpoint, token, response);
  }

  private async send(tenantId: string, delivery: WebhookDeliveryRow & { payload: string }, endpoint: WebhookEndpointRow): Promise<WebhookResponse & { signedWith: string[] }> {
    const { state } = await this.writePath.load(webhookEndpointAggregate, webhookEndpointStreamId(tenantId, endpoint.endpointId), tenantId);
    const keyIds = signingKeyIdsAt(state, this.options.clock.now().toISOString());
    const sealed = await this.endpoints.secrets(this.pool, tenantId, endpoint.endpointId, keyIds);
    if (sealed.length === 0) return { status: null, error: 'no signing secret', durationMs: 0, responseBody: null, signedWith: [] };
    const secrets = sealed.map(({ keyId, ciphertext }) => ({ keyId, secret: this.box.open(ciphertext, secretContextOf(tenantId, endpoint.endpointId, keyId)) }));
    // The signature's timestamp is the wall clock's: receivers compare it with theirs to refuse replays.
    const headers = signWebhook(delivery.deliveryId, new Date(), delivery.payload, secrets);
    const response = await sendWebhook(
      { url: endpoint.url, body: delivery.payload, headers: { ...headers }, privateAddressesAllowed: endpoint.privateAddressesAllowed, timeoutMs: this.options.timeoutMs },
      this.options.resolver,
    );
    return { ...response, signedWith: secrets.map((s) => s.keyId) };
  }

  /** Two recordings on one endpoint's stream at once (the disabling one) conflict: the loser runs again on fresh state. */
  private async record(...args: Parameters<WebhookDeliveryWorker['recordOnce']>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.recordOnce(...args);
      } catch (error) {
        if (!(error instanceof ExpectedVersionConflict || error instanceof TransactionOrderConflict) || attempt >= RECORD_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  private async recordOnce(tenantId: string, delivery: WebhookDeliveryRow & { payload: string }, endpoint: WebhookEndpointRow, token: string, response: WebhookResponse & { signedWith: string[] }): Promise<void> {
    const now = this.options.clock.now();
    const ctx = systemContext(NOTIFICATION_SERVICE, tenantId, { eventId: delivery.eventId }, this.options.clock);
    const succeeded = isSuccessStatus(response.status);
    const told: string[] = [];
    const recorded = await this.store.transaction(async (client) => {
      const row = await this.deliveries.lock(client, tenantId, delivery.deliveryId);
      if (row === undefined || row.leaseToken !== token) return false;
      const attempt = row.attempts + 1;
      const failures = await this.endpoints.countAttempt(client, tenantId, endpoint.endpointId, succeeded);
      const window = await this.windowOf(client, tenantId, delivery.deliveryId);
      const gone = response.status === 410;
      const retryAt = succeeded || gone ? null : nextAttemptAt(row.firstAttemptAt ?? now, now, Math.max(1, attempt - window), Math.random());
      const metadata = metadataOf(ctx);
      const { result: disabled } = await this.writePath.runIn(client, ctx, async (tx) => {
        const endpointStream = webhookEndpointStreamId(tenantId, endpoint.endpointId);
        const disabling = succeeded ? [] : (await tx.decide(webhookEndpointAggregate, endpointStream, { type: 'RecordWebhookFailures', data: { endpointId: endpoint.endpointId, consecutiveFailures: failures }, metadata })).events;
        const outcome = { attempt, status: response.status, error: response.error, durationMs: response.durationMs, responseBody: response.responseBody };
        const data = { deliveryId: delivery.deliveryId, endpointId: endpoint.endpointId, eventId: delivery.eventId, eventType: delivery.eventType, ...outcome, nextAttemptAt: retryAt?.toISOString() ?? null, endpointDisabled: disabling.length > 0 };
        await tx.decide(webhookDeliveryAggregate, webhookDeliveryStreamId(tenantId, delivery.deliveryId), { type: 'RecordWebhookAttempt', data, metadata });
        return disabling.length > 0;
      });
      const status = succeeded ? 'succeeded' : disabled ? 'paused' : retryAt !== null ? 'pending' : 'failed';
      await this.deliveries.recordAttempt(client, tenantId, delivery.deliveryId, { attempt, status: response.status, error: response.error, durationMs: response.durationMs, responseBody: response.responseBody, signedWith: response.signedWith, attemptedAt: now }, { status, nextAttemptAt: status === 'pending' ? retryAt : null });
      if (status === 'pending' && retryAt !== null) await this.schedule(client, tenantId, delivery.deliveryId, retryAt);
      else await this.scheduler.cancel(tenantId, WEBHOOK_ATTEMPT, delivery.deliveryId, { tx: client });
      if ((status === 'succeeded' || status === 'failed') && endpoint.orderedBySubject) {
        const next = await this.deliveries.promoteNext(client, tenantId, endpoint.endpointId, delivery.subject);
        if (next !== undefined) await this.schedule(client, tenantId, next, now);
      }
      if (disabled) {
        await this.endpoints.statusChanged(client, tenantId, endpoint.endpointId, 'disabled');
        told.push(...(await this.tellAdmins(client, ctx, endpoint, failures, delivery.deliveryId, attempt)));
      }
      return true;
    });
    if (!recorded) return;
    this.store.notifyAppended();
    for (const userId of told) this.wakeups.wake(tenantId, userId);
  }

  /** Attempts made before the current 24-hour window (a manual redelivery starts a new one): backoff counts from there. */
  private async windowOf(client: PoolClient, tenantId: string, deliveryId: string): Promise<number> {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notification_webhook_attempts a JOIN notification_webhook_deliveries d USING (tenant_id, delivery_id)
       WHERE a.tenant_id = $1 AND a.delivery_id = $2 AND a.attempted_at < d.first_attempt_at`,
      [tenantId, deliveryId],
    );
    return rows[0]?.n ?? 0;
  }

  /** The tenant's pmo-admins hear of it in their inbox, through the router like any event (default `portfolio-alerts`). */
  private tellAdmins(client: PoolClient, ctx: RequestContext, endpoint: WebhookEndpointRow, failures: number, deliveryId: string, attempt: number): Promise<string[]> {
    const host = new URL(endpoint.url).host;
    return this.writer.notify(client, ctx, {
      eventId: derivedUuid('webhook-endpoint-disabled', [endpoint.endpointId, deliveryId, String(attempt)]),
      type: 'pm.notification.WebhookEndpointDisabled',
      severity: 'high',
      projectId: null,
      subject: { kind: 'webhook-endpoint', id: endpoint.endpointId, projectId: null },
      title: `Webhook endpoint ${host} disabled after ${failures} failed deliveries in a row`.slice(0, 200),
      occurredAt: ctx.now,
      actor: ctx.principal.actor,
    });
  }
}
