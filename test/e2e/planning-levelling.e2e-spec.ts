import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService, watchTenantEvents } from './service-harness';
import type { SeenEvent } from './service-harness';
import type { RunningService } from './service-harness';


const hex = () => randomBytes(4).toString('hex');

/**
 * Levelling end to end over the real broker (ADR 0107): two parallel tasks on one person → the resource service
 * finds the over-allocation and proposes to delay one → planning keeps the proposal → a project manager accepts it →
 * the schedule moves (TaskScheduleChanged) → the resource service sees the moved task and the over-allocation clears.
 */
describe('Levelling: proposed by resource, accepted in planning', () => {
  let planningDb: TestDatabase;
  let resourceDb: TestDatabase;
  let planning: RunningService;
  let resource: RunningService;
  let watcher: Awaited<ReturnType<typeof watchTenantEvents>> | undefined;
  let seen: SeenEvent[] = [];
  const tenant = `tenant-${hex()}`;
  let pm: string;
  let rm: string;
  let viewer: string;
  let outsider: string;
  let projectId: string;
  let adaId: string;
  let proposalId: string;

  const as = (url: () => string, token: () => string) => ({
    get: (path: string) => request(url()).get(path).set('authorization', `Bearer ${token()}`),
    post: (path: string, body?: object) => request(url()).post(path).set('authorization', `Bearer ${token()}`).send(body),
    patch: (path: string, body: object) => request(url()).patch(path).set('authorization', `Bearer ${token()}`).send(body),
  });
  const planner = as(() => planning.url, () => pm);
  const manager = as(() => resource.url, () => rm);
  const ofType = (type: string) => seen.filter((e) => e.type === type);
  const proposals = () => `/projects/${projectId}/levelling-proposals`;

  beforeAll(async () => {
    planningDb = await createTestDatabase('e2e_levelling_planning');
    resourceDb = await createTestDatabase('e2e_levelling_resource');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url, consumerGroupId: `planning-levelling-e2e-${hex()}` }));
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: resourceDb.url, consumerGroupId: `resource-levelling-e2e-${hex()}` }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    rm = await signDevToken({ tenant, roles: ['resource-manager'], sub: 'rm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });

    watcher = await watchTenantEvents(['pm.resource.events', 'pm.planning.events'], tenant);
    seen = watcher.seen;
  }, 120_000);

  afterAll(async () => {
    await watcher?.stop();
    await resource?.close();
    await planning?.close();
    await resourceDb?.drop();
    await planningDb?.drop();
  });

  it('plans two parallel 5-day tasks and staffs both with one full-time person', async () => {
    projectId = (await planner.post('/projects', { name: 'Levelled roll-out', startDate: '2025-09-01' }).expect(201)).body.projectId;
    await planner.post(`/projects/${projectId}/schedule`, {}).expect(201);
    await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId: 'design', name: 'Design', durationDays: 5 }).expect(201);
    await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId: 'build', name: 'Build', durationDays: 5 }).expect(201);
    adaId = (await manager.post('/resources/people', { name: 'Ada Lovelace', role: 'Developer', department: 'IT' }).expect(201)).body.resourceId;
    const assign = (taskId: string) => manager.post('/assignments', { resourceId: adaId, projectId, taskId, load: { kind: 'units', percent: 100 } });
    await waitFor(async () => (await assign('design')).status === 201, { timeoutMs: 90_000, intervalMs: 500, what: 'design known to resource' });
    await assign('build').expect(201);
    await waitFor(async () => ofType('pm.resource.ResourceOverallocated')[0], { timeoutMs: 30_000, what: 'ResourceOverallocated' });
  }, 150_000);

  it('lists the levelling proposal the resource service published, with each move still applying', async () => {
    proposalId = (await manager.post('/levelling-proposals', { projectId, priorities: { design: 900, build: 100 } }).expect(201)).body.proposalId;
    const listed = await waitFor(async () => (await planner.get(proposals()).expect(200)).body.proposals.find((p: { proposalId: string }) => p.proposalId === proposalId), {
      timeoutMs: 30_000,
      what: 'proposal kept by planning',
    });
    expect(listed).toMatchObject({
      projectId,
      portfolio: false,
      status: 'proposed',
      stillApplies: true,
      moves: [{ projectId, taskId: 'build', fromStart: '2025-09-01', toStart: '2025-09-08', toFinish: '2025-09-12', delayDays: 5, currentStart: '2025-09-01', stillApplies: true, staleReason: null }],
      finishBefore: '2025-09-05',
      finishAfter: '2025-09-12',
      unresolved: [],
    });
    const one = await request(planning.url).get(`${proposals()}/${proposalId}`).set('authorization', `Bearer ${viewer}`).expect(200);
    expect(one.body).toEqual(listed);
  });

  it('hides it from another tenant and lets only a PMO admin or project manager decide', async () => {
    const other = await request(planning.url).get(`${proposals()}/${proposalId}`).set('authorization', `Bearer ${outsider}`).expect(404);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(planning.url).post(`${proposals()}/${proposalId}/accept`).set('authorization', `Bearer ${outsider}`).send({}).expect(404);
    await request(planning.url).post(`${proposals()}/${proposalId}/accept`).set('authorization', `Bearer ${viewer}`).send({}).expect(403);
    await request(planning.url).post(`${proposals()}/${proposalId}/accept`).set('authorization', `Bearer ${rm}`).send({}).expect(403);
    await planner.post(`${proposals()}/00000000-0000-4000-8000-000000000000/accept`, {}).expect(404);
  });

  it('refuses the whole proposal, naming the task, once the plan has moved, and applies nothing', async () => {
    const nudge = () => planner.patch(`/projects/${projectId}/schedule/tasks/build`, { constraint: { type: 'SNET', date: '2025-09-02' } }).expect(200);
    const before = (await nudge()).headers['etag'];
    const stale = await planner.post(`${proposals()}/${proposalId}/accept`, {}).expect(409);
    expect(stale.body).toMatchObject({ code: 'LEVELLING_PROPOSAL_STALE', details: { tasks: ['build'], stale: [{ taskId: 'build', reason: 'start-moved', currentStart: '2025-09-02' }] } });
    // The same change again is a no-op answered with the stream version: nothing was appended by the refusal.
    expect((await nudge()).headers['etag']).toBe(before);
    expect((await planner.get(`${proposals()}/${proposalId}`).expect(200)).body).toMatchObject({ status: 'proposed', stillApplies: false });
    // Back where the proposal saw it: it applies again.
    await planner.patch(`/projects/${projectId}/schedule/tasks/build`, { constraint: { type: 'ASAP' } }).expect(200);
  });

  it('accepts it: one append with the constraint, the acceptance and the recalculated dates', async () => {
    const res = await planner.post(`${proposals()}/${proposalId}/accept`, {}).expect(200);
    expect(res.body.changes).toEqual([
      { type: 'TaskConstrained', data: { projectId, taskId: 'build', constraint: { type: 'SNET', date: '2025-09-08' } } },
      {
        type: 'LevellingProposalAccepted',
        data: { projectId, proposalId, moves: [{ taskId: 'build', fromStart: '2025-09-01', toStart: '2025-09-08', previousConstraint: { type: 'ASAP', date: null } }], acceptedBy: 'user:pm-1', acceptedAt: expect.any(String) },
      },
    ]);
    expect(res.body.calculation).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'TaskScheduleChanged', data: expect.objectContaining({ taskId: 'build', start: '2025-09-08', finish: '2025-09-12', previousStart: '2025-09-01' }) })]));
    const moved = await waitFor(async () => ofType('pm.planning.TaskScheduleChanged').find((e) => e.data['taskId'] === 'build' && e.data['start'] === '2025-09-08'), { timeoutMs: 30_000, what: 'TaskScheduleChanged on the broker' });
    expect(moved.data).toMatchObject({ finish: '2025-09-12' });
    await waitFor(async () => ofType('pm.planning.LevellingProposalAccepted')[0], { timeoutMs: 30_000, what: 'LevellingProposalAccepted on the broker' });
    expect((await planner.get(`${proposals()}/${proposalId}`).expect(200)).body).toMatchObject({ status: 'accepted', moves: [{ currentStart: '2025-09-08' }] });
  });

  it('lets the resource service see the moved task: the over-allocation clears', async () => {
    const resolved = await waitFor(async () => ofType('pm.resource.OverallocationResolved')[0], { timeoutMs: 30_000, what: 'OverallocationResolved' });
    // The period resolved is the one resource last recorded: 1–5 September, or 2–5 when it evaluated the stale-proposal
    // nudge above (build SNET 2 September) but had not yet re-evaluated its undo when the acceptance moved build
    // (its syncs coalesce). Either way the over-allocation of that week clears.
    expect(resolved.data).toMatchObject({ resourceId: adaId, stillOverallocated: false, resolvedPeriods: [expect.objectContaining({ from: expect.stringMatching(/^2025-09-0[12]$/), to: '2025-09-05' })] });
  });

  it('treats accepting again as a no-op and refuses to reject an accepted proposal', async () => {
    const again = await planner.post(`${proposals()}/${proposalId}/accept`, {}).expect(200);
    expect(again.body).toMatchObject({ changes: [], calculation: [] });
    await planner.post(`${proposals()}/${proposalId}/reject`, { reason: 'Too late' }).expect(409);
    await new Promise((r) => setTimeout(r, 1000));
    expect(ofType('pm.planning.LevellingProposalAccepted')).toHaveLength(1);
  });

  it('records a rejection of a later proposal without moving the plan', async () => {
    const later = (await manager.post('/levelling-proposals', { projectId }).expect(201)).body.proposalId;
    await waitFor(async () => (await planner.get(`${proposals()}/${later}`)).status === 200, { timeoutMs: 30_000, what: 'second proposal kept by planning' });
    const res = await planner.post(`${proposals()}/${later}/reject`, { reason: 'Not now' }).expect(200);
    expect(res.body).toMatchObject({ changes: [{ type: 'LevellingProposalRejected', data: { proposalId: later, reason: 'Not now', rejectedBy: 'user:pm-1' } }], calculation: [] });
    expect((await planner.get(proposals()).expect(200)).body.proposals.map((p: { proposalId: string; status: string }) => [p.proposalId, p.status])).toEqual(
      expect.arrayContaining([[proposalId, 'accepted'], [later, 'rejected']]),
    );
    await planner.post(`${proposals()}/${later}/reject`, { reason: 'Not now' }).expect(200);
    await planner.post(`${proposals()}/${later}/accept`, {}).expect(409);
  });
});
