// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPgPool } from '@pm/platform/event-store';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { ManualClock } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RiskReadModel } from '@pm/risk/feature';
import { startService, ownConsumerGroups } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

/**
 * Overdue reviews and mitigation actions (ADR 0302) on the service's durable scheduler, with its clock injected: an
 * item fires at the end of its due day (UTC), once, even when two rounds race for it; a completed action or a moved
 * review raises nothing. A tenant whose default calendar (set in planning, delivered over the broker) has a holiday
 * Friday and Monday sees a review due that Friday become overdue only when Tuesday, the next working day, has ended in
 * the tenant's time zone (risk settings).
 * Then the read model is rebuilt from the log and comes back identical.
 */
describe('Risk service: overdue reviews and actions, read model rebuild', () => {
  let db: TestDatabase;
  let risk: RunningService;
  let planningDb: TestDatabase;
  let planning: RunningService;
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
    topics = await ownTopics();
    db = await createTestDatabase('e2e_risk_overdue');
    risk = await startService('risk-service', RiskApp.register({ pgUrl: db.url, clock, schedulerPollMs: 3_600_000, ...ownConsumerGroups('risk') }));
    scheduler = risk.app.get(DurableScheduler);
    planningDb = await createTestDatabase('e2e_risk_overdue_planning');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url, consumerGroupId: ownConsumerGroups('planning').consumerGroupId }));
    pool = createPgPool(db.url, { max: 2 });
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
    await planning?.close();
    await db?.drop();
    await planningDb?.drop();
    await topics?.remove();
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

  it("follows the tenant's calendar and time zone: due on a holiday Friday before a holiday Monday, overdue only once Tuesday has ended in Berlin", async () => {
    const easter = `${tenant}-cal`;
    const admin = await signDevToken({ tenant: easter, sub: 'admin-1', roles: ['pmo-admin'] });
    const as = (base: string) => ({
      post: (path: string, body: object = {}) => request(base).post(path).set('authorization', `Bearer ${admin}`).send(body),
      put: (path: string, body: object = {}) => request(base).put(path).set('authorization', `Bearer ${admin}`).send(body),
      get: (path: string) => request(base).get(path).set('authorization', `Bearer ${admin}`),
    });
    const day = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);
    // The first Friday from 9 April: after the dates the tests above moved the clock to.
    let friday = `${year}-04-09`;
    while (new Date(`${friday}T00:00:00.000Z`).getUTCDay() !== 5) friday = day(friday, 1);
    const [saturday, sunday, monday, tuesday, wednesday] = [1, 2, 3, 4, 5].map((n) => day(friday, n));
    await as(risk.url).post('/risk-settings/categories', { categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
    const id = (await as(risk.url).post(risks, { kind: 'threat', title: 'Easter', cause: 'c', event: 'e', effect: 'f', categoryId: 'suppliers' }).expect(201)).body.riskId;
    await as(risk.url).put(`${risks}/${id}/review`, { reviewOn: friday }).expect(200);
    // No calendar yet: the standard one in UTC, the end of Friday.
    expect((await scheduler.get(easter, 'risk-review-due', id))?.dueAt.toISOString()).toBe(`${saturday}T00:00:00.000Z`);
    const holidays = [{ date: friday, name: 'Good Friday' }, { date: monday, name: 'Easter Monday' }];
    await as(planning.url).put('/calendars/default', { name: 'Easter', workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays, exceptions: [] }).expect(200);
    // The calendar reaches the risk service over the broker and moves the pending item.
    await waitFor(async () => (await scheduler.get(easter, 'risk-review-due', id))?.dueAt.toISOString() === `${wednesday}T00:00:00.000Z` || null, { what: "the review moved onto the tenant's calendar" });
    // Its due days end in Berlin (summer time in April): the item moves two hours earlier.
    await as(risk.url).put('/risk-settings/time-zone', { timeZone: 'Mars/Olympus_Mons' }).expect(422);
    expect((await as(risk.url).put('/risk-settings/time-zone', { timeZone: 'Europe/Berlin' }).expect(200)).body).toMatchObject({ timeZone: 'Europe/Berlin', events: [{ type: 'DueTimeZoneSet' }] });
    expect((await as(risk.url).get('/risk-settings/time-zone').expect(200)).body).toMatchObject({ timeZone: 'Europe/Berlin' });
    expect((await scheduler.get(easter, 'risk-review-due', id))?.dueAt.toISOString()).toBe(`${tuesday}T22:00:00.000Z`);
    const overdue = async () => (await as(risk.url).get(`${risks}/${id}`).expect(200)).body.reviewOverdue as boolean;
    for (const now of [`${saturday}T12:00:00.000Z`, `${sunday}T12:00:00.000Z`, `${monday}T12:00:00.000Z`, `${tuesday}T21:59:59.999Z`]) {
      clock.set(now);
      await scheduler.runDue();
      expect(await overdue()).toBe(false);
    }
    clock.set(`${tuesday}T22:00:00.000Z`);
    await scheduler.runDue();
    expect(await overdue()).toBe(true);
  }, 120_000);

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
