import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { ActivityFeed, NotificationDirectory } from '@pm/notification/data-access';
import { COMMUNICATION_RUN } from '@pm/notification/feature';
import { signDevToken } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { ManualClock } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * A project's stakeholder register and communication plan (ADR 0404) against the real PostgreSQL, with the scheduler's
 * clock injected: CRUD by a pmo-admin or the project's manager, reads by the project's people; a daily status summary
 * built from the activity feed goes to the planned stakeholders (on their channel) and roles at its wall-clock time,
 * once per due time, and is re-armed for the next day; cancelling removes it. Hostile input is a 4xx problem.
 */
describe('Notification service: stakeholder register and communication plan', () => {
  let db: TestDatabase;
  let service: RunningService;
  let pool: Pool;
  let scheduler: DurableScheduler;
  const clock = new ManualClock(new Date().toISOString());
  const hex = () => randomBytes(4).toString('hex');
  const tenant = `tenant-stake-${hex()}`;
  const projectId = randomUUID();
  const people = { pm: `pm-${hex()}`, dana: `dana-${hex()}`, mailer: `mailer-${hex()}`, member: `member-${hex()}` };
  const tokens: Record<string, string> = {};
  const as = (who: string) => {
    const auth = (r: request.Test) => r.set('authorization', `Bearer ${tokens[who]}`);
    return {
      get: (path: string) => auth(request(service.url).get(path)),
      post: (path: string, body: unknown) => auth(request(service.url).post(path)).send(body as object),
      put: (path: string, body: unknown) => auth(request(service.url).put(path)).send(body as object),
      delete: (path: string) => auth(request(service.url).delete(path)),
    };
  };
  const base = `/projects/${projectId}`;
  const entry = (stakeholderId: string, userId: string | null, preferredChannel = 'in-app') => ({ stakeholderId, name: `Person ${stakeholderId}`, role: 'Sponsor', interest: 'high', influence: 'medium', preferredChannel, userId });
  const daily = { audience: { stakeholders: ['cfo', 'external', 'mail'], roles: ['project-manager'] }, cadence: { every: 'day', at: '08:00', timeZone: 'UTC' } };
  const inbox = async (who: string) => (await as(who).get('/inbox').expect(200)).body.items as Array<{ title: string; subject: { kind: string; id: string }; reason: { kind: string; subscriptionId?: string } }>;
  const sentEvents = async () => (await pool.query(`SELECT data FROM es_events WHERE event_type = 'CommunicationSent' AND tenant_id = $1 ORDER BY global_position`, [tenant])).rows.map((r) => r.data);
  const itemDue = async () => (await scheduler.get(tenant, COMMUNICATION_RUN, `${projectId}:daily-status`))?.dueAt.toISOString();

  beforeAll(async () => {
    db = await createTestDatabase('notify_stakeholders');
    service = await startService('notification-service', NotificationApp.register({ pgUrl: db.url, clock, schedulerPollMs: 3_600_000, consumerGroupId: `notification-stake-${hex()}` }));
    scheduler = service.app.get(DurableScheduler);
    pool = createPgPool(db.url, { max: 2 });
    tokens.admin = await signDevToken({ tenant, sub: `admin-${hex()}`, roles: ['pmo-admin'] });
    tokens.pm = await signDevToken({ tenant, sub: people.pm, roles: ['project-manager'] });
    tokens.otherPm = await signDevToken({ tenant, sub: `other-pm-${hex()}`, roles: ['project-manager'] });
    tokens.member = await signDevToken({ tenant, sub: people.member, roles: ['team-member'] });
    tokens.viewer = await signDevToken({ tenant, sub: `viewer-${hex()}`, roles: ['viewer'] });
    tokens.dana = await signDevToken({ tenant, sub: people.dana, roles: ['viewer'] });
    tokens.otherTenant = await signDevToken({ tenant: `${tenant}-other`, sub: people.pm, roles: ['pmo-admin'] });
    await new NotificationDirectory().assign(pool, tenant, people.pm, 'project-manager', projectId, 'pm.planning.ProjectCreated');
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await service?.close();
    await db?.drop();
  });

  it('lets the project’s manager or a pmo-admin keep the register, the project’s people read it', async () => {
    await as('pm').post(`${base}/stakeholders`, entry('cfo', people.dana)).expect(201);
    await as('admin').post(`${base}/stakeholders`, entry('external', null)).expect(201);
    await as('pm').post(`${base}/stakeholders`, entry('mail', people.mailer, 'email')).expect(201);
    await as('pm').post(`${base}/stakeholders`, entry('constructor', null)).expect(201);
    await as('otherPm').post(`${base}/stakeholders`, entry('x', null)).expect(403);
    await as('member').post(`${base}/stakeholders`, entry('x', null)).expect(403);
    await as('pm').post(`${base}/stakeholders`, { ...entry('cfo', people.dana), name: 'Someone else' }).expect(409);
    const revised = await as('pm').put(`${base}/stakeholders/cfo`, { ...entry('cfo', people.dana), stakeholderId: undefined, influence: 'high' }).expect(200);
    expect(revised.body.stakeholders.find((s: { stakeholderId: string }) => s.stakeholderId === 'cfo')).toMatchObject({ influence: 'high', userId: people.dana });
    await as('pm').delete(`${base}/stakeholders/constructor`).expect(200);
    expect((await as('pm').delete(`${base}/stakeholders/constructor`).expect(200)).body.events).toEqual([]);
    const read = await as('member').get(`${base}/stakeholders`).expect(200);
    expect(read.body.stakeholders.map((s: { stakeholderId: string }) => s.stakeholderId)).toEqual(['cfo', 'external', 'mail']);
    await as('viewer').get(`${base}/stakeholders`).expect(403);
    expect((await as('otherTenant').get(`${base}/stakeholders`).expect(200)).body).toMatchObject({ version: 0, stakeholders: [] });
  });

  it('plans a daily status summary at its wall-clock time, on the durable scheduler', async () => {
    await as('pm').put(`${base}/communication-plan/daily-status`, { ...daily, audience: { stakeholders: ['nobody'], roles: [] } }).expect(404);
    await as('pm').put(`${base}/communication-plan/daily-status`, { ...daily, cadence: { ...daily.cadence, every: 'week' } }).expect(422);
    const planned = await as('pm').put(`${base}/communication-plan/daily-status`, daily).expect(200);
    expect(planned.body.communications).toEqual([expect.objectContaining({ communicationId: 'daily-status', lastRunDueAt: null })]);
    const due = await itemDue();
    expect(due).toMatch(/T08:00:00\.000Z$/);
    expect(Date.parse(due as string)).toBeGreaterThan(Date.now());
    expect((await as('pm').get(`${base}/stakeholders`).expect(200)).body.communications[0].nextRunAt).toBe(due);
  });

  it('sends each recipient the summary of the feed at the due time, once, and re-arms for the next day', async () => {
    const due = (await itemDue()) as string;
    const feed = new ActivityFeed();
    for (const [i, type] of ['pm.planning.TaskScheduleChanged', 'pm.planning.TaskScheduleChanged', 'pm.risk.RiskIdentified'].entries()) {
      const summary = type.endsWith('RiskIdentified') ? 'Risk identified' : 'Task schedule changed';
      await feed.record(pool, tenant, { eventId: randomUUID(), projectId, eventType: type, actor: `user:${people.pm}`, subject: { kind: 'task', id: `t${i}` }, summary, occurredAt: new Date(Date.parse(due) - (i + 1) * 3_600_000).toISOString() });
    }
    clock.set(new Date(Date.parse(due) - 1).toISOString());
    await scheduler.runDue();
    expect(await sentEvents()).toEqual([]);
    clock.set(due);
    await Promise.all([scheduler.runDue(), scheduler.runDue()]);
    await scheduler.runDue();
    const [sent, ...more] = await sentEvents();
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ communicationId: 'daily-status', dueAt: due, unreachable: ['external'], changes: 3 });
    expect([...sent.recipients].sort()).toEqual([people.dana, people.mailer, people.pm].sort());
    const [danas] = await inbox('dana');
    expect(danas).toMatchObject({ title: 'Project status: 3 changes — 2× Task schedule changed, 1× Risk identified', subject: { kind: 'project', id: projectId }, reason: { kind: 'subscription', subscriptionId: 'plan:daily-status' } });
    expect(await inbox('pm')).toHaveLength(1);
    const email = await pool.query(`SELECT count(*)::int AS n FROM es_events WHERE event_type = 'NotificationCreated' AND tenant_id = $1 AND data->>'channel' = 'email' AND data->>'recipientId' = $2`, [tenant, people.mailer]);
    expect(email.rows[0].n).toBe(1);
    expect(await itemDue()).toBe(new Date(Date.parse(due) + 24 * 3_600_000).toISOString());
  });

  it('covers only what happened since the last run, and stops when cancelled', async () => {
    const next = (await itemDue()) as string;
    clock.set(next);
    await scheduler.runDue();
    const runs = await sentEvents();
    expect(runs.map((r) => r.changes)).toEqual([3, 0]);
    expect((await inbox('dana'))[0].title).toBe('Project status: no changes since the last report');
    await as('member').delete(`${base}/communication-plan/daily-status`).expect(403);
    await as('pm').delete(`${base}/communication-plan/daily-status`).expect(200);
    expect(await itemDue()).toBeUndefined();
    await as('pm').delete(`${base}/communication-plan/daily-status`).expect(200);
    await as('pm').delete(`${base}/communication-plan/never-planned`).expect(404);
  });

  it('answers hostile input with a 4xx problem', async () => {
    const hostile: Array<[string, string, unknown?]> = [
      ['post', '/projects/constructor/stakeholders', entry('a', null)],
      ['get', '/projects/__proto__/stakeholders'],
      ['post', `${base}/stakeholders`, entry('__proto__', null)],
      ['post', `${base}/stakeholders`, { ...entry('nul', null), name: 'a\u0000b' }],
      ['post', `${base}/stakeholders`, { ...entry('surrogate', null), name: 'a\ud800b' }],
      ['post', `${base}/stakeholders`, { ...entry('who', 'a b'), userId: 'a\u0001' }],
      ['post', `${base}/stakeholders`, { ...entry('lvl', null), interest: 'extreme' }],
      ['post', `${base}/stakeholders`, JSON.parse(`${'{"a":'.repeat(300)}1${'}'.repeat(300)}`)],
      ['post', `${base}/stakeholders`, '{"stakeholderId":"p","name":"n","interest":"low","influence":"low","__proto__":{"x":1}}'],
      ['put', `${base}/stakeholders/__proto__`, entry('x', null)],
      ['delete', `${base}/stakeholders/%00`],
      ['put', `${base}/communication-plan/__proto__`, daily],
      ['put', `${base}/communication-plan/p`, { ...daily, cadence: { ...daily.cadence, timeZone: 'Mars/Olympus' } }],
      ['put', `${base}/communication-plan/p`, { ...daily, cadence: { ...daily.cadence, at: '24:00' } }],
      ['put', `${base}/communication-plan/p`, { ...daily, audience: { stakeholders: Array.from({ length: 201 }, (_, i) => `s${i}`), roles: [] } }],
    ];
    const answers: Array<[string, string, number, string]> = [];
    for (const [method, path, body] of hostile) {
      const raw = typeof body === 'string';
      const req = method === 'get' ? as('admin').get(path) : method === 'delete' ? as('admin').delete(path) : method === 'put' ? as('admin').put(path, body) : as('admin').post(path, body);
      const res = await (raw ? req.set('content-type', 'application/json') : req);
      answers.push([method, path, res.status, String(res.headers['content-type'])]);
    }
    expect(answers.filter(([, , status, type]) => status < 400 || status >= 500 || !type.startsWith('application/problem+json'))).toEqual([]);
    const huge = await as('admin').post(`${base}/stakeholders`, { ...entry('huge', null), name: 'x'.repeat(3_000_000) });
    expect([400, 413]).toContain(huge.status);
  });
});
