import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import request from 'supertest';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { ManualClock } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RiskReadModel } from '@pm/risk/feature';
import { startService, ownConsumerGroups } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * Overdue reviews and mitigation actions (ADR 0302) on the service's durable scheduler, with its clock injected: an
 * item fires at the end of its due day (UTC), once, even when two rounds race for it; a completed action or a moved
 * review raises nothing. Then the read model is rebuilt from the log and comes back identical.
 */
describe('Risk service: overdue reviews and actions, read model rebuild', () => {
  let db: TestDatabase;
  let risk: RunningService;
  let pool: Pool;
  let scheduler: DurableScheduler;
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  const tenant = `tenant-due-${randomBytes(4).toString('hex')}`;
  const projectId = randomUUID();
  const year = new Date().getUTCFullYear() + 1;
  const risks = `/projects/${projectId}/risks`;
  let token: string;
  const post = (path: string, body: object = {}) => request(risk.url).post(path).set('authorization', `Bearer ${token}`).send(body);
  const put = (path: string, body: object = {}) => request(risk.url).put(path).set('authorization', `Bearer ${token}`).send(body);
  const get = (path: string) => request(risk.url).get(path).set('authorization', `Bearer ${token}`);
  const countOf = async (type: string) => Number((await pool.query('SELECT count(*) AS n FROM es_events WHERE event_type = $1', [type])).rows[0].n);
  let riskId: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_risk_overdue');
    risk = await startService('risk-service', RiskApp.register({ pgUrl: db.url, clock, schedulerPollMs: 3_600_000, ...ownConsumerGroups('risk') }));
    scheduler = risk.app.get(DurableScheduler);
    pool = new Pool({ connectionString: db.url, max: 2 });
    token = await signDevToken({ tenant, sub: 'pm-1', roles: ['pmo-admin'] });
    await post('/risk-settings/categories', { categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
    riskId = (await post(risks, { kind: 'threat', title: 'Vendor late', cause: 'c', event: 'e', effect: 'f', categoryId: 'suppliers', ownerId: 'owner-1' }).expect(201)).body.riskId;
    await post(`${risks}/${riskId}/assessments`, { inherent: { schedule: { probability: 3, impact: 4 } } }).expect(200);
    await post(`${risks}/${riskId}/responses`, { responseId: 'r', strategy: 'mitigate', description: 'Second supplier' }).expect(201);
    await post(`${risks}/${riskId}/responses/r/actions`, { actionId: 'rfq', description: 'Quotes', ownerId: 'buyer', dueOn: `${year}-02-01` }).expect(201);
    await post(`${risks}/${riskId}/responses/r/actions`, { actionId: 'done', description: 'Call', ownerId: 'buyer', dueOn: `${year}-02-01` }).expect(201);
    await post(`${risks}/${riskId}/actions/done/completion`, {}).expect(200);
    await put(`${risks}/${riskId}/review`, { reviewOn: `${year}-03-01` }).expect(200);
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await risk?.close();
    await db?.drop();
  });

  it('keeps one due item per pending date, in the database, and drops a completed action\'s', async () => {
    expect((await scheduler.get(tenant, 'mitigation-action-due', `${riskId}:rfq`))?.dueAt.toISOString()).toBe(`${year}-02-02T00:00:00.000Z`);
    expect(await scheduler.get(tenant, 'mitigation-action-due', `${riskId}:done`)).toBeUndefined();
    expect((await scheduler.get(tenant, 'risk-review-due', riskId))?.dueAt.toISOString()).toBe(`${year}-03-02T00:00:00.000Z`);
  });

  it('flags the action at the end of its due day, once', async () => {
    clock.set(`${year}-02-01T23:59:59.999Z`);
    await scheduler.runDue();
    expect(await countOf('MitigationActionOverdue')).toBe(0);
    clock.set(`${year}-02-02T00:00:00.000Z`);
    await Promise.all([scheduler.runDue(), scheduler.runDue()]);
    await scheduler.runDue();
    expect(await countOf('MitigationActionOverdue')).toBe(1);
    const detail = await get(`${risks}/${riskId}`).expect(200);
    expect(detail.body.actions.map((a: { actionId: string; overdue: boolean }) => [a.actionId, a.overdue])).toEqual([
      ['done', false],
      ['rfq', true],
    ]);
  });

  it('raises an automatic risk for the overdue action, and proposes its closure once the action is completed (ADR 0303)', async () => {
    const automatic = async () => (await get(`${risks}?origin=automatic`).expect(200)).body.items as Array<{ riskId: string; automatic: { ruleId: string; subject: object; closureProposed: boolean } }>;
    const [raised] = await waitFor(async () => {
      const rows = await automatic();
      return rows.length ? rows : null;
    }, { what: 'the overdue-action risk' });
    expect(raised.automatic).toMatchObject({ ruleId: 'overdue-mitigation-action', subject: { kind: 'mitigation-action', riskId, actionId: 'rfq' }, closureProposed: false });
    await post(`${risks}/${riskId}/actions/rfq/completion`, {}).expect(200);
    await waitFor(async () => (await automatic()).find((r) => r.riskId === raised.riskId && r.automatic.closureProposed), { what: 'its closure proposed' });
    expect(await automatic()).toHaveLength(1);
  });

  it('flags a review that passed, once; a review moved before its day raises nothing', async () => {
    const moved = (await post(risks, { kind: 'threat', title: 'Moved', cause: 'c', event: 'e', effect: 'f', categoryId: 'suppliers' }).expect(201)).body.riskId;
    await put(`${risks}/${moved}/review`, { reviewOn: `${year}-03-01` }).expect(200);
    await put(`${risks}/${moved}/review`, { reviewOn: `${year}-06-01` }).expect(200);
    clock.set(`${year}-03-01T12:00:00.000Z`);
    await scheduler.runDue();
    expect(await countOf('RiskReviewOverdue')).toBe(0);
    clock.set(`${year}-03-02T00:00:00.000Z`);
    await Promise.all([scheduler.runDue(), scheduler.runDue()]);
    clock.set(`${year}-03-09T00:00:00.000Z`);
    await scheduler.runDue();
    expect(await countOf('RiskReviewOverdue')).toBe(1);
    expect((await get(`${risks}/${riskId}`).expect(200)).body).toMatchObject({ reviewOn: `${year}-03-01`, reviewOverdue: true });
    expect((await get(`${risks}/${moved}`).expect(200)).body).toMatchObject({ reviewOn: `${year}-06-01`, reviewOverdue: false });
    expect((await get(`${risks}?limit=10`).expect(200)).body.items.find((r: { riskId: string }) => r.riskId === riskId)).toMatchObject({ reviewOverdue: true });
  });

  it('rebuilds the register and issue log from the log to the same rows', async () => {
    await post(`/projects/${projectId}/issues`, { title: 'Build server down', description: 'CI is red', severity: 'high' }).expect(201);
    const tables = ['risk_register', 'risk_responses', 'risk_actions', 'risk_secondary_links', 'issue_log'];
    // This tenant's rows: the service also consumes the shared planning topic, so other tests' plans raise risks meanwhile.
    const rows = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await pool.query(`SELECT * FROM ${t} WHERE tenant_id = $1 ORDER BY 1, 2, 3`, [tenant])).rows] as const)));
    const readModel = risk.app.get(RiskReadModel);
    await readModel.sync();
    const before = await rows();
    // The two risks identified here and the automatic risk of the overdue action.
    expect(before['risk_register']).toHaveLength(3);
    expect(before['issue_log']).toHaveLength(1);
    // The background catch-up is paused so that this rebuild is the one that replays the log.
    await readModel.runner.stop();
    try {
      const replayed = await readModel.rebuild();
      expect(replayed).toBeGreaterThan(10);
      expect(await rows()).toEqual(before);
    } finally {
      readModel.runner.start();
    }
  });
});
