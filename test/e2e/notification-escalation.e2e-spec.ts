import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { NotificationDirectory } from '@pm/notification/data-access';
import type { IncomingEvent } from '@pm/notification/domain';
import { ESCALATION_CHECK, NotificationWriter } from '@pm/notification/feature';
import { signDevToken } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { ManualClock, systemContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * Escalation of critical notifications (ADR 0404) on the service's durable scheduler with an injected clock, against
 * the real PostgreSQL: the tenant's time (pmo-admin) and the project's chain (pmo-admin or the project's manager); a
 * critical risk tells the manager and arms a check; nobody reading it in time tells the chain's people one by one, then
 * records the chain's end; reading it (the acknowledgement) cancels the check. Hostile input is a 4xx problem.
 */
describe('Notification service: escalation of unacknowledged critical notifications', () => {
  let db: TestDatabase;
  let service: RunningService;
  let pool: Pool;
  let scheduler: DurableScheduler;
  const clock = new ManualClock('2027-03-01T09:00:00.000Z');
  const hex = () => randomBytes(4).toString('hex');
  const tenant = `tenant-escalate-${hex()}`;
  const projectId = randomUUID();
  const people = { pm: `pm-${hex()}`, deputy: `deputy-${hex()}`, head: `head-${hex()}` };
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({
    get: (path: string) => request(service.url).get(path).set('authorization', `Bearer ${tokens[who]}`),
    put: (path: string, body: unknown) => request(service.url).put(path).set('authorization', `Bearer ${tokens[who]}`).send(body as object),
    post: (path: string, body: unknown = {}) => request(service.url).post(path).set('authorization', `Bearer ${tokens[who]}`).send(body as object),
  });
  const minutes = (n: number) => new Date(Date.parse('2027-03-01T09:00:00.000Z') + n * 60_000).toISOString();
  const countOf = async (type: string) => Number((await pool.query('SELECT count(*) AS n FROM es_events WHERE event_type = $1 AND tenant_id = $2', [type, tenant])).rows[0].n);
  const inbox = async (who: string) => (await as(who).get('/inbox').expect(200)).body.items as Array<{ notificationId: string; subject: { id: string }; reason: { kind: string; step?: number } }>;

  async function criticalRisk(riskId: string): Promise<string> {
    const eventId = randomUUID();
    const event: IncomingEvent = {
      eventId,
      type: 'pm.risk.RiskAssessed',
      severity: 'critical',
      projectId,
      subject: { kind: 'risk', id: riskId, projectId },
      title: `Risk ${riskId} rated critical`,
      occurredAt: clock.now().toISOString(),
      actor: 'user:assessor',
    };
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await service.app.get(NotificationWriter).notify(client, systemContext('notification-service', tenant, undefined, clock), event);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    return eventId;
  }

  beforeAll(async () => {
    db = await createTestDatabase('notify_escalation');
    service = await startService('notification-service', NotificationApp.register({ pgUrl: db.url, clock, schedulerPollMs: 3_600_000, consumerGroupId: `notification-escalation-${hex()}` }));
    scheduler = service.app.get(DurableScheduler);
    pool = createPgPool(db.url, { max: 2 });
    tokens.admin = await signDevToken({ tenant, sub: `admin-${hex()}`, roles: ['pmo-admin'] });
    tokens.pm = await signDevToken({ tenant, sub: people.pm, roles: ['project-manager'] });
    tokens.otherPm = await signDevToken({ tenant, sub: `other-pm-${hex()}`, roles: ['project-manager'] });
    tokens.deputy = await signDevToken({ tenant, sub: people.deputy, roles: ['team-member'] });
    tokens.head = await signDevToken({ tenant, sub: people.head, roles: ['team-member'] });
    tokens.viewer = await signDevToken({ tenant, sub: `viewer-${hex()}`, roles: ['viewer'] });
    tokens.otherTenant = await signDevToken({ tenant: `${tenant}-other`, sub: people.pm, roles: ['project-manager'] });
    // Planning's ProjectCreated names the manager; the consumer writes this row.
    await new NotificationDirectory().assign(pool, tenant, people.pm, 'project-manager', projectId, 'pm.planning.ProjectCreated');
    // A pmo-admin is known to the directory once they have called the service with their token.
    await as('admin').put('/me/preferences', { timeZone: 'UTC' }).expect(200);
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await service?.close();
    await db?.drop();
  });

  it('lets a pmo-admin set the tenant’s acknowledgement time, nobody else', async () => {
    expect((await as('admin').get('/notification-settings/escalation').expect(200)).body).toMatchObject({ ackWithinMinutes: 60 });
    await as('pm').put('/notification-settings/escalation', { ackWithinMinutes: 30 }).expect(403);
    await as('admin').put('/notification-settings/escalation', { ackWithinMinutes: 4 }).expect(400);
    expect((await as('admin').put('/notification-settings/escalation', { ackWithinMinutes: 30 }).expect(200)).body).toMatchObject({ ackWithinMinutes: 30, version: 1 });
    expect((await as('admin').put('/notification-settings/escalation', { ackWithinMinutes: 30 }).expect(200)).body.events).toEqual([]);
  });

  it('lets the project’s manager or a pmo-admin define the chain, nobody else', async () => {
    const path = `/projects/${projectId}/escalation-chain`;
    expect((await as('pm').get(path).expect(200)).body).toEqual({ version: 0, projectId, chain: [] });
    await as('otherPm').put(path, { chain: [people.deputy] }).expect(403);
    await as('deputy').put(path, { chain: [people.deputy] }).expect(403);
    await as('viewer').get(path).expect(403);
    await as('otherTenant').put(path, { chain: [people.deputy] }).expect(403);
    await as('admin').put(path, { chain: [people.head] }).expect(200);
    const defined = await as('pm').put(path, { chain: [people.deputy, people.head] }).expect(200);
    expect(defined.body).toMatchObject({ version: 2, projectId, chain: [people.deputy, people.head] });
    expect((await as('admin').get(path).expect(200)).body.chain).toEqual([people.deputy, people.head]);
    await as('pm').put(path, { chain: [people.deputy, people.deputy] }).expect(422);
  });

  it('tells the chain one by one while nobody acknowledges, then records its end', async () => {
    const eventId = await criticalRisk('risk-1');
    expect((await inbox('pm')).map((n) => n.subject.id)).toEqual(['risk-1']);
    expect((await scheduler.get(tenant, ESCALATION_CHECK, eventId))?.dueAt.toISOString()).toBe(minutes(30));
    clock.set(minutes(29));
    await scheduler.runDue();
    expect(await inbox('deputy')).toEqual([]);
    clock.set(minutes(30));
    await Promise.all([scheduler.runDue(), scheduler.runDue()]);
    // Whoever fires a due check (this runDue, or the service's own scheduler loop, which other timers wake and which
    // reads the same clock) commits the row; a runDue that found the check claimed by the loop returns before that.
    const told = async (who: string) => waitFor(async () => ((await inbox(who)).length > 0 ? inbox(who) : undefined), { what: `${who}'s escalation` });
    expect((await told('deputy')).map((n) => [n.subject.id, n.reason])).toEqual([['risk-1', { kind: 'escalation', step: 1 }]]);
    expect(await inbox('head')).toEqual([]);
    expect((await scheduler.get(tenant, ESCALATION_CHECK, eventId))?.dueAt.toISOString()).toBe(minutes(60));
    clock.set(minutes(60));
    await scheduler.runDue();
    expect((await told('head')).map((n) => n.reason)).toEqual([{ kind: 'escalation', step: 2 }]);
    clock.set(minutes(90));
    await scheduler.runDue();
    await scheduler.runDue();
    await waitFor(async () => (await countOf('EscalationExhausted')) === 1 && (await scheduler.get(tenant, ESCALATION_CHECK, eventId)) === undefined, { what: 'the chain’s end' });
    expect(await countOf('NotificationEscalated')).toBe(2);
    expect(await countOf('EscalationExhausted')).toBe(1);
    expect(await scheduler.get(tenant, ESCALATION_CHECK, eventId)).toBeUndefined();
    // The chain's end is a portfolio alert for pmo-admins.
    expect((await inbox('admin')).map((n) => [n.subject.id, n.reason])).toEqual([['risk-1', { kind: 'subscription', subscriptionId: 'default:pmo-admin:portfolio-alerts' }]]);
  });

  it('stops when someone told reads it in the inbox: the acknowledgement cancels the check', async () => {
    clock.set(minutes(100));
    const eventId = await criticalRisk('risk-2');
    const [told] = (await inbox('pm')).filter((n) => n.subject.id === 'risk-2');
    await as('deputy').post(`/inbox/${told.notificationId}/read`).expect(404);
    await as('pm').post(`/inbox/${told.notificationId}/read`).expect(200);
    expect(await countOf('NotificationAcknowledged')).toBe(1);
    expect(await scheduler.get(tenant, ESCALATION_CHECK, eventId)).toBeUndefined();
    clock.set(minutes(200));
    await scheduler.runDue();
    expect((await inbox('deputy')).filter((n) => n.subject.id === 'risk-2')).toEqual([]);
    expect(await countOf('NotificationEscalated')).toBe(2);
  });

  it('stops when the person escalated to reads their own notification of it', async () => {
    clock.set(minutes(300));
    const eventId = await criticalRisk('risk-3');
    clock.set(minutes(330));
    await scheduler.runDue();
    const [step] = (await inbox('deputy')).filter((n) => n.subject.id === 'risk-3');
    expect(step.reason).toEqual({ kind: 'escalation', step: 1 });
    await as('deputy').post(`/inbox/${step.notificationId}/read`).expect(200);
    expect(await countOf('NotificationAcknowledged')).toBe(2);
    expect(await scheduler.get(tenant, ESCALATION_CHECK, eventId)).toBeUndefined();
    clock.set(minutes(400));
    await scheduler.runDue();
    expect((await inbox('head')).filter((n) => n.subject.id === 'risk-3')).toEqual([]);
  });

  it('answers hostile input with a 4xx problem', async () => {
    const hostileIds = ['constructor', '__proto__', 'a%00b'];
    for (const id of hostileIds) {
      const res = await as('admin').put(`/projects/${id}/escalation-chain`, { chain: ['x'] });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const path = `/projects/${projectId}/escalation-chain`;
    const bodies: unknown[] = [
      { chain: ['a\u0000b'] },
      { chain: ['\ud800'] },
      { chain: [] },
      { chain: Array.from({ length: 11 }, (_, i) => `p${i}`) },
      { chain: ['x'], extra: 1 },
      { chain: 'x' },
      JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`),
    ];
    for (const body of bodies) {
      const res = await as('admin').put(path, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    for (const body of [{ ackWithinMinutes: '30' }, { ackWithinMinutes: 30.5 }, { ackWithinMinutes: 30, constructor: 1 }, JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`)]) {
      const res = await as('admin').put('/notification-settings/escalation', body);
      expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringMatching(/application\/problem\+json/)]);
    }
    const huge = await as('admin').put(path, { chain: ['x'.repeat(2_000_000)] });
    expect([400, 413]).toContain(huge.status);
    // Ids that are Object.prototype's names are data.
    await as('admin').put(path, { chain: ['constructor', '__proto__'] }).expect(200);
    expect((await as('admin').get(path).expect(200)).body.chain).toEqual(['constructor', '__proto__']);
  });
});
