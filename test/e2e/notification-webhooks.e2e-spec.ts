import { randomBytes, randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { WEBHOOK_ATTEMPT, WebhookDeliveryWorker, fanOutToEndpoints, systemResolver } from '@pm/notification/feature';
import { webhookDeliveryIdOf } from '@pm/notification/domain';
import { signDevToken } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { KAFKA } from '@pm/platform/messaging';
import { metricsRegistry } from '@pm/platform/observability';
import { ManualClock } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { signWebhook } from '@pm/platform/webhooks';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';
import { WebhookReceiver } from './webhook-receiver';
import { publishPlanningEvent } from './webhook-spec-events';

/**
 * Webhooks end to end (ADR 0403): events on the real broker, the notification service's own delivery consumer, the
 * durable scheduler on a manual clock (retries without waiting), and a node:http receiver that verifies every request
 * with the `standardwebhooks` package.
 */
describe('Notification service: webhooks', () => {
  let db: TestDatabase;
  let service: RunningService;
  let pool: Pool;
  let kafka: Kafka;
  let scheduler: DurableScheduler;
  let worker: WebhookDeliveryWorker;
  const receiver = new WebhookReceiver();
  const clock = new ManualClock();
  const hex = () => randomBytes(4).toString('hex');
  const tenant = `tenant-hooks-${hex()}`;
  const adminSub = `pmo-${hex()}`;
  let admin: string;
  let resolved: string[] = [];
  // Host names the tests answer themselves; everything else goes to the system resolver (localhost: loopback).
  const dns: Record<string, string> = { 'rebind.test': '127.0.0.1', 'metadata.test': '169.254.169.254', 'mapped.test': '::ffff:127.0.0.1' };
  const resolver = async (hostname: string) => {
    resolved.push(hostname);
    return Object.hasOwn(dns, hostname) ? [{ address: dns[hostname], family: dns[hostname].includes(':') ? 6 : 4 }] : systemResolver(hostname);
  };

  const api = () => request(service.url);
  const asAdmin = <T extends request.Test>(test: T): T => test.set('authorization', `Bearer ${admin}`) as T;

  async function register(path: string, body: Record<string, unknown> = {}): Promise<{ endpointId: string; secret: string; keyId: string }> {
    const res = await asAdmin(api().post('/webhook-endpoints')).send({ url: `${receiver.url}${path}`, eventTypes: ['pm.planning.*'], privateAddressesAllowed: true, ...body }).expect(201);
    receiver.trust(path, res.body.secret);
    return { endpointId: res.body.endpoint.endpointId, secret: res.body.secret, keyId: res.body.keyId };
  }

  const publish = (subject: string, version: number): Promise<string> => publishPlanningEvent(kafka, tenant, subject, version);

  const deliveryRows = async (endpointId: string) =>
    (await pool.query<{ event_id: string; status: string; attempts: number }>('SELECT event_id, status, attempts FROM notification_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 ORDER BY seq', [tenant, endpointId])).rows;

  /** Fires what is due on the manual clock and waits for the requests it started to be recorded. */
  async function pump(): Promise<void> {
    await scheduler.runDue();
    await worker.settled();
  }

  async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
    return waitFor(
      async () => {
        await pump();
        return probe();
      },
      { timeoutMs, intervalMs: 150, what },
    );
  }

  const newSubject = () => `project:${tenant}:${randomUUID()}`;

  beforeAll(async () => {
    await receiver.start();
    db = await createTestDatabase('e2e_webhooks');
    service = await startService(
      'notification-service',
      NotificationApp.register({ pgUrl: db.url, consumerGroupId: `notification-hooks-inbox-${hex()}`, webhookConsumerGroupId: `notification-hooks-${hex()}`, clock, webhookResolver: resolver }),
    );
    pool = createPgPool(db.url, { max: 2 });
    kafka = service.app.get<Kafka>(KAFKA);
    scheduler = service.app.get(DurableScheduler);
    worker = service.app.get(WebhookDeliveryWorker);
    admin = await signDevToken({ tenant, sub: adminSub, roles: ['pmo-admin'] });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await service?.close();
    await db?.drop();
    await receiver.stop();
  });

  it('delivers a signed CloudEvent that the standardwebhooks package verifies, once per (endpoint, event), with its log', async () => {
    const { endpointId, secret } = await register('/erp');
    const eventId = await publish(newSubject(), 1);
    const [got] = await until(() => receiver.at('/erp').length > 0 && receiver.at('/erp'), 'the first delivery');
    expect(receiver.verifies(got, secret)).toBe(true);
    const deliveryId = webhookDeliveryIdOf(endpointId, eventId);
    expect(got.headers['webhook-id']).toBe(deliveryId);
    expect(got.headers['content-type']).toBe('application/cloudevents+json');
    expect(JSON.parse(got.body)).toMatchObject({ specversion: '1.0', id: eventId, type: 'pm.planning.ObjectiveDefined', tenantid: tenant });
    // A replay with the timestamp moved does not verify; a request signed ten minutes ago is refused as too old.
    expect(receiver.verifies({ ...got, headers: { ...got.headers, 'webhook-timestamp': String(Number(got.headers['webhook-timestamp']) + 1) } }, secret)).toBe(false);
    const old = signWebhook(deliveryId, new Date(Date.now() - 10 * 60_000), got.body, [{ keyId: 'k', secret }]);
    expect(receiver.verifies({ ...got, headers: { ...got.headers, ...old } }, secret)).toBe(false);

    const log = await until(async () => {
      const body = (await asAdmin(api().get(`/webhook-endpoints/${endpointId}/deliveries/${deliveryId}`)).expect(200)).body;
      return body.status === 'succeeded' && body;
    }, 'the delivery log');
    expect(log.log).toEqual([expect.objectContaining({ attempt: 1, status: 204, error: null, signedWith: [expect.stringMatching(/^whk_/)] })]);
    expect((await asAdmin(api().get(`/webhook-endpoints/${endpointId}/deliveries`)).expect(200)).body.items).toHaveLength(1);
    const events = await pool.query("SELECT event_type FROM es_events WHERE tenant_id = $1 AND event_type LIKE 'WebhookDelivery%'", [tenant]);
    expect(events.rows.map((r) => r.event_type)).toEqual(['WebhookDeliverySucceeded']);
    expect(await metricsRegistry.getSingleMetricAsString('pm_webhook_attempts_total')).toMatch(/pm_webhook_attempts_total\{outcome="success"[^}]*\} [1-9]/);
  }, 120_000);

  it('retries with exponential backoff on the scheduler’s clock, and records every attempt', async () => {
    const { endpointId } = await register('/flaky');
    let calls = 0;
    receiver.answer('/flaky', () => ({ status: ++calls <= 2 ? 503 : 200, body: calls <= 2 ? 'Service Unavailable' : 'ok' }));
    const eventId = await publish(newSubject(), 1);
    const deliveryId = webhookDeliveryIdOf(endpointId, eventId);
    await until(() => receiver.at('/flaky').length === 1, 'the first attempt');
    await until(async () => (await deliveryRows(endpointId))[0]?.attempts === 1, 'the first attempt recorded');
    await pump();
    expect(receiver.at('/flaky')).toHaveLength(1); // not before the backoff
    clock.advance(6_000); // 5 s ± 10 %
    await until(() => receiver.at('/flaky').length === 2, 'the second attempt');
    await until(async () => (await deliveryRows(endpointId))[0]?.attempts === 2, 'the second attempt recorded');
    clock.advance(5_000);
    await pump();
    expect(receiver.at('/flaky')).toHaveLength(2); // 10 s now
    clock.advance(6_000);
    await until(async () => (await deliveryRows(endpointId))[0]?.status === 'succeeded', 'success on the third attempt');
    const log = (await asAdmin(api().get(`/webhook-endpoints/${endpointId}/deliveries/${deliveryId}`)).expect(200)).body.log;
    expect(log.map((a: { status: number }) => a.status)).toEqual([503, 503, 200]);
    expect(log[0].responseBody).toBe('Service Unavailable');
    const types = await pool.query("SELECT event_type FROM es_events WHERE stream_id LIKE $1 ORDER BY stream_version", [`webhook-delivery:%${deliveryId}`]);
    expect(types.rows.map((r) => r.event_type)).toEqual(['WebhookDeliveryAttempted', 'WebhookDeliveryAttempted', 'WebhookDeliverySucceeded']);
  }, 120_000);

  it('keeps a subject’s order on an ordered endpoint while other subjects go on', async () => {
    const { endpointId } = await register('/ordered', { orderedBySubject: true });
    const a = newSubject();
    const b = newSubject();
    let failFirst = true;
    receiver.answer('/ordered', (r) => {
      if (failFirst && (JSON.parse(r.body) as { subject: string }).subject === a) {
        failFirst = false;
        return { status: 500 };
      }
      return { status: 204 };
    });
    const a1 = await publish(a, 1);
    const a2 = await publish(a, 2);
    const b1 = await publish(b, 1);
    const ids = (r: { body: string }) => (JSON.parse(r.body) as { id: string }).id;
    await until(() => receiver.at('/ordered').map(ids).includes(b1), 'the other subject delivered while the first waits');
    await until(async () => (await deliveryRows(endpointId)).find((d) => d.event_id === a1)?.attempts === 1, 'the failed first attempt recorded');
    expect(receiver.at('/ordered').map(ids).sort()).toEqual([a1, b1].sort());
    const statuses = new Map((await deliveryRows(endpointId)).map((d) => [d.event_id, d.status]));
    expect([statuses.get(a1), statuses.get(a2), statuses.get(b1)]).toEqual(['pending', 'waiting', 'succeeded']);
    clock.advance(6_000);
    await until(() => receiver.at('/ordered').map(ids).includes(a2), 'the later event of the subject after the earlier succeeded');
    expect(receiver.at('/ordered').map(ids).filter((id) => id !== b1)).toEqual([a1, a1, a2]);
  }, 120_000);

  it('does not let a slow endpoint hold up another', async () => {
    await register('/slow');
    await register('/quick');
    receiver.answer('/slow', () => ({ status: 204, delayMs: 3_000 }));
    const published = Date.now();
    await publish(newSubject(), 1);
    await waitFor(async () => {
      await scheduler.runDue();
      return receiver.at('/quick').length > 0;
    }, { timeoutMs: 60_000, what: 'the quick endpoint' });
    const quick = receiver.at('/quick')[0].at;
    const slow = receiver.at('/slow')[0]?.at ?? Infinity;
    expect(quick - published).toBeLessThan(60_000);
    expect(Math.abs(quick - Math.min(slow, quick))).toBeLessThan(2_500);
    await worker.settled();
  }, 120_000);

  it('signs with both secrets during a rotation’s overlap, with the new one only afterwards', async () => {
    const { endpointId, secret: first } = await register('/rotating');
    const rotated = (await asAdmin(api().post(`/webhook-endpoints/${endpointId}/rotate-secret`)).send({ overlapMinutes: 5 }).expect(200)).body;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first);
    receiver.trust('/rotating', rotated.secret);
    await publish(newSubject(), 1);
    const [during] = await until(() => receiver.at('/rotating').length > 0 && receiver.at('/rotating'), 'a delivery in the overlap');
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect([receiver.verifies(during, first), receiver.verifies(during, rotated.secret)]).toEqual([true, true]);
    clock.advance(6 * 60_000);
    await publish(newSubject(), 1);
    const after = await until(() => receiver.at('/rotating')[1], 'a delivery after the overlap');
    expect([receiver.verifies(after, first), receiver.verifies(after, rotated.secret)]).toEqual([false, true]);
    const stored = await pool.query('SELECT ciphertext FROM notification_webhook_secrets WHERE tenant_id = $1 AND endpoint_id = $2', [tenant, endpointId]);
    expect(stored.rows).toHaveLength(2);
    for (const { ciphertext } of stored.rows) expect(ciphertext).not.toContain(rotated.secret.slice(6, 20));
    expect((await asAdmin(api().get(`/webhook-endpoints/${endpointId}`)).expect(200)).body).not.toHaveProperty('secret');
  }, 120_000);

  it('redelivers by hand under the same webhook-id, and never twice for a redelivered Kafka message', async () => {
    const { endpointId } = await register('/redeliver');
    const subject = newSubject();
    const eventId = await publish(subject, 1);
    const deliveryId = webhookDeliveryIdOf(endpointId, eventId);
    await until(async () => (await deliveryRows(endpointId))[0]?.status === 'succeeded', 'the delivery');
    // The same message again, as after a consumer crash before its offset commit.
    await publishPlanningEvent(kafka, tenant, subject, 1, eventId);
    const marker = await publish(newSubject(), 1);
    await until(async () => (await deliveryRows(endpointId)).some((d) => d.event_id === marker && d.status === 'succeeded'), 'a later event, so the copy was consumed');
    expect(receiver.at('/redeliver').filter((r) => r.headers['webhook-id'] === deliveryId)).toHaveLength(1);

    await asAdmin(api().post(`/webhook-endpoints/${endpointId}/deliveries/${deliveryId}/redeliver`)).expect(202);
    await until(() => receiver.at('/redeliver').filter((r) => r.headers['webhook-id'] === deliveryId).length === 2, 'the redelivery');
    const row = await until(async () => (await deliveryRows(endpointId)).find((d) => d.event_id === eventId && d.attempts === 2), 'the second attempt logged');
    expect(row.status).toBe('succeeded');
  }, 120_000);

  it('sends once more, never lost, when a replica dies mid-request, and a replay of the event adds no delivery', async () => {
    const { endpointId } = await register('/crash');
    const eventId = await publish(newSubject(), 1);
    const deliveryId = webhookDeliveryIdOf(endpointId, eventId);
    await until(async () => (await deliveryRows(endpointId))[0]?.status === 'succeeded', 'the delivery');
    // The same event fanned out again (a replay under another group, a restart before the inbox row): the derived id exists.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { payload } = (await client.query('SELECT payload FROM notification_webhook_deliveries WHERE tenant_id = $1 AND delivery_id = $2', [tenant, deliveryId])).rows[0];
      expect(await fanOutToEndpoints(client, JSON.parse(payload), payload, clock.now(), worker)).toBe(0);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    // Another replica fired the item, took the lease and died before recording: its item stands at the lease's end.
    await pool.query(`UPDATE notification_webhook_deliveries SET status = 'pending', lease_token = $3 WHERE tenant_id = $1 AND delivery_id = $2`, [tenant, deliveryId, randomUUID()]);
    await scheduler.schedule({ tenantId: tenant, kind: WEBHOOK_ATTEMPT, key: deliveryId, dueAt: new Date(clock.now().getTime() + 60_000), payload: { deliveryId } });
    await pump();
    expect(receiver.at('/crash')).toHaveLength(1);
    clock.advance(61_000);
    await until(async () => (await deliveryRows(endpointId))[0]?.attempts === 2, 'the attempt after the lease ended');
    expect(receiver.at('/crash').map((r) => r.headers['webhook-id'])).toEqual([deliveryId, deliveryId]);
    expect((await deliveryRows(endpointId))[0].status).toBe('succeeded');
  }, 120_000);

  it('disables an endpoint after 20 failures in a row, tells the pmo-admin, keeps the queue and sends it after enabling', async () => {
    const { endpointId } = await register('/dead');
    let up = false;
    receiver.answer('/dead', () => ({ status: up ? 204 : 500, body: 'down' }));
    const events: string[] = [];
    for (let i = 0; i < 20; i++) events.push(await publish(newSubject(), 1));
    const endpoint = await until(async () => {
      clock.advance(1_100); // four requests at a time per endpoint: the rest move a (manual) second on
      const body = (await asAdmin(api().get(`/webhook-endpoints/${endpointId}`)).expect(200)).body;
      return body.status === 'disabled' && body;
    }, 'the endpoint disabled');
    expect(endpoint.consecutiveFailures).toBeGreaterThanOrEqual(20);
    const disabled = await pool.query("SELECT data FROM es_events WHERE tenant_id = $1 AND event_type = 'WebhookEndpointDisabled'", [tenant]);
    expect(disabled.rows.map((r) => r.data)).toEqual([expect.objectContaining({ endpointId, reason: 'consecutive-failures' })]);
    const inbox = (await asAdmin(api().get('/inbox')).expect(200)).body.items as Array<{ eventType: string; subject: { kind: string; id: string } }>;
    expect(inbox).toEqual([expect.objectContaining({ eventType: 'pm.notification.WebhookEndpointDisabled', subject: expect.objectContaining({ kind: 'webhook-endpoint', id: endpointId }) })]);

    const sentWhileDisabled = receiver.at('/dead').length;
    clock.advance(60 * 60_000);
    await pump();
    await pump();
    expect(receiver.at('/dead')).toHaveLength(sentWhileDisabled);
    expect((await deliveryRows(endpointId)).every((d) => d.status === 'paused' || d.status === 'pending')).toBe(true);

    up = true;
    await asAdmin(api().post(`/webhook-endpoints/${endpointId}/enable`)).expect(200);
    // Four requests at a time per endpoint: the rest move a second on (the manual clock's second).
    await until(async () => {
      clock.advance(1_100);
      return (await deliveryRows(endpointId)).every((d) => d.status === 'succeeded');
    }, 'the kept queue delivered after enabling');
    const first = (await asAdmin(api().get(`/webhook-endpoints/${endpointId}/deliveries?limit=15`)).expect(200)).body;
    const rest = (await asAdmin(api().get(`/webhook-endpoints/${endpointId}/deliveries?limit=15&after=${first.page.next}`)).expect(200)).body;
    expect([first.items.length, rest.items.length, rest.page.next]).toEqual([15, 5, null]);
    expect(new Set([...first.items, ...rest.items].map((d: { eventId: string }) => d.eventId))).toEqual(new Set(events));
    const delivered = new Set(receiver.at('/dead').filter((r) => r.headers['webhook-signature']).map((r) => (JSON.parse(r.body) as { id: string }).id));
    expect(events.every((id) => delivered.has(id))).toBe(true);
  }, 180_000);

  describe('the SSRF guard', () => {
    it('refuses private, loopback, link-local and IPv4-mapped addresses unless the pmo-admin allowed them', async () => {
      for (const url of ['http://127.0.0.1:9/x', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:10.0.0.1]/x', 'http://[::1]/x', 'http://10.1.2.3/x']) {
        const res = await asAdmin(api().post('/webhook-endpoints')).send({ url, eventTypes: ['pm.planning.*'] }).expect(422);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('WEBHOOK_ADDRESS_REFUSED');
      }
      await asAdmin(api().post('/webhook-endpoints')).send({ url: 'http://127.0.0.1:9/x', eventTypes: ['pm.planning.*'], privateAddressesAllowed: true }).expect(201);
    });

    it('refuses at connection time a host name that resolves to loopback or the metadata address', async () => {
      const port = new URL(receiver.url).port;
      const viaLocalhost = (await asAdmin(api().post('/webhook-endpoints')).send({ url: `http://localhost:${port}/ssrf`, eventTypes: ['pm.planning.*'] }).expect(201)).body.endpoint.endpointId;
      const viaMetadata = (await asAdmin(api().post('/webhook-endpoints')).send({ url: `http://metadata.test:${port}/ssrf`, eventTypes: ['pm.planning.*'] }).expect(201)).body.endpoint.endpointId;
      const viaMapped = (await asAdmin(api().post('/webhook-endpoints')).send({ url: `http://mapped.test:${port}/ssrf`, eventTypes: ['pm.planning.*'] }).expect(201)).body.endpoint.endpointId;
      const eventId = await publish(newSubject(), 1);
      for (const [endpointId, category] of [[viaLocalhost, 'loopback'], [viaMetadata, 'link-local'], [viaMapped, 'loopback']]) {
        const deliveryId = webhookDeliveryIdOf(endpointId, eventId);
        const log = await until(async () => {
          const res = await asAdmin(api().get(`/webhook-endpoints/${endpointId}/deliveries/${deliveryId}`));
          return res.status === 200 && res.body.log.length > 0 && res.body.log;
        }, 'the refused attempt');
        expect(log[0]).toMatchObject({ status: null, error: `address refused by the SSRF guard: ${category}` });
      }
      expect(receiver.at('/ssrf')).toHaveLength(0);
    }, 120_000);

    it('does not follow redirects: a 3xx is a failed attempt, its body cut and made storable', async () => {
      const { endpointId } = await register('/moved');
      receiver.answer('/moved', () => ({ status: 302, body: `moved\u0000${'x'.repeat(1017)}\ud83d\ude00` }));
      const eventId = await publish(newSubject(), 1);
      const deliveryId = webhookDeliveryIdOf(endpointId, eventId);
      const log = await until(async () => {
        const res = await asAdmin(api().get(`/webhook-endpoints/${endpointId}/deliveries/${deliveryId}`));
        return res.status === 200 && res.body.log.length > 0 && res.body;
      }, 'the redirected attempt');
      // A receiver's NUL and the half of a pair the 1,024-character cut leaves are stored as U+FFFD.
      expect(log).toMatchObject({ status: 'pending', attempts: 1, log: [{ status: 302, responseBody: `moved\ufffd${'x'.repeat(1017)}\ufffd` }] });
      expect(receiver.at('/moved')).toHaveLength(1);
    }, 120_000);

    it('connects to the address it checked: a host name is resolved once per attempt and never again by the socket', async () => {
      const port = new URL(receiver.url).port;
      const res = await asAdmin(api().post('/webhook-endpoints')).send({ url: `http://rebind.test:${port}/pinned`, eventTypes: ['pm.planning.*'], privateAddressesAllowed: true }).expect(201);
      receiver.trust('/pinned', res.body.secret);
      resolved = [];
      await publish(newSubject(), 1);
      const [got] = await until(() => receiver.at('/pinned').length > 0 && receiver.at('/pinned'), 'the pinned delivery');
      // rebind.test exists only in the test's resolver: the system resolver was never asked, the socket used the checked address.
      expect(resolved.filter((h) => h === 'rebind.test')).toHaveLength(1);
      expect(got.headers.host).toBe(`rebind.test:${port}`);
      expect(receiver.verifies(got)).toBe(true);
    }, 120_000);
  });

  describe('hostile input', () => {
    it('answers problem+json 4xx for odd ids, NUL, lone surrogates, huge bodies, other roles and other tenants', async () => {
      const problem = (res: request.Response) => {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      };
      for (const id of ['constructor', '__proto__', 'toString', '%00', '..%2F..']) {
        problem(await asAdmin(api().get(`/webhook-endpoints/${id}`)));
        problem(await asAdmin(api().put(`/webhook-endpoints/${id}`)).send({ url: 'https://e.example/x', eventTypes: ['pm.risk.*'] }));
        problem(await asAdmin(api().delete(`/webhook-endpoints/${id}`)));
        problem(await asAdmin(api().post(`/webhook-endpoints/${id}/rotate-secret`)).send({}));
        problem(await asAdmin(api().get(`/webhook-endpoints/${randomUUID()}/deliveries/${id}`)));
        problem(await asAdmin(api().post(`/webhook-endpoints/${randomUUID()}/deliveries/${id}/redeliver`)));
        problem(await asAdmin(api().get(`/webhook-endpoints/${id}/deliveries`)));
        problem(await asAdmin(api().post(`/webhook-endpoints/${id}/enable`)));
        problem(await asAdmin(api().post(`/webhook-endpoints/${id}/disable`)));
      }
      problem(await asAdmin(api().get('/webhook-endpoints/%ED%A0%80'))); // a lone surrogate, as UTF-8 would spell it
      for (const query of ['limit=constructor', 'after=__proto__', 'status=__proto__', 'limit=100000', 'extra=1']) {
        problem(await asAdmin(api().get(`/webhook-endpoints/${randomUUID()}/deliveries?${query}`)));
      }
      problem(await asAdmin(api().post(`/webhook-endpoints/${randomUUID()}/rotate-secret`)).send({ overlapMinutes: 60 * 24 * 30 }));
      problem(await asAdmin(api().put(`/webhook-endpoints/${randomUUID()}`)).send({ url: 'https://e.example/x', eventTypes: Array.from({ length: 51 }, () => 'pm.risk.*') }));
      problem(await asAdmin(api().post('/webhook-endpoints')).send({ url: 'https://e.example/x', eventTypes: ['pm.risk.*'], description: 'a\u0000b' }));
      problem(await asAdmin(api().post('/webhook-endpoints')).send({ url: 'https://e.example/x', eventTypes: ['pm.risk.*'], description: 'a\ud800b' }));
      problem(await asAdmin(api().post('/webhook-endpoints')).send({ url: 'https://e.example/x', eventTypes: ['pm.risk.*'], description: 'x'.repeat(3_000_000) }));
      problem(await asAdmin(api().post('/webhook-endpoints')).send({ url: 'https://e.example/x', eventTypes: ['constructor'] }));
      problem(await asAdmin(api().post('/webhook-endpoints')).send({ url: 'https://user:pw@e.example/x', eventTypes: ['pm.risk.*'] }));
      problem(await asAdmin(api().post('/webhook-endpoints')).send({ url: 'file:///etc/passwd', eventTypes: ['pm.risk.*'] }));
      problem(await asAdmin(api().post('/webhook-endpoints')).send({ __proto__: { admin: true }, url: 'https://e.example/x', eventTypes: ['pm.risk.*'], extra: 1 }));
      const { endpointId } = await register('/private-of-tenant');
      problem(await asAdmin(api().get(`/webhook-endpoints/${randomUUID()}`)));
      const pm = await signDevToken({ tenant, sub: `pm-${hex()}`, roles: ['project-manager'] });
      problem(await api().get('/webhook-endpoints').set('authorization', `Bearer ${pm}`));
      const otherAdmin = await signDevToken({ tenant: `${tenant}-other`, sub: adminSub, roles: ['pmo-admin'] });
      const other = await api().get(`/webhook-endpoints/${endpointId}`).set('authorization', `Bearer ${otherAdmin}`);
      expect(other.status).toBe(404);
      expect((await api().get('/webhook-endpoints').set('authorization', `Bearer ${otherAdmin}`).expect(200)).body.items).toEqual([]);
      await asAdmin(api().delete(`/webhook-endpoints/${endpointId}`)).expect(204);
      expect((await asAdmin(api().get(`/webhook-endpoints/${endpointId}`))).status).toBe(404);
    }, 120_000);
  });
});
