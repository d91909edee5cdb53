import { randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { NotificationDirectory, WebhookDeliveriesTable, WebhookEndpointsTable, WebhookSecretBox, secretContextOf, MAX_WEBHOOK_ENDPOINTS_PER_TENANT } from '@pm/notification/data-access';
import type { WebhookEndpointRow } from '@pm/notification/data-access';
import { MAX_WEBHOOK_ATTEMPTS, webhookEndpointAggregate, webhookEndpointStreamId } from '@pm/notification/domain';
import type { WebhookEndpointCommand, WebhookEndpointEvent } from '@pm/notification/domain';
import { PG_POOL, PgEventStore, WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { addressMayBeReached, classifyAddress, generateWebhookSecret, secretFingerprint } from '@pm/platform/webhooks';
import { conflict, invalid, notFound } from '@pm/shared/ddd';
import { metadataOf } from '../shared/caller';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WEBHOOK_OPTIONS } from './webhook-options';
import type { WebhookOptions } from './webhook-options';
import type { RotateSecretRequest, WebhookEndpointRequest } from './webhook.requests';

const newKeyId = (): string => `whk_${randomBytes(6).toString('hex')}`;

/** A URL whose host is an address literal the guard refuses is refused at once; host names are judged at each connection. */
function literalAddressMustBeAllowed(url: string, privateAddressesAllowed: boolean): void {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return; // the decider names the bad URL
  }
  if (isIP(host) !== 0 && !addressMayBeReached(host, privateAddressesAllowed)) {
    throw invalid('WEBHOOK_ADDRESS_REFUSED', 'The URL points to an address that is not public; a pmo-admin may allow private addresses for this endpoint', { category: classifyAddress(host).category });
  }
}

export const endpointJson = (row: WebhookEndpointRow) => ({ ...row });

/**
 * The pmo-admin's commands on a tenant's endpoints, each one plan of the write path whose read-model rows (and sealed
 * secret) commit with its events. A new secret is returned once, here, and stored only sealed (AES-256-GCM).
 */
@Injectable()
export class WebhookEndpointCommands {
  private readonly endpoints = new WebhookEndpointsTable();
  private readonly deliveries = new WebhookDeliveriesTable();
  private readonly directory = new NotificationDirectory();
  private readonly box: WebhookSecretBox;

  constructor(
    private readonly writePath: WritePath,
    private readonly store: PgEventStore,
    private readonly worker: WebhookDeliveryWorker,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {
    this.box = WebhookSecretBox.fromEnv(options.secretKey, options.production);
  }

  async register(body: WebhookEndpointRequest, ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    literalAddressMustBeAllowed(body.url, body.privateAddressesAllowed);
    if ((await this.endpoints.count(this.pool, tenantId)) >= MAX_WEBHOOK_ENDPOINTS_PER_TENANT) {
      throw conflict('WEBHOOK_ENDPOINT_LIMIT', `A tenant has at most ${MAX_WEBHOOK_ENDPOINTS_PER_TENANT} endpoints`);
    }
    const endpointId = randomUUID();
    const secret = generateWebhookSecret();
    const key = { keyId: newKeyId(), fingerprint: secretFingerprint(secret) };
    const configuration = { url: body.url, description: body.description ?? null, eventTypes: body.eventTypes, orderedBySubject: body.orderedBySubject, privateAddressesAllowed: body.privateAddressesAllowed };
    await this.decide(ctx, endpointId, { type: 'RegisterWebhookEndpoint', data: { endpointId, ...configuration, key }, metadata: metadataOf(ctx) }, async (client, events) => {
      for (const e of events) {
        if (e.type !== 'WebhookEndpointRegistered') continue;
        await this.endpoints.registered(client, tenantId, endpointId, e.data, key.keyId, e.data.registeredAt);
        await this.endpoints.saveSecret(client, tenantId, endpointId, key.keyId, this.box.seal(secret, secretContextOf(tenantId, endpointId, key.keyId)), ctx.now);
      }
      await this.directory.rememberToken(client, tenantId, ctx.principal.sub, ctx.principal.roles);
    });
    return { endpoint: endpointJson(await this.mustGet(tenantId, endpointId)), secret, keyId: key.keyId };
  }

  async reconfigure(endpointId: string, body: WebhookEndpointRequest, ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    await this.mustGet(tenantId, endpointId);
    literalAddressMustBeAllowed(body.url, body.privateAddressesAllowed);
    const configuration = { url: body.url, description: body.description ?? null, eventTypes: body.eventTypes, orderedBySubject: body.orderedBySubject, privateAddressesAllowed: body.privateAddressesAllowed };
    const events = await this.decide(ctx, endpointId, { type: 'ReconfigureWebhookEndpoint', data: { endpointId, ...configuration }, metadata: metadataOf(ctx) }, async (client, decided) => {
      for (const e of decided) if (e.type === 'WebhookEndpointReconfigured') await this.endpoints.reconfigured(client, tenantId, endpointId, e.data);
    });
    return { endpoint: endpointJson(await this.mustGet(tenantId, endpointId)), events };
  }

  async setEnabled(endpointId: string, enabled: boolean, ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    const endpoint = await this.mustGet(tenantId, endpointId);
    const type = enabled ? 'EnableWebhookEndpoint' : 'DisableWebhookEndpoint';
    const events = await this.decide(ctx, endpointId, { type, data: { endpointId }, metadata: metadataOf(ctx) }, async (client, decided) => {
      if (decided.length === 0) return;
      await this.endpoints.statusChanged(client, tenantId, endpointId, enabled ? 'enabled' : 'disabled');
      // The queue kept while it was disabled goes out again, oldest first per subject on an ordered endpoint.
      if (enabled) for (const deliveryId of await this.deliveries.resume(client, tenantId, endpointId, endpoint.orderedBySubject)) await this.worker.schedule(client, tenantId, deliveryId, this.options.clock.now());
    });
    return { endpoint: endpointJson(await this.mustGet(tenantId, endpointId)), events };
  }

  async remove(endpointId: string, ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    await this.mustGet(tenantId, endpointId);
    await this.decide(ctx, endpointId, { type: 'RemoveWebhookEndpoint', data: { endpointId }, metadata: metadataOf(ctx) }, async (client) => {
      await this.endpoints.removed(client, tenantId, endpointId, ctx.now);
    });
  }

  async rotate(endpointId: string, body: RotateSecretRequest, ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    await this.mustGet(tenantId, endpointId);
    const secret = generateWebhookSecret();
    const key = { keyId: newKeyId(), fingerprint: secretFingerprint(secret) };
    const events = await this.decide(ctx, endpointId, { type: 'RotateWebhookSecret', data: { endpointId, key, ...(body.overlapMinutes === undefined ? {} : { overlapMinutes: body.overlapMinutes }) }, metadata: metadataOf(ctx) }, async (client) => {
      await this.endpoints.keyRotated(client, tenantId, endpointId, key.keyId);
      await this.endpoints.saveSecret(client, tenantId, endpointId, key.keyId, this.box.seal(secret, secretContextOf(tenantId, endpointId, key.keyId)), ctx.now);
    });
    const rotated = events.find((e) => e.type === 'WebhookSecretRotated');
    return { secret, keyId: key.keyId, previousValidUntil: rotated?.type === 'WebhookSecretRotated' ? rotated.data.previousValidUntil : null };
  }

  /** Manual redelivery: back to the queue (behind an unfinished earlier delivery of its subject on an ordered endpoint). */
  async redeliver(endpointId: string, deliveryId: string, ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    const endpoint = await this.mustGet(tenantId, endpointId);
    await this.store.transaction(async (client) => {
      const row = await this.deliveries.lock(client, tenantId, deliveryId);
      if (row === undefined || row.endpointId !== endpointId) throw notFound('WEBHOOK_DELIVERY_NOT_FOUND', 'No such delivery of this endpoint');
      if (row.status === 'pending' || row.status === 'waiting') throw conflict('WEBHOOK_DELIVERY_QUEUED', 'The delivery is already queued');
      if (row.status === 'cancelled') throw conflict('WEBHOOK_DELIVERY_CANCELLED', 'The delivery was cancelled');
      if (row.attempts >= MAX_WEBHOOK_ATTEMPTS) throw conflict('WEBHOOK_ATTEMPTS_EXHAUSTED', `A delivery is attempted at most ${MAX_WEBHOOK_ATTEMPTS} times`);
      const waits = endpoint.orderedBySubject && (await this.deliveries.subjectBusy(client, tenantId, endpointId, row.subject, deliveryId));
      const status = endpoint.status === 'disabled' ? 'paused' : waits ? 'waiting' : 'pending';
      await this.deliveries.requeue(client, tenantId, deliveryId, status);
      if (status === 'pending') await this.worker.schedule(client, tenantId, deliveryId, this.options.clock.now());
    });
    return this.deliveries.get(this.pool, tenantId, endpointId, deliveryId);
  }

  async mustGet(tenantId: string, endpointId: string): Promise<WebhookEndpointRow> {
    const row = await this.endpoints.get(this.pool, tenantId, endpointId);
    if (row === undefined) throw notFound('WEBHOOK_ENDPOINT_NOT_FOUND', 'No such webhook endpoint');
    return row;
  }

  private async decide(ctx: RequestContext, endpointId: string, command: WebhookEndpointCommand, rows: (client: PoolClient, events: WebhookEndpointEvent[]) => Promise<void>): Promise<WebhookEndpointEvent[]> {
    const stream = webhookEndpointStreamId(ctx.principal.tenantId, endpointId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { events } = await tx.decide(webhookEndpointAggregate, stream, command);
      tx.alsoInTransaction((client) => rows(client, events));
      return events;
    });
    return outcome.result;
  }
}
