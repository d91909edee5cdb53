// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import type { Kafka } from 'kafkajs';
import { TOPICS } from '@pm/contracts';
import { signDevToken } from '@pm/platform/auth';
import { PgEventStore, createPgPool } from '@pm/platform/event-store';
import { KAFKA, storedEventToKafkaMessage } from '@pm/platform/messaging';
import { riskStreamId } from '@pm/risk/domain';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService, ownConsumerGroups } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

interface SseEvent {
  id: number;
  data: { notificationId: string; seq: number; eventType: string; severity: string; subject: { kind: string; id: string } };
}

/** Reads an SSE stream until `count` events arrived (or `ms` passed), then closes it. */
function readStream(url: string, headers: Record<string, string>, count: number, ms: number): Promise<{ status: number; events: SseEvent[]; ended?: boolean }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = http.get(`${url}/inbox/stream`, { headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ status: res.statusCode ?? 0, events });
        return;
      }
      let buffer = '';
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: 200, events });
      };
      const timer = setTimeout(done, ms);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: 200, events, ended: true });
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id !== undefined && data !== undefined) events.push({ id: Number(id), data: JSON.parse(data) as SseEvent['data'] });
        }
        if (events.length >= count) done();
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
  });
}

async function eventually<T>(probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * From a risk rated critical in the risk service, over the real broker, to the project manager's inbox (ADR 0401): the
 * manager is known from planning's ProjectCreated; the live stream pushes it, a reconnect with Last-Event-ID gets
 * only what it missed, marking read moves the unread count, and nobody else sees any of it.
 */
describe('Notification service: a critical risk reaches the project manager’s inbox and stream', () => {
  const dbs: TestDatabase[] = [];
  let planning: RunningService;
  let risk: RunningService;
  let notify: RunningService;
  let pool: Pool;
  const hex = () => randomBytes(4).toString('hex');
  const tenant = `tenant-notify-${hex()}`;
  const pmSub = `pm-${hex()}`;
  let pm: string;
  let admin: string;
  let stranger: string;
  let otherTenantPm: string;
  let projectId: string;
  const asPm = (path: string) => request(notify.url).get(path).set('authorization', `Bearer ${pm}`);

  async function criticalRisk(title: string): Promise<string> {
    const risks = `/projects/${projectId}/risks`;
    const riskId = (await request(risk.url).post(risks).set('authorization', `Bearer ${admin}`).send({ kind: 'threat', title, cause: 'c', event: 'e', effect: 'f', categoryId: 'suppliers' }).expect(201)).body.riskId as string;
    await request(risk.url).post(`${risks}/${riskId}/assessments`).set('authorization', `Bearer ${admin}`).send({ inherent: { schedule: { probability: 5, impact: 5 } } }).expect(200);
    return riskId;
  }

  const inboxItem = (subjectId: string) =>
    eventually(async () => {
      const items = (await asPm('/inbox').expect(200)).body.items as Array<{ notificationId: string; subject: { id: string }; seq: number }>;
      return items.find((i) => i.subject.id === subjectId);
    });

  beforeAll(async () => {
    topics = await ownTopics();
    for (const name of ['e2e_notify_planning', 'e2e_notify_risk', 'e2e_notify']) dbs.push(await createTestDatabase(name));
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: dbs[0].url, consumerGroupId: `planning-notify-${hex()}` }));
    risk = await startService('risk-service', RiskApp.register({ pgUrl: dbs[1].url, ...ownConsumerGroups('risk') }));
    notify = await startService('notification-service', NotificationApp.register({ pgUrl: dbs[2].url, consumerGroupId: `notification-e2e-${hex()}`, streamPollMs: 200 }));
    pool = createPgPool(dbs[2].url, { max: 2 });
    pm = await signDevToken({ tenant, sub: pmSub, roles: ['project-manager'] });
    admin = await signDevToken({ tenant, sub: `admin-${hex()}`, roles: ['pmo-admin'] });
    stranger = await signDevToken({ tenant, sub: `tm-${hex()}`, roles: ['team-member'] });
    otherTenantPm = await signDevToken({ tenant: `${tenant}-other`, sub: pmSub, roles: ['project-manager'] });
    projectId = (await request(planning.url).post('/projects').set('authorization', `Bearer ${admin}`).send({ name: 'Notified', startDate: '2026-09-01', managerId: pmSub }).expect(201)).body.projectId;
    await request(risk.url).post('/risk-settings/categories').set('authorization', `Bearer ${admin}`).send({ categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
    // The manager is in the directory once planning's ProjectCreated has been consumed.
    await eventually(async () => ((await pool.query('SELECT 1 FROM notification_directory WHERE tenant_id = $1 AND user_id = $2', [tenant, pmSub])).rowCount ? true : undefined));
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    for (const service of [notify, risk, planning]) await service?.close();
    for (const db of dbs) await db.drop();
    await topics?.remove();
  });

  let first: { notificationId: string; seq: number };
  let firstRisk: string;

  it('puts a risk rated critical into the project manager’s inbox, once, and pushes it on the stream', async () => {
    const stream = readStream(notify.url, { authorization: `Bearer ${pm}` }, 1, 90_000);
    firstRisk = await criticalRisk('Vendor bankrupt');
    first = await inboxItem(firstRisk);
    expect(first).toMatchObject({ eventType: 'pm.risk.RiskAssessed', severity: 'critical', subject: { kind: 'risk', id: firstRisk, projectId }, read: false });
    expect((await asPm('/inbox/unread-count').expect(200)).body).toEqual({ unread: 1 });
    const { status, events } = await stream;
    expect(status).toBe(200);
    expect(events.map((e) => e.data.notificationId)).toEqual([first.notificationId]);
    const created = await pool.query("SELECT count(*)::int AS n FROM es_events WHERE event_type = 'NotificationCreated' AND tenant_id = $1", [tenant]);
    expect(created.rows[0].n).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('makes no second notification when the same event arrives again, even past a lost inbox row (derived ids)', async () => {
    const countCreated = async () =>
      (await pool.query("SELECT count(*)::int AS n FROM es_events WHERE event_type = 'NotificationCreated' AND tenant_id = $1", [tenant])).rows[0].n as number;
    const before = await countCreated();
    const assessed = (await risk.app.get(PgEventStore).readStream(riskStreamId(tenant, firstRisk), { tenantId: tenant })).find((e) => e.type === 'RiskAssessed')!;
    // As a replay or another group would: the consumer's inbox no longer knows it handled the event.
    await pool.query('DELETE FROM inbox WHERE event_id = $1', [assessed.eventId]);
    const producer = risk.app.get<Kafka>(KAFKA).producer();
    await producer.connect();
    try {
      await producer.send({ topic: TOPICS.risk, messages: [storedEventToKafkaMessage('risk', assessed)] });
    } finally {
      await producer.disconnect();
    }
    await eventually(async () => ((await pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [assessed.eventId])).rowCount ? true : undefined));
    expect(await countCreated()).toBe(before);
    expect((await asPm('/inbox').expect(200)).body.items).toHaveLength(1);
    expect((await asPm('/inbox/unread-count').expect(200)).body).toEqual({ unread: 1 });
  }, 120_000);

  it('resumes a stream opened with a single-use ticket cookie after Last-Event-ID, with only what it missed', async () => {
    const secondRisk = await criticalRisk('Data centre flooded');
    const second = await inboxItem(secondRisk);
    const ticket = (await request(notify.url).post('/inbox/stream-tickets').set('authorization', `Bearer ${pm}`).expect(201)).body.ticket as string;
    const resumed = await readStream(notify.url, { cookie: `pm_inbox_ticket=${ticket}`, 'last-event-id': String(first.seq) }, 1, 10_000);
    expect(resumed.status).toBe(200);
    expect(resumed.events.map((e) => e.data.notificationId)).toEqual([second.notificationId]);
    // Used once, gone; and never accepted in the URL.
    expect((await readStream(notify.url, { cookie: `pm_inbox_ticket=${ticket}` }, 1, 2_000)).status).toBe(401);
    await request(notify.url).get(`/inbox/stream?ticket=${ticket}`).expect(400);
  }, 120_000);

  it('counts unread down as notifications are read, and to zero on read-all', async () => {
    await request(notify.url).post(`/inbox/${first.notificationId}/read`).set('authorization', `Bearer ${pm}`).expect(200);
    expect((await asPm('/inbox/unread-count').expect(200)).body).toEqual({ unread: 1 });
    const again = await request(notify.url).post(`/inbox/${first.notificationId}/read`).set('authorization', `Bearer ${pm}`).expect(200);
    expect(again.body.events).toEqual([]);
    expect((await asPm('/inbox?unread=true').expect(200)).body.items).toHaveLength(1);
    await request(notify.url).post('/inbox/read-all').set('authorization', `Bearer ${pm}`).expect(200);
    expect((await asPm('/inbox/unread-count').expect(200)).body).toEqual({ unread: 0 });
  }, 30_000);

  it('shows another person or tenant nothing, and answers their attempts on the notification as missing', async () => {
    for (const token of [stranger, otherTenantPm]) {
      expect((await request(notify.url).get('/inbox').set('authorization', `Bearer ${token}`).expect(200)).body.items).toEqual([]);
      await request(notify.url).post(`/inbox/${first.notificationId}/archive`).set('authorization', `Bearer ${token}`).expect(404);
    }
  }, 30_000);

  it('ends a stream when the token that opened it expires, and never issues a ticket that outlives it', async () => {
    const shortLived = await signDevToken({ tenant, sub: pmSub, roles: ['project-manager'], expiresIn: Math.floor(Date.now() / 1000) + 3 });
    const started = Date.now();
    const ticket = (await request(notify.url).post('/inbox/stream-tickets').set('authorization', `Bearer ${shortLived}`).expect(201)).body;
    expect(Date.parse(ticket.expiresAt)).toBeLessThanOrEqual(started + 4_000);
    const stream = await readStream(notify.url, { authorization: `Bearer ${shortLived}`, 'last-event-id': '999' }, 1, 15_000);
    expect(stream).toMatchObject({ status: 200, events: [], ended: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it('refuses hostile ids with a 4xx problem', async () => {
    for (const id of ['constructor', '__proto__', '..%2F..', 'x'.repeat(300)]) {
      const res = await request(notify.url).post(`/inbox/${id}/read`).set('authorization', `Bearer ${pm}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    await request(notify.url).delete('/subscriptions/__proto__').set('authorization', `Bearer ${pm}`).expect((res) => expect([400, 404]).toContain(res.status));
    await request(notify.url).get('/inbox/stream').expect(401);
  }, 30_000);

  it('tells the project manager of a critical-path slip that planning calculated', async () => {
    const plan = (path: string, body: object) => request(planning.url).post(`/projects/${projectId}/schedule${path}`).set('authorization', `Bearer ${admin}`).send(body);
    await plan('', {}).expect(201);
    await plan('/tasks', { taskId: 'survey', name: 'Site survey', durationDays: 4 }).expect(201);
    await plan('/tasks', { taskId: 'cabling', name: 'Cabling', durationDays: 6 }).expect(201);
    // Cabling now waits for the survey: it is on the critical path and finishes a week later.
    await plan('/dependencies', { predecessorId: 'survey', successorId: 'cabling', lagDays: 1 }).expect(201);
    const slip = await inboxItem('cabling');
    expect(slip).toMatchObject({ eventType: 'pm.planning.TaskScheduleChanged', severity: 'high', subject: { kind: 'task', id: 'cabling', projectId } });
    expect((await asPm('/inbox').expect(200)).body.items.filter((i: { eventType: string }) => i.eventType === 'pm.planning.TaskScheduleChanged')).toHaveLength(1);
  }, 120_000);

  it('tells of each event of a burst that arrives as one consumer batch once, each notification caused by its own event (ADR 0019)', async () => {
    const assessed = (await risk.app.get(PgEventStore).readStream(riskStreamId(tenant, firstRisk), { tenantId: tenant })).find((e) => e.type === 'RiskAssessed')!;
    // Six risks assessed critical, sent in one request to the partition the consumer has read up to (the first risk's
    // key): it takes them as one batch (or a few).
    const { key } = storedEventToKafkaMessage('risk', assessed);
    const burst = Array.from({ length: 6 }, () => {
      const riskId = randomUUID();
      return { ...assessed, eventId: randomUUID(), streamId: riskStreamId(tenant, riskId), data: { ...(assessed.data as object), riskId } };
    });
    const producer = risk.app.get<Kafka>(KAFKA).producer();
    await producer.connect();
    try {
      await producer.send({ topic: TOPICS.risk, messages: burst.map((e) => ({ ...storedEventToKafkaMessage('risk', e), key })) });
      // The same burst again, with one event it has already handled: nothing new.
      await producer.send({ topic: TOPICS.risk, messages: burst.slice(0, 3).map((e) => ({ ...storedEventToKafkaMessage('risk', e), key })) });
    } finally {
      await producer.disconnect();
    }
    const riskIds = burst.map((e) => (e.data as { riskId: string }).riskId);
    const told = (items: Array<{ subject: { id: string } }>) => riskIds.every((id) => items.some((i) => i.subject.id === id));
    const items = await eventually(async () => {
      const listed = (await asPm('/inbox?limit=100').expect(200)).body.items as Array<{ subject: { id: string } }>;
      return told(listed) ? listed : undefined;
    });
    for (const e of burst) expect(items.filter((i) => i.subject.id === (e.data as { riskId: string }).riskId)).toHaveLength(1);
    // The manager's in-app notification of each risk, and its causation: the event it tells of, not another of the batch.
    const created = await pool.query<{ subject: string; cause: string }>(
      "SELECT data->'subject'->>'id' AS subject, metadata->>'causationId' AS cause FROM es_events WHERE event_type = 'NotificationCreated' AND tenant_id = $1 AND data->>'channel' = 'in-app' AND data->'subject'->>'id' = ANY($2)",
      [tenant, burst.map((e) => (e.data as { riskId: string }).riskId)],
    );
    expect(created.rows.map((r) => [r.subject, r.cause]).sort()).toEqual(burst.map((e) => [(e.data as { riskId: string }).riskId, e.eventId]).sort());
  }, 120_000);
});
