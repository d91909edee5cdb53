// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

/**
 * The first slice end to end over HTTP and the real broker: planning appends pm.planning.ProjectCreated,
 * its relay publishes it to pm.planning.events, reporting consumes it into the project summary read model.
 */
describe('POST /projects (planning) → Kafka → GET /projects (reporting)', () => {
  let planningDb: TestDatabase;
  let reportingDb: TestDatabase;
  let planning: RunningService;
  let reporting: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const otherTenant = `${tenant}-other`;
  let pm: string;
  let viewer: string;
  let outsider: string;

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_planning');
    reportingDb = await createTestDatabase('e2e_reporting');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    reporting = await startService(
      'reporting-service',
      ReportingApp.register({ pgUrl: reportingDb.url, consumerGroupId: `reporting-e2e-${randomBytes(4).toString('hex')}` }),
    );
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    outsider = await signDevToken({ tenant: otherTenant, roles: ['pmo-admin'], sub: 'admin-2' });
  }, 120_000);

  afterAll(async () => {
    await reporting?.close();
    await planning?.close();
    await reportingDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  it('creates a project with only a name, and the portfolio read model shows it', async () => {
    const res = await request(planning.url)
      .post('/projects')
      .set('authorization', `Bearer ${pm}`)
      .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
      .send({ name: '  ERP migration  ' })
      .expect(201);
    expect(res.headers.location).toBe(`/projects/${res.body.projectId}`);
    expect(res.body.project).toMatchObject({
      name: 'ERP migration',
      status: 'initiating',
      priority: 'medium',
      currency: 'EUR',
      startDate: null,
      code: null,
    });

    const listed = await waitFor(
      async () => {
        const page = await request(reporting.url).get('/projects').set('authorization', `Bearer ${viewer}`).expect(200);
        return page.body.items.length ? page.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the project in the reporting read model' },
    );
    expect(listed).toMatchObject({ total: 1, items: [{ projectId: res.body.projectId, name: 'ERP migration', status: 'initiating' }] });

    const own = await request(planning.url).get(`/projects/${res.body.projectId}`).set('authorization', `Bearer ${viewer}`).expect(200);
    expect(own.body).toMatchObject({ projectId: res.body.projectId, version: 1, status: 'initiating' });
  });

  it('keeps tenants apart on both services', async () => {
    const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name: 'Secret merger' }).expect(201);
    await request(planning.url)
      .get(`/projects/${res.body.projectId}`)
      .set('authorization', `Bearer ${outsider}`)
      .expect(404)
      .expect('content-type', /application\/problem\+json/);
    await waitFor(async () => {
      const page = await request(reporting.url).get('/projects').set('authorization', `Bearer ${viewer}`);
      return page.body.total === 2;
    }, { what: 'second project projected' });
    const theirs = await request(reporting.url).get('/projects').set('authorization', `Bearer ${outsider}`).expect(200);
    expect(theirs.body).toMatchObject({ total: 0, items: [] });
    // Stream ids carry the tenant (ADR 0008): the same client-chosen id in another tenant is that tenant's own
    // project, so no answer reveals that the id exists elsewhere, and neither tenant sees the other's.
    const mine = await request(planning.url)
      .post('/projects')
      .set('authorization', `Bearer ${outsider}`)
      .send({ projectId: res.body.projectId, name: 'Mine now' })
      .expect(201);
    expect(mine.body).toMatchObject({ projectId: res.body.projectId, version: 1, project: { name: 'Mine now' } });
    await request(planning.url).get(`/projects/${res.body.projectId}`).set('authorization', `Bearer ${outsider}`).expect(200).expect((r) => expect(r.body.state.project.profile.name).toBe('Mine now'));
    await request(planning.url).get(`/projects/${res.body.projectId}`).set('authorization', `Bearer ${viewer}`).expect(200).expect((r) => expect(r.body.state.project.profile.name).not.toBe('Mine now'));
    await waitFor(async () => {
      const page = await request(reporting.url).get('/projects').set('authorization', `Bearer ${outsider}`);
      return page.body.total === 1 && page.body.items[0].name === 'Mine now';
    }, { what: "the other tenant's project projected apart" });
  });

  it('a user id with spaces still yields a valid public actor, and the event reaches reporting', async () => {
    const spaced = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'John Smith' });
    const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${spaced}`).send({ name: 'Spaced actor' }).expect(201);
    await waitFor(async () => {
      const page = await request(reporting.url).get('/projects?limit=500').set('authorization', `Bearer ${viewer}`);
      return page.body.items.some((p: { projectId: string }) => p.projectId === res.body.projectId);
    }, { what: 'project created by "John Smith" projected' });
  });

  it('creating the same client-chosen project id twice is a 409 with a stable code', async () => {
    const projectId = randomUUID();
    await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ projectId, name: 'Once' }).expect(201);
    const again = await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ projectId, name: 'Twice' }).expect(409);
    expect(again.body).toMatchObject({ status: 409, code: 'PROJECT_ALREADY_EXISTS' });
  });

  it('exports relay and consumer throughput and lag as Prometheus metrics', async () => {
    const planningMetrics = (await request(planning.url).get('/metrics').expect(200)).text;
    expect(planningMetrics).toMatch(/pm_relay_published_events_total\{[^}]*relay="planning-service.relay"[^}]*\} [1-9]/);
    // Lag is sampled at scrape: it drops to 0 once the relay has caught up.
    await waitFor(async () => /pm_relay_lag_events\{[^}]*\} 0\n/.test((await request(planning.url).get('/metrics')).text), {
      what: 'relay lag 0',
    });
    const reportingMetrics = (await request(reporting.url).get('/metrics').expect(200)).text;
    expect(reportingMetrics).toMatch(/pm_consumer_events_total\{[^}]*outcome="applied"[^}]*\} [1-9]/);
    expect(reportingMetrics).toMatch(/pm_consumer_lag_messages\{/);
  });

  describe('bad input gets a 4xx problem+json, never a 500', () => {
    const cases: Array<[string, unknown, string]> = [
      ['no name', {}, '/name'],
      ['a blank name', { name: '   ' }, '/name'],
      ['a name that is not a string', { name: 42 }, '/name'],
      ['a name over 200 characters', { name: 'x'.repeat(201) }, '/name'],
      ['an unknown field', { name: 'ok', budget: 5 }, ''],
      ['an impossible date', { name: 'ok', startDate: '2027-02-30' }, '/startDate'],
      ['a date in another format', { name: 'ok', startDate: '04/01/2027' }, '/startDate'],
      ['a finish before the start', { name: 'ok', startDate: '2027-03-01', targetFinishDate: '2027-02-01' }, '/targetFinishDate'],
      ['an unknown priority', { name: 'ok', priority: 'urgent' }, '/priority'],
      ['a bad currency', { name: 'ok', currency: 'euro' }, '/currency'],
      ['a project id that is not a UUID', { name: 'ok', projectId: '42' }, '/projectId'],
      ['an array body', [{ name: 'ok' }], ''],
    ];
    it.each(cases)('rejects %s with 400 VALIDATION_FAILED', async (_label, body, pointer) => {
      const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send(body as object).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/projects' });
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(pointer);
    });

    it('rejects malformed JSON with 400 MALFORMED_JSON', async () => {
      const res = await request(planning.url)
        .post('/projects')
        .set('authorization', `Bearer ${pm}`)
        .set('content-type', 'application/json')
        .send('{"name": "unterminated')
        .expect(400);
      expect(res.body.code).toBe('MALFORMED_JSON');
    });

    it.each([
      ['a NUL character', '{"name":"a\\u0000b"}'],
      ['a lone surrogate', '{"name":"x\\ud800"}'],
    ])('rejects a name with %s (valid JSON, unstorable text) with 400, not 500', async (_label, raw) => {
      const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).set('content-type', 'application/json').send(raw).expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID_TEXT', details: { in: 'body' }, errors: [{ path: '/body/name' }] });
    });

    it('accepts real non-ASCII text, including characters outside the BMP', async () => {
      const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name: 'Überführung 📦 système' }).expect(201);
      expect(res.body.project.name).toBe('Überführung 📦 système');
    });

    it('rejects a malformed project id in the path with 400', async () => {
      await request(planning.url).get('/projects/not-a-uuid').set('authorization', `Bearer ${pm}`).expect(400);
    });

    it('rejects a bad paging query on reporting with 400', async () => {
      const res = await request(reporting.url).get('/projects?limit=0').set('authorization', `Bearer ${pm}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('access', () => {
    it('401 without a token, with a stable code', async () => {
      const res = await request(planning.url).post('/projects').send({ name: 'x' }).expect(401);
      expect(res.body.code).toBe('AUTH_TOKEN_MISSING');
      await request(reporting.url).get('/projects').expect(401);
    });

    it('403 when a viewer tries to change the plan', async () => {
      const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${viewer}`).send({ name: 'x' }).expect(403);
      expect(res.body.code).toBe('AUTH_FORBIDDEN');
    });

    it('leaves health, metrics and docs open', async () => {
      for (const svc of [planning, reporting]) {
        await request(svc.url).get('/health/live').expect(200);
        const ready = await request(svc.url).get('/health/ready').expect(200);
        expect(Object.keys(ready.body.details)).toEqual(expect.arrayContaining(['postgres', 'kafka']));
        await request(svc.url).get('/metrics').expect(200).expect(/http_server_request_duration_seconds/);
        const docs = await request(svc.url).get('/docs-json').expect(200);
        expect(docs.body.openapi).toMatch(/^3\./);
      }
    });
  });
});
