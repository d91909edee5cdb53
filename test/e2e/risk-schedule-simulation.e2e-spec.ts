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
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RiskPlanQueries } from '@pm/risk/data-access';
import { RiskExposureRefresher } from '@pm/risk/feature';
import { schedule } from '@pm/shared/scheduling';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

/**
 * Monte Carlo schedule risk as a job of the risk service (ADR 0300, 0304): a plan built in planning over HTTP reaches
 * the risk service's plan copy over the real broker; a simulation of it succeeds with a P50 between the plan's own
 * CPM finish and its all-pessimistic finish; the same seed gives the same result; hostile input is a 4xx; another
 * tenant finds nothing; a viewer reads but cannot run.
 */
describe('Risk service: Monte Carlo schedule risk as a job', () => {
  let planningDb: TestDatabase;
  let riskDb: TestDatabase;
  let riskPool: Pool;
  let planning: RunningService;
  let risk: RunningService;
  const tenant = `tenant-mc-${randomBytes(4).toString('hex')}`;
  const tokens: Record<string, string> = {};
  let projectId = '';
  const as = (url: () => string, who: string) => ({
    get: (path: string) => request(url()).get(path).set('authorization', `Bearer ${tokens[who]}`),
    post: (path: string, body: unknown = {}) => request(url()).post(path).set('authorization', `Bearer ${tokens[who]}`).send(body as object),
    patch: (path: string, body: object) => request(url()).patch(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
    delete: (path: string) => request(url()).delete(path).set('authorization', `Bearer ${tokens[who]}`),
    put: (path: string, body: object) => request(url()).put(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
  });
  const planner = as(() => planning.url, 'pm');
  const simulations = () => `/projects/${projectId}/schedule-risk/simulations`;
  const estimates = { design: [3, 5, 10], build: [8, 10, 20], test: [2, 3, 8], docs: [2, 4, 6] } as const;

  async function finished(jobId: string, who = 'pm'): Promise<request.Response> {
    let res: request.Response | undefined;
    await waitFor(
      async () => {
        res = await as(() => risk.url, who).get(`${simulations()}/${jobId}`).expect(200);
        return res.body.state === 'succeeded' || res.body.state === 'failed';
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `simulation ${jobId} finished` },
    );
    return res as request.Response;
  }

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_mc_planning');
    riskDb = await createTestDatabase('e2e_mc_risk');
    riskPool = createPgPool(riskDb.url, { max: 2 });
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    risk = await startService('risk-service', RiskApp.register({ pgUrl: riskDb.url, schedulerPollMs: 3_600_000, planConsumerGroupId: `risk-plan-e2e-${randomBytes(4).toString('hex')}`, consumerGroupId: `risk-e2e-${randomBytes(4).toString('hex')}` }));
    const sign = async (name: string, t: string, sub: string, roles: Parameters<typeof signDevToken>[0]['roles']) => (tokens[name] = await signDevToken({ tenant: t, sub, roles }));
    await sign('pm', tenant, 'pm-1', ['project-manager']);
    await sign('admin', tenant, 'admin-1', ['pmo-admin']);
    await sign('viewer', tenant, 'viewer-1', ['viewer']);
    await sign('member', tenant, 'member-1', ['team-member']);
    await sign('other', `${tenant}-other`, 'admin-2', ['pmo-admin', 'project-manager']);
  }, 120_000);

  afterAll(async () => {
    await risk?.close();
    await planning?.close();
    await riskPool?.end();
    await riskDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  it('builds a plan with three-point estimates in planning, and the risk service gets its copy', async () => {
    projectId = (await planner.post('/projects', { name: 'Data-centre move', startDate: '2026-03-02' }).expect(201)).body.projectId;
    const path = `/projects/${projectId}/schedule`;
    await planner.post(path, {}).expect(201);
    await planner.post(`${path}/tasks`, { taskId: 'phase', name: 'Delivery', kind: 'summary' }).expect(201);
    for (const [taskId, [optimisticDays, mostLikelyDays, pessimisticDays]] of Object.entries(estimates)) {
      await planner.post(`${path}/tasks`, { taskId, name: taskId, parentId: 'phase', durationDays: mostLikelyDays, costBudget: 1000 * mostLikelyDays }).expect(201);
      await planner.patch(`${path}/tasks/${taskId}`, { threePoint: { optimisticDays, mostLikelyDays, pessimisticDays } }).expect(200);
    }
    await planner.post(`${path}/dependencies`, { dependencyId: 'd1', predecessorId: 'design', successorId: 'build' }).expect(201);
    await planner.post(`${path}/dependencies`, { dependencyId: 'd2', predecessorId: 'build', successorId: 'test' }).expect(201);
    await planner.post(`${path}/dependencies`, { dependencyId: 'd3', predecessorId: 'design', successorId: 'docs' }).expect(201);
    const plans = new RiskPlanQueries(riskPool);
    await waitFor(
      async () => {
        const plan = await plans.plan(tenant, projectId);
        return plan !== null && plan.links.length === 3 && plan.tasks.filter((t) => t.estimate !== undefined).length === 4;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'the plan in the risk service' },
    );
    const plan = await plans.plan(tenant, projectId);
    expect(plan?.tasks.map((t) => t.id)).toEqual(['build', 'design', 'docs', 'test']);
    expect(plan?.tasks.find((t) => t.id === 'build')).toMatchObject({ duration: 10, estimate: { optimistic: 8, mostLikely: 10, pessimistic: 20 } });
  }, 120_000);

  it('runs a simulation as a job: P50 between the plan’s CPM finish and its pessimistic finish; the same seed, the same result', async () => {
    const run = await as(() => risk.url, 'pm').post(simulations(), { iterations: 2000, seed: 42, targetDate: '2026-04-10' }).expect(202);
    expect(run.headers['location']).toBe(`${simulations()}/${run.body.id}`);
    const done = await finished(run.body.id);
    expect(done.body.state).toBe('succeeded');
    const result = done.body.result;
    const plan = await new RiskPlanQueries(riskPool).plan(tenant, projectId);
    const pessimistic = schedule({ ...plan!, tasks: plan!.tasks.map((t) => ({ id: t.id, duration: t.estimate!.pessimistic })) }).projectFinish;
    const p50 = result.finish.percentiles.find((p: { percentile: number }) => p.percentile === 50).date as string;
    expect(result.planned.finishDate <= p50 && p50 <= pessimistic).toBe(true);
    expect(result.finish.probabilityOfTarget).toBeGreaterThanOrEqual(0);
    expect(result.criticality.find((t: { taskId: string }) => t.taskId === 'build').criticality).toBeGreaterThan(0.5);
    expect(result.tornado.length).toBeGreaterThan(0);
    expect(done.body.progress).toMatchObject({ done: 2000, total: 2000 });

    const again = await finished((await as(() => risk.url, 'pm').post(simulations(), { iterations: 2000, seed: 42, targetDate: '2026-04-10' }).expect(202)).body.id);
    expect(again.body.result).toEqual(result);

    // The summary is recorded on the project's schedule-risk stream, and the exposure takes the latest P80.
    const stored = await riskPool.query(`SELECT data FROM es_events WHERE stream_id = $1 ORDER BY stream_version`, [`schedule-risk:${tenant}:${projectId}`]);
    expect(stored.rows).toHaveLength(2);
    expect(stored.rows[0].data).toMatchObject({ projectId, iterations: 2000, seed: 42, p50Finish: p50, tasks: 4 });
    const latest = await riskPool.query(`SELECT to_char(p80_finish, 'YYYY-MM-DD') AS p80 FROM risk_schedule_latest WHERE tenant_id = $1 AND project_id = $2`, [tenant, projectId]);
    expect(latest.rows[0].p80).toBe(stored.rows[1].data.p80Finish);
    await risk.app.get(RiskExposureRefresher).drain();
    const exposure = await riskPool.query(`SELECT data FROM es_events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`, [`risk-exposure:${tenant}:${projectId}`]);
    expect(exposure.rows[0].data.scheduleRisk).toMatchObject({ p80Finish: latest.rows[0].p80 });
  }, 300_000);

  it('runs one simulation per project at a time (409 JOB_ALREADY_ACTIVE)', async () => {
    const post = () => as(() => risk.url, 'pm').post(simulations(), { iterations: 50_000, seed: 3 });
    const answers = await Promise.all([post(), post()]);
    const job = async (id: string) => (await as(() => risk.url, 'pm').get(`${simulations()}/${id}`)).body;
    const accepted = answers.filter((a) => a.status === 202).map((a) => a.body.id as string);
    if (accepted.length === 2) {
      // Two sent together can still be handled one after the other: a second 202 is right only when the first job
      // had already ended before the second was queued (a 4-task plan simulates fast on a quiet machine).
      const [a, b] = (await Promise.all(accepted.map(job))).sort((x, y) => Date.parse(x.createdAt) - Date.parse(y.createdAt));
      expect(a.finishedAt).not.toBeNull();
      expect(Date.parse(a.finishedAt)).toBeLessThanOrEqual(Date.parse(b.createdAt));
      // The second is the one still running: the rest of the test cancels it.
      accepted.splice(0, 2, b.id);
    } else {
      expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
      expect(answers.find((a) => a.status === 409)?.body.code).toBe('JOB_ALREADY_ACTIVE');
    }
    const running = accepted[0];
    await as(() => risk.url, 'viewer').delete(`${simulations()}/${running}`).expect(403);
    const cancelled = await as(() => risk.url, 'pm').delete(`${simulations()}/${running}`);
    // Cancelled while queued or running; a run that already ended is 409.
    expect([200, 409]).toContain(cancelled.status);
    await waitFor(async () => ['cancelled', 'succeeded'].includes((await as(() => risk.url, 'pm').get(`${simulations()}/${running}`)).body.state), {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: 'the cancelled simulation ended',
    });
  }, 120_000);

  it('lets a viewer read a job but not run one; another tenant finds nothing', async () => {
    const run = await as(() => risk.url, 'pm').post(simulations(), { iterations: 200, seed: 1 }).expect(202);
    await finished(run.body.id, 'viewer');
    await as(() => risk.url, 'viewer').post(simulations(), { iterations: 200 }).expect(403);
    await as(() => risk.url, 'member').post(simulations(), { iterations: 200 }).expect(403);
    await as(() => risk.url, 'other').get(`${simulations()}/${run.body.id}`).expect(404);
    await as(() => risk.url, 'pm').get(`${simulations()}/${randomUUID()}`).expect(404);
  }, 120_000);

  it('keeps the tenant’s default spread for tasks without an estimate: pmo-admin defines it, every role reads it', async () => {
    const spread = '/risk-settings/schedule-risk-spread';
    expect((await as(() => risk.url, 'viewer').get(spread).expect(200)).body).toMatchObject({ defined: false, spread: { optimistic: -0.1, pessimistic: 0.25, distribution: 'triangular' } });
    await as(() => risk.url, 'pm').put(spread, { optimistic: -0.2, pessimistic: 0.5, distribution: 'pert' }).expect(403);
    await as(() => risk.url, 'admin').put(spread, { optimistic: 0.2, pessimistic: 0.5, distribution: 'pert' }).expect(400);
    const defined = await as(() => risk.url, 'admin').put(spread, { optimistic: -0.2, pessimistic: 0.5, distribution: 'pert' }).expect(200);
    expect(defined.body.events.map((e: { type: string }) => e.type)).toEqual(['ScheduleRiskSpreadDefined']);
    expect((await as(() => risk.url, 'admin').put(spread, { optimistic: -0.2, pessimistic: 0.5, distribution: 'pert' }).expect(200)).body.events).toEqual([]);
    expect((await as(() => risk.url, 'other').get(spread).expect(200)).body.defined).toBe(false);
  });

  it.each([
    ['iterations 1e12', { iterations: 1e12 }],
    ['iterations NaN (as a string)', { iterations: 'NaN' }],
    ['iterations null', { iterations: null }],
    ['a fractional seed', { seed: 1.5 }],
    ['a nested body', { iterations: { $gt: 1 } }],
    ['an unknown field', { iterations: 10, threads: 64 }],
    ['a bad target date', { targetDate: '2026-02-30' }],
    ['a correlation above 1', { correlation: [{ taskIds: ['build', 'test'], coefficient: 1.5 }] }],
    ['too many risk events', { includeRiskEvents: true, riskEvents: Array.from({ length: 201 }, (_, i) => ({ id: `r${i}`, probability: 0.5 })) }],
    ['a body that is an array', [{ iterations: 10 }]],
  ])('answers %s with a 400', async (_name, body) => {
    const res = await as(() => risk.url, 'pm').post(simulations(), body);
    expect(res.status).toBe(400);
  });
});
