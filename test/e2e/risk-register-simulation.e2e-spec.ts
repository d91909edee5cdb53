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
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

/**
 * The register's risks as Monte Carlo risk events (ADR 0305): a threat is linked to the plan's tasks it delays
 * (PUT …/risks/{r}/schedule-impact, pm.risk.RiskScheduleImpactDefined) and a simulation with `includeRegisterRisks`
 * takes it: with the same seed its P80 finish and cost move later and up; once the risk is closed the run is the
 * plan's own again. The route refuses hostile input with a 4xx problem and follows the owner rule.
 */
describe('Risk service: register risks linked to tasks as simulation risk events', () => {
  let planningDb: TestDatabase;
  let riskDb: TestDatabase;
  let riskPool: Pool;
  let planning: RunningService;
  let risk: RunningService;
  const tenant = `tenant-rl-${randomBytes(4).toString('hex')}`;
  const tokens: Record<string, string> = {};
  let projectId = '';
  const as = (url: () => string, who: string) => ({
    get: (path: string) => request(url()).get(path).set('authorization', `Bearer ${tokens[who]}`),
    post: (path: string, body: unknown = {}) => request(url()).post(path).set('authorization', `Bearer ${tokens[who]}`).send(body as object),
    patch: (path: string, body: object) => request(url()).patch(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
    put: (path: string, body: unknown) => request(url()).put(path).set('authorization', `Bearer ${tokens[who]}`).send(body as object),
  });
  const planner = as(() => planning.url, 'pm');
  const riskAs = (who: string) => as(() => risk.url, who);
  const simulations = () => `/projects/${projectId}/schedule-risk/simulations`;
  const risks = () => `/projects/${projectId}/risks`;
  const statement = { kind: 'threat', title: 'Racks late', cause: 'Single vendor', event: 'Racks arrive late', effect: 'Build slips', categoryId: 'suppliers' };
  const link = { tasks: [{ taskId: 'build', delayDays: { min: 15, mostLikely: 20, max: 30 } }] };

  function expectProblem(res: request.Response, status: number, code?: string): void {
    expect({ status: res.status, ...(code ? { code: res.body.code } : {}) }).toEqual({ status, ...(code ? { code } : {}) });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  }

  async function simulate(body: object): Promise<{ finish: { percentiles: Array<{ percentile: number; date: string }> }; cost: { percentiles: Array<{ percentile: number; value: number }> }; registerRisks: unknown; riskEvents: unknown[] }> {
    const run = await riskAs('pm').post(simulations(), { iterations: 2000, seed: 11, ...body }).expect(202);
    let res: request.Response | undefined;
    await waitFor(
      async () => {
        res = await riskAs('pm').get(`${simulations()}/${run.body.id}`).expect(200);
        return res.body.state === 'succeeded' || res.body.state === 'failed';
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `simulation ${run.body.id} finished` },
    );
    expect(res?.body.state).toBe('succeeded');
    return res?.body.result;
  }
  const p80 = (result: { finish: { percentiles: Array<{ percentile: number; date: string }> } }) => result.finish.percentiles.find((p) => p.percentile === 80)?.date as string;
  const costP80 = (result: { cost: { percentiles: Array<{ percentile: number; value: number }> } }) => result.cost.percentiles.find((p) => p.percentile === 80)?.value as number;

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_rl_planning');
    riskDb = await createTestDatabase('e2e_rl_risk');
    riskPool = createPgPool(riskDb.url, { max: 2 });
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    risk = await startService(
      'risk-service',
      RiskApp.register({ pgUrl: riskDb.url, schedulerPollMs: 3_600_000, planConsumerGroupId: `risk-plan-e2e-${randomBytes(4).toString('hex')}`, consumerGroupId: `risk-e2e-${randomBytes(4).toString('hex')}` }),
    );
    const sign = async (name: string, t: string, sub: string, roles: Parameters<typeof signDevToken>[0]['roles']) => (tokens[name] = await signDevToken({ tenant: t, sub, roles }));
    await sign('pm', tenant, 'pm-1', ['project-manager']);
    await sign('admin', tenant, 'admin-1', ['pmo-admin']);
    await sign('viewer', tenant, 'viewer-1', ['viewer']);
    await sign('owner', tenant, 'owner-1', ['team-member']);
    await sign('member', tenant, 'member-1', ['team-member']);
    await sign('other', `${tenant}-other`, 'admin-2', ['pmo-admin', 'project-manager']);
    await riskAs('admin').post('/risk-settings/categories', { categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await risk?.close();
    await planning?.close();
    await riskPool?.end();
    await riskDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  it('builds a plan in planning, and the risk service gets its copy', async () => {
    projectId = (await planner.post('/projects', { name: 'Data-centre move', startDate: '2026-03-02' }).expect(201)).body.projectId;
    const path = `/projects/${projectId}/schedule`;
    await planner.post(path, {}).expect(201);
    await planner.post(`${path}/tasks`, { taskId: 'phase', name: 'Delivery', kind: 'summary' }).expect(201);
    for (const [taskId, [optimisticDays, mostLikelyDays, pessimisticDays]] of Object.entries({ design: [3, 5, 10], build: [8, 10, 20], test: [2, 3, 8] })) {
      await planner.post(`${path}/tasks`, { taskId, name: taskId, parentId: 'phase', durationDays: mostLikelyDays, costBudget: 1000 * mostLikelyDays }).expect(201);
      await planner.patch(`${path}/tasks/${taskId}`, { threePoint: { optimisticDays, mostLikelyDays, pessimisticDays } }).expect(200);
    }
    await planner.post(`${path}/dependencies`, { dependencyId: 'd1', predecessorId: 'design', successorId: 'build' }).expect(201);
    await planner.post(`${path}/dependencies`, { dependencyId: 'd2', predecessorId: 'build', successorId: 'test' }).expect(201);
    const plans = new RiskPlanQueries(riskPool);
    await waitFor(
      async () => {
        const plan = await plans.plan(tenant, projectId);
        return plan !== null && plan.links.length === 2 && plan.tasks.filter((t) => t.estimate !== undefined).length === 3;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'the plan in the risk service' },
    );
  }, 120_000);

  it('links a threat to the tasks it delays; the register shows the link; the same link again decides nothing; the owner may, another member may not', async () => {
    const riskId: string = (await riskAs('pm').post(risks(), { ...statement, ownerId: 'owner-1' }).expect(201)).body.riskId;
    const defined = await riskAs('owner').put(`${risks()}/${riskId}/schedule-impact`, link).expect(200);
    expect(defined.body.events).toEqual([{ type: 'RiskScheduleImpactDefined', data: expect.objectContaining({ riskId, projectId, tasks: link.tasks, definedBy: 'user:owner-1' }) }]);
    expect((await riskAs('viewer').get(`${risks()}/${riskId}`).expect(200)).body.scheduleImpact).toEqual({ tasks: link.tasks });
    expect((await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, link).expect(200)).body.events).toEqual([]);
    expectProblem(await riskAs('member').put(`${risks()}/${riskId}/schedule-impact`, link), 403, 'RISK_OWNER_ONLY');
    expectProblem(await riskAs('viewer').put(`${risks()}/${riskId}/schedule-impact`, link), 403, 'AUTH_FORBIDDEN');
    expectProblem(await riskAs('other').put(`${risks()}/${riskId}/schedule-impact`, link), 404, 'RISK_NOT_FOUND');
    // The plan copy has the schedule: a task it does not have, or a summary task, is named.
    expectProblem(await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, { tasks: [{ taskId: 'ghost', delayDays: { min: 1, mostLikely: 2, max: 3 } }] }), 422, 'RISK_SCHEDULE_IMPACT_UNKNOWN_TASK');
    expectProblem(await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, { tasks: [{ taskId: 'phase', delayDays: { min: 1, mostLikely: 2, max: 3 } }] }), 422, 'RISK_SCHEDULE_IMPACT_UNKNOWN_TASK');
    expectProblem(await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, { tasks: [{ taskId: 'build', delayDays: { min: 5, mostLikely: 2, max: 3 } }] }), 422, 'RISK_DELAY_NOT_ORDERED');
    const twice = { tasks: [link.tasks[0], link.tasks[0]] };
    expectProblem(await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, twice), 422, 'RISK_SCHEDULE_IMPACT_DUPLICATE_TASK');
    const opportunity = (await riskAs('pm').post(risks(), { ...statement, kind: 'opportunity' }).expect(201)).body.riskId;
    expectProblem(await riskAs('pm').put(`${risks()}/${opportunity}/schedule-impact`, link), 409, 'RISK_SCHEDULE_IMPACT_NOT_A_THREAT');
    const cleared = (await riskAs('pm').post(risks(), statement).expect(201)).body.riskId;
    await riskAs('pm').put(`${risks()}/${cleared}/schedule-impact`, link).expect(200);
    expect((await riskAs('pm').put(`${risks()}/${cleared}/schedule-impact`, { tasks: [] }).expect(200)).body.events[0].data.tasks).toEqual([]);
    expect((await riskAs('pm').get(`${risks()}/${cleared}`).expect(200)).body.scheduleImpact).toEqual({ tasks: [] });
  });

  it('refuses hostile input on the route with a 4xx problem, never a 500', async () => {
    const riskId: string = (await riskAs('pm').post(risks(), statement).expect(201)).body.riskId;
    const bodies: unknown[] = [
      ...['constructor', '__proto__', 'prototype', 'a\u0000b', '\ud800', 'x'.repeat(101)].map((taskId) => ({ tasks: [{ taskId, delayDays: { min: 1, mostLikely: 2, max: 3 } }] })),
      { tasks: Array.from({ length: 51 }, (_, i) => ({ taskId: `t${i}`, delayDays: { min: 1, mostLikely: 2, max: 3 } })) },
      { tasks: Array.from({ length: 200_000 }, (_, i) => ({ taskId: `t${i}`, delayDays: { min: 1, mostLikely: 2, max: 3 } })) },
      { tasks: [{ taskId: 'build', delayDays: { min: 1, mostLikely: 2, max: 1e12 } }] },
      { tasks: [{ taskId: 'build', delayDays: { min: 1, mostLikely: 2, max: 3 }, extra: true }] },
      { tasks: [{ taskId: 'build', delayDays: { min: 'NaN', mostLikely: 2, max: 3 } }] },
      { tasks: { constructor: { delayDays: 1 } } },
      [link],
      { tasks: null },
    ];
    for (const body of bodies) {
      const res = await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    for (const encoded of ['constructor', '__proto__', 'a%00b', '%ED%A0%80']) {
      for (const path of [`${risks()}/${encoded}/schedule-impact`, `/projects/${encoded}/risks/${riskId}/schedule-impact`]) {
        const res = await riskAs('pm').put(path, link);
        expect({ path, status: res.status < 500 && res.status >= 400 }).toEqual({ path, status: true });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
    expect((await riskAs('pm').get(`${risks()}/${riskId}`).expect(200)).body.scheduleImpact).toEqual({ tasks: [] });
  }, 120_000);

  it('moves the simulated P80 finish and cost with a likely register threat (same seed), and a closed one is ignored', async () => {
    const without = await simulate({});
    const riskId: string = (await riskAs('pm').post(risks(), statement).expect(201)).body.riskId;
    await riskAs('pm')
      .post(`${risks()}/${riskId}/assessments`, { inherent: { schedule: { probability: 5, impact: 4 }, cost: { probability: 5, impact: 3 } }, costImpact: { amountMinor: 5_000_000, currency: 'EUR' } })
      .expect(200);
    await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, link).expect(200);
    // Risks linked earlier by this file: the owner's one is open and linked too; close it so only this one counts.
    const others = (await riskAs('pm').get(`${risks()}?kind=threat&limit=500`).expect(200)).body.items.filter((r: { riskId: string; status: string }) => r.riskId !== riskId && r.status !== 'closed');
    for (const other of others) await riskAs('pm').post(`${risks()}/${other.riskId}/status`, { to: 'closed', reason: 'Out of this run' }).expect(200);

    const withRisk = await simulate({ includeRegisterRisks: true, costCurrency: 'EUR' });
    expect(withRisk.registerRisks).toEqual({
      used: [{ riskId, eventId: `register:${riskId}`, probability: 0.9, tasks: 1, tasksNotInPlan: 0, cost: 50_000, costLeftOut: null }],
      skipped: [],
    });
    expect(p80(withRisk) > p80(without)).toBe(true);
    expect(costP80(withRisk)).toBeGreaterThan(costP80(without));
    expect(withRisk.riskEvents).toEqual([expect.objectContaining({ id: `register:${riskId}` })]);
    // The same run without the flag is the plan's own: the flag, not the link, brings the risk in.
    expect((await simulate({})).finish).toEqual(without.finish);
    // In another currency the risk still delays, but adds no cost (never converted).
    const usd = await simulate({ includeRegisterRisks: true, costCurrency: 'USD' });
    expect(usd.registerRisks).toMatchObject({ used: [{ riskId, cost: null, costLeftOut: 'other-currency' }] });
    expect(usd.finish).toEqual(withRisk.finish);

    await riskAs('pm').post(`${risks()}/${riskId}/status`, { to: 'closed', reason: 'Racks delivered' }).expect(200);
    const closed = await simulate({ includeRegisterRisks: true, costCurrency: 'EUR' });
    expect(closed.registerRisks).toEqual({ used: [], skipped: [] });
    expect(closed.finish).toEqual(without.finish);
    expect(closed.cost).toEqual(without.cost);
    expectProblem(await riskAs('pm').put(`${risks()}/${riskId}/schedule-impact`, link), 409, 'RISK_CLOSED');
  }, 300_000);

  it('keeps caller-named risk events working, alone or with the register’s; a caller id of the register’s form is a 400', async () => {
    const named = await simulate({ includeRiskEvents: true, riskEvents: [{ id: 'power-cut', probability: 0.5, impacts: [{ taskId: 'test', days: 5 }] }] });
    expect(named.riskEvents).toEqual([expect.objectContaining({ id: 'power-cut' })]);
    expect(named.registerRisks).toBeNull();
    const both = await simulate({ includeRegisterRisks: true, includeRiskEvents: true, riskEvents: [{ id: 'power-cut', probability: 0.5, impacts: [{ taskId: 'test', days: 5 }] }] });
    expect(both.riskEvents).toEqual([expect.objectContaining({ id: 'power-cut' })]);
    const res = await riskAs('pm').post(simulations(), { includeRegisterRisks: true, includeRiskEvents: true, riskEvents: [{ id: `register:${randomUUID()}`, probability: 0.5 }] });
    expectProblem(res, 400);
    expectProblem(await riskAs('pm').post(simulations(), { includeRegisterRisks: true, costCurrency: 'eur' }), 400);
  }, 300_000);
});
