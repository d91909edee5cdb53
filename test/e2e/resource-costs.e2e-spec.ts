import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { TOPICS, contractRegistry, createCloudEvent, projectCreatedV1, toKafkaMessage } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * Timesheets and budgets over HTTP, with planning's projects announced over the real broker as planning's relay
 * would (pm.planning.ProjectCreated, key = stream id):
 * - a project is a tenant's only when planning announced it to that tenant: another tenant can neither take its
 *   budget stream nor book time on it (ADR 0205);
 * - nobody approves or rejects their own time, whatever characters their login has and whoever submitted it;
 * - a project's costs stay in one currency even when only a forecast fixed it.
 */
describe('Resource costs: tenancy of project budgets, self-approval, one currency', () => {
  let db: TestDatabase;
  let resource: RunningService;
  let producer: Producer;
  const tenantA = `tenant-a-${randomBytes(4).toString('hex')}`;
  const tenantB = `tenant-b-${randomBytes(4).toString('hex')}`;
  const projectOfA = randomUUID();
  const otherProjectOfA = randomUUID();
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  const budget = { categories: { labour: eur(100_000), equipment: eur(0), materials: eur(0), other: eur(0) }, contingency: eur(0), managementReserve: eur(0) };
  const token = (tenant: string, sub: string, roles: string[]) => signDevToken({ tenant, sub, roles: roles as never });
  const put = (path: string, body: object, bearer: string) => request(resource.url).put(path).set('authorization', `Bearer ${bearer}`).send(body);
  const post = (path: string, body: object | undefined, bearer: string) => request(resource.url).post(path).set('authorization', `Bearer ${bearer}`).send(body);
  let adminA: string;

  function announced(tenant: string, projectId: string): CloudEventEnvelope {
    const id = randomUUID();
    const data = { ...projectCreatedV1.example, projectId, name: `Project ${projectId.slice(0, 8)}`, createdAt: '2025-08-01T09:00:00.000Z' };
    const attributes = { id, subject: `project-${projectId}`, time: '2025-08-01T09:00:00.000Z', tenantid: tenant, streamversion: 1, correlationid: id, causationid: id, actor: 'user:pm-a' };
    return createCloudEvent(contractRegistry.latest('pm.planning.ProjectCreated'), { ...attributes, data }) as CloudEventEnvelope;
  }

  /** A person of tenant A with a login and a rate, so their approved time has a cost. */
  async function person(userId: string): Promise<string> {
    const res = await post('/resources/people', { userId, name: `P ${userId}`, role: 'Developer', department: 'IT' }, adminA).expect(201);
    await post(`/resources/${res.body.resourceId}/rates`, { effectiveFrom: '2025-01-01', standardRate: eur(10_000) }, adminA).expect(200);
    return res.body.resourceId;
  }
  const week = (resourceId: string, projectId = projectOfA) => ({ resourceId, weekStart: '2025-09-01', lines: [{ date: '2025-09-01', projectId, taskId: null, hours: 8 }] });

  beforeAll(async () => {
    db = await createTestDatabase('e2e_resource_costs');
    // Snapshots every 2 events: budgets and people are read back from snapshot + tail, as long-lived streams are.
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: db.url, consumerGroupId: `resource-costs-e2e-${randomBytes(4).toString('hex')}`, snapshotEvery: 2 }));
    const kafka = new Kafka({ clientId: 'planning-like-producer', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    adminA = await token(tenantA, 'admin-a', ['pmo-admin']);
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await resource?.close();
    await db?.drop();
  });

  describe('a project belongs to the tenant planning announced it to', () => {
    let pmA: string;
    let pmB: string;

    beforeAll(async () => {
      pmA = await token(tenantA, 'pm-a', ['project-manager']);
      pmB = await token(tenantB, 'pm-b', ['project-manager', 'resource-manager', 'pmo-admin']);
    });

    it('refuses budgets, expenses, forecasts and time on a project planning never announced, with 404 PROJECT_UNKNOWN', async () => {
      const res = await put(`/projects/${projectOfA}/budget`, budget, pmA).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'PROJECT_UNKNOWN' });
    });

    it("lets tenant A set its project's budget once planning announced it, and keeps tenant B off that stream", async () => {
      await producer.send({ topic: TOPICS.planning, messages: [toKafkaMessage(announced(tenantA, projectOfA)), toKafkaMessage(announced(tenantA, otherProjectOfA))] });
      // Before the fix tenant B could write first and take budget-<projectId> for good (STREAM_ID_TAKEN for A).
      const squat = await put(`/projects/${projectOfA}/budget`, budget, pmB).expect(404);
      expect(squat.body.code).toBe('PROJECT_UNKNOWN');
      const set = await waitFor(
        async () => {
          const res = await put(`/projects/${projectOfA}/budget`, budget, pmA);
          return res.status === 200 && res;
        },
        // A new consumer group reads pm.planning.events from the beginning: the backlog of earlier runs comes first.
        { what: "tenant A's project announced to the resource service", timeoutMs: 150_000, intervalMs: 250 },
      );
      expect(set.body.events.map((e: { type: string }) => e.type)).toEqual(['ProjectBudgetSet']);

      // Still refused to B once known to A: expense, forecast and budget alike, and B's time on it.
      for (const [path, body] of [
        [`/projects/${projectOfA}/expenses`, { category: 'other', amount: eur(500), incurredOn: '2025-09-02' }],
        [`/projects/${projectOfA}/forecast`, { estimateToComplete: eur(500) }],
      ] as const) {
        expect((await post(path, body, pmB).expect(404)).body.code).toBe('PROJECT_UNKNOWN');
      }
      expect((await put(`/projects/${projectOfA}/budget`, budget, pmB).expect(404)).body.code).toBe('PROJECT_UNKNOWN');
      const bPerson = await post('/resources/people', { userId: 'dev-b', name: 'Dev B', role: 'Developer', department: 'IT' }, pmB).expect(201);
      const bSheet = await post('/timesheets', week(bPerson.body.resourceId), pmB).expect(404);
      expect(bSheet.body).toMatchObject({ code: 'PROJECT_UNKNOWN', details: { projectIds: [projectOfA] } });
      // B sees no budget there; A's is intact.
      expect((await request(resource.url).get(`/projects/${projectOfA}/budget`).set('authorization', `Bearer ${pmB}`).expect(200)).body).toMatchObject({ budget: null, version: 0 });
    }, 180_000);

    it("books tenant A's approved time against tenant A's budget", async () => {
      const dev = await person('dev-a');
      const sheet = await post('/timesheets', week(dev), adminA).expect(201);
      await post(`/timesheets/${sheet.body.timesheetId}/approval`, undefined, pmA).expect(200);
      const seen = await request(resource.url).get(`/projects/${projectOfA}/budget`).set('authorization', `Bearer ${pmA}`).expect(200);
      expect(seen.body).toMatchObject({ actualToDate: eur(80_000), version: 2 });
      // Approved again: a no-op; the budget, read from its snapshot at version 2, is unchanged.
      expect((await post(`/timesheets/${sheet.body.timesheetId}/approval`, undefined, pmA).expect(200)).body.events).toEqual([]);
      expect((await request(resource.url).get(`/projects/${projectOfA}/budget`).set('authorization', `Bearer ${pmA}`).expect(200)).body).toMatchObject({ actualToDate: eur(80_000), version: 2 });
    });

    it('refuses a timesheet with any line on a project unknown to the tenant, naming it', async () => {
      const dev = await person('dev-a2');
      const unknown = randomUUID();
      const body = { ...week(dev), lines: [...week(dev).lines, { date: '2025-09-02', projectId: unknown, taskId: null, hours: 4 }] };
      const res = await post('/timesheets', body, adminA).expect(404);
      expect(res.body).toMatchObject({ code: 'PROJECT_UNKNOWN', details: { projectIds: [unknown] } });
    });
  });

  describe('nobody approves or rejects their own time', () => {
    it('refuses a manager whose login is an e-mail address approving the week they submitted', async () => {
      const rm = await token(tenantA, 'rm@corp.example', ['resource-manager']);
      const own = await person('rm@corp.example');
      const sheet = await post('/timesheets', week(own), rm).expect(201);
      expect(sheet.body.events[0].data.submittedBy).toBe('user:rm%40corp.example');
      const res = await post(`/timesheets/${sheet.body.timesheetId}/approval`, undefined, rm).expect(403);
      expect(res.body.code).toBe('SELF_APPROVAL_FORBIDDEN');
      expect((await post(`/timesheets/${sheet.body.timesheetId}/rejection`, { reason: 'mine' }, rm).expect(403)).body.code).toBe('SELF_APPROVAL_FORBIDDEN');
      // Another manager may.
      const other = await token(tenantA, 'Rosa Manager', ['resource-manager']);
      await post(`/timesheets/${sheet.body.timesheetId}/approval`, undefined, other).expect(200);
    });

    it("refuses the owner approving or rejecting their own time that an admin submitted for them", async () => {
      const owner = await token(tenantA, 'Pat Owner', ['project-manager', 'team-member']);
      const own = await person('Pat Owner');
      const sheet = await post('/timesheets', week(own), adminA).expect(201);
      expect((await post(`/timesheets/${sheet.body.timesheetId}/approval`, undefined, owner).expect(403)).body.code).toBe('SELF_APPROVAL_FORBIDDEN');
      expect((await post(`/timesheets/${sheet.body.timesheetId}/rejection`, { reason: 'mine' }, owner).expect(403)).body.code).toBe('SELF_APPROVAL_FORBIDDEN');
      const pm = await token(tenantA, 'pm-a', ['project-manager']);
      const rejected = await post(`/timesheets/${sheet.body.timesheetId}/rejection`, { reason: 'wrong week' }, pm).expect(200);
      expect(rejected.body.events.map((e: { type: string }) => e.type)).toEqual(['TimesheetRejected']);
    });
  });

  it('keeps a project in the currency its forecast fixed, with no budget set yet', async () => {
    const pmA = await token(tenantA, 'pm-a', ['project-manager']);
    await waitFor(async () => (await post(`/projects/${otherProjectOfA}/forecast`, { estimateToComplete: eur(1_000) }, pmA)).status === 200, { what: 'the second project announced', timeoutMs: 30_000, intervalMs: 250 });
    const res = await post(`/projects/${otherProjectOfA}/expenses`, { category: 'other', amount: { amountMinor: 5, currency: 'XXX' }, incurredOn: '2025-01-01' }, pmA).expect(422);
    expect(res.body).toMatchObject({ code: 'CURRENCY_MISMATCH', details: { expected: 'EUR', got: 'XXX' } });
  });
});
