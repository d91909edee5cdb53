import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { eventsMatchTheirContracts } from './planning-contract-check';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * The schedule API over HTTP against a real database: the plan, the critical-path recalculation it
 * publishes, the read models, validation and access. A small textbook network, on Mon–Fri:
 * design (5 d) → build (10 d) → go-live (milestone), design → test (3 d) → go-live.
 */
describe('Planning schedule API', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let viewer: string;
  let member: string;
  let outsider: string;
  let projectId: string;

  // Every event a response reports must be valid against its public contract: that is what the relay publishes.
  const as = (token: string) => ({
    get: (path: string) => request(planning.url).get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body?: object) => request(planning.url).post(path).set('authorization', `Bearer ${token}`).send(body).expect(eventsMatchTheirContracts),
    put: (path: string, body?: object) => request(planning.url).put(path).set('authorization', `Bearer ${token}`).send(body).expect(eventsMatchTheirContracts),
    patch: (path: string, body?: object) => request(planning.url).patch(path).set('authorization', `Bearer ${token}`).send(body).expect(eventsMatchTheirContracts),
    delete: (path: string) => request(planning.url).delete(path).set('authorization', `Bearer ${token}`).expect(eventsMatchTheirContracts),
  });
  const schedulePath = () => `/projects/${projectId}/schedule`;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_schedule');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    member = await signDevToken({ tenant, roles: ['team-member'], sub: 'member-1' });
    outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });
    const created = await as(pm).post('/projects', { name: 'CRM roll-out', startDate: '2025-09-01' }).expect(201);
    projectId = created.body.projectId;
  }, 120_000);

  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  it('opens the schedule on the project start date', async () => {
    const res = await as(pm).post(schedulePath(), {}).expect(201);
    expect(res.body.changes).toEqual([expect.objectContaining({ type: 'ScheduleOpened', data: expect.objectContaining({ projectStart: '2025-09-01' }) })]);
    const again = await as(pm).post(schedulePath(), { projectStart: '2025-10-01' }).expect(409);
    expect(again.body.code).toBe('SCHEDULE_ALREADY_OPEN');
    // The same request again changes nothing (the stored calendar comes back from JSONB with its keys reordered).
    expect((await as(pm).post(schedulePath(), {}).expect(201)).body.changes).toEqual([]);
  });

  it('builds the WBS and publishes what the critical path moved, in the same append', async () => {
    await as(pm).post(`${schedulePath()}/tasks`, { taskId: 'phase-1', name: 'Delivery', kind: 'summary' }).expect(201);
    const design = await as(pm).post(`${schedulePath()}/tasks`, { taskId: 'design', name: 'Design', parentId: 'phase-1', durationDays: 5, costBudget: 5000 }).expect(201);
    expect(design.body.calculation.map((e: { type: string }) => e.type)).toEqual(['TaskScheduleChanged', 'ProjectScheduleCalculated']);
    expect(design.body.calculation[0].data).toMatchObject({ taskId: 'design', start: '2025-09-01', finish: '2025-09-05', durationDays: 5, critical: true, previousStart: null });
    await as(pm).post(`${schedulePath()}/tasks`, { taskId: 'build', name: 'Build', parentId: 'phase-1', durationDays: 10, costBudget: 20000 }).expect(201);
    await as(pm).post(`${schedulePath()}/tasks`, { taskId: 'test', name: 'Test', parentId: 'phase-1', durationDays: 3, costBudget: 3000 }).expect(201);
    await as(pm).post(`${schedulePath()}/tasks`, { taskId: 'go-live', name: 'Go-live', kind: 'milestone' }).expect(201);

    const link = await as(pm).post(`${schedulePath()}/dependencies`, { dependencyId: 'd1', predecessorId: 'design', successorId: 'build' }).expect(201);
    const moved = link.body.calculation.filter((e: { type: string }) => e.type === 'TaskScheduleChanged').map((e: { data: { taskId: string } }) => e.data.taskId);
    // Build moves after design; test and the unlinked go-live gain float as the project finish moves out.
    expect(moved.sort()).toEqual(['build', 'design', 'go-live', 'test']);
    const build = link.body.calculation.find((e: { data: { taskId?: string } }) => e.data.taskId === 'build').data;
    expect(build).toMatchObject({ start: '2025-09-08', finish: '2025-09-19', previousStart: '2025-09-01', previousFinish: '2025-09-12', durationDays: 10 });

    await as(pm).post(`${schedulePath()}/dependencies`, { dependencyId: 'd2', predecessorId: 'design', successorId: 'test' }).expect(201);
    await as(pm).post(`${schedulePath()}/dependencies`, { dependencyId: 'd3', predecessorId: 'build', successorId: 'go-live' }).expect(201);
    const last = await as(pm).post(`${schedulePath()}/dependencies`, { dependencyId: 'd4', predecessorId: 'test', successorId: 'go-live' }).expect(201);
    expect(last.body.changes).toHaveLength(1);
    // Adding a non-driving link moves nothing: no TaskScheduleChanged, no ProjectScheduleCalculated.
    expect(last.body.calculation).toEqual([]);
  });

  it('rejects a link that closes a cycle with a problem naming the cycle', async () => {
    const res = await as(pm).post(`${schedulePath()}/dependencies`, { predecessorId: 'go-live', successorId: 'design' }).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'DEPENDENCY_CYCLE', details: { cycle: expect.arrayContaining(['design', 'build', 'go-live']) } });
  });

  it('lets only one of two concurrent links that together close a cycle through', async () => {
    await as(pm).post(`${schedulePath()}/tasks`, { taskId: 'x', name: 'X', durationDays: 1 }).expect(201);
    await as(pm).post(`${schedulePath()}/tasks`, { taskId: 'y', name: 'Y', durationDays: 1 }).expect(201);
    const [xy, yx] = await Promise.all([
      as(pm).post(`${schedulePath()}/dependencies`, { predecessorId: 'x', successorId: 'y' }),
      as(pm).post(`${schedulePath()}/dependencies`, { predecessorId: 'y', successorId: 'x' }),
    ]);
    expect([xy.status, yx.status].sort()).toEqual([201, 409]);
    expect([xy, yx].find((r) => r.status === 409)?.body.code).toBe('DEPENDENCY_CYCLE');
    await as(pm).delete(`${schedulePath()}/tasks/x`).expect(200);
    await as(pm).delete(`${schedulePath()}/tasks/y`).expect(200);
  });

  it('serves the schedule read model with WBS codes, dates and floats', async () => {
    const res = await as(viewer).get(schedulePath()).expect(200);
    expect(res.body).toMatchObject({ projectId, projectStart: '2025-09-01', projectFinish: '2025-09-19', criticalPaths: [['design', 'build', 'go-live']] });
    const byId = Object.fromEntries(res.body.tasks.map((t: { taskId: string }) => [t.taskId, t]));
    expect(res.body.tasks.map((t: { taskId: string; wbsCode: string }) => `${t.wbsCode} ${t.taskId}`)).toEqual([
      '1 phase-1',
      '1.1 design',
      '1.2 build',
      '1.3 test',
      '2 go-live',
    ]);
    expect(byId['test']).toMatchObject({
      start: '2025-09-08',
      finish: '2025-09-10',
      earlyStart: '2025-09-08',
      earlyFinish: '2025-09-10',
      lateStart: '2025-09-17',
      lateFinish: '2025-09-19',
      totalFloat: 7,
      freeFloat: 7,
      critical: false,
    });
    expect(byId['go-live']).toMatchObject({ start: '2025-09-19', finish: '2025-09-19', totalFloat: 0, critical: true, durationDays: 0 });
    expect(byId['phase-1']).toMatchObject({ start: '2025-09-01', finish: '2025-09-19', durationDays: 15, critical: true });
    // Summaries roll up cost and work from their work packages (5,000 + 20,000 + 3,000; no work estimated yet).
    expect(byId['phase-1']).toMatchObject({ costBudget: 28000, workHours: null, actualCost: 0, percentComplete: 0 });
    expect(byId['build']).toMatchObject({ costBudget: 20000, workHours: null });
    await as(member).get(schedulePath()).expect(200);
  });

  it('re-estimates in one request and moves the successors', async () => {
    const res = await as(pm).patch(`${schedulePath()}/tasks/build`, { name: 'Build and integrate', durationDays: 12, workHours: 96 }).expect(200);
    expect(res.body.changes.map((e: { type: string }) => e.type)).toEqual(['TaskRenamed', 'TaskDurationEstimated', 'TaskWorkPlanned']);
    const moved = res.body.calculation.filter((e: { type: string }) => e.type === 'TaskScheduleChanged').map((e: { data: { taskId: string } }) => e.data.taskId);
    expect(moved.sort()).toEqual(['build', 'go-live', 'test']);
    const project = res.body.calculation.find((e: { type: string }) => e.type === 'ProjectScheduleCalculated').data;
    expect(project).toMatchObject({ projectFinish: '2025-09-23', tasksChanged: 3, criticalPath: ['design', 'build', 'go-live'] });
  });

  it('saves a baseline, records progress and reports earned value and variance', async () => {
    await as(pm).put(`${schedulePath()}/baselines/0`).expect(200);
    const again = await as(pm).put(`${schedulePath()}/baselines/0`, {}).expect(200);
    expect(again.body.changes).toEqual([]);
    await as(pm).post(`${schedulePath()}/tasks/design/finish`, { actualStart: '2025-09-01', actualFinish: '2025-09-09' }).expect(200);
    await as(pm).post(`${schedulePath()}/tasks/design/actual-cost`, { actualCost: 6000, asOf: '2025-09-09' }).expect(200);

    const evm = await as(viewer).get(`/projects/${projectId}/evm?statusDate=2025-09-05`).expect(200);
    const design = evm.body.tasks.find((t: { taskId: string }) => t.taskId === 'design');
    expect(design).toMatchObject({ wbsCode: '1.1', bac: 5000, pv: 5000, ev: 5000, ac: 6000, sv: 0, cv: -1000, spi: 1 });
    expect(design.cpi).toBeCloseTo(5000 / 6000);
    expect(design.eac.atCurrentCpi).toBeCloseTo(6000);
    expect(evm.body.project).toMatchObject({ bac: 28000, ev: 5000, ac: 6000 });

    const variance = await as(viewer).get(`${schedulePath()}/variance?baseline=0`).expect(200);
    const build = variance.body.tasks.find((t: { taskId: string }) => t.taskId === 'build');
    // Design finished two working days late and pushed build by two days.
    expect(build).toMatchObject({ start: { baseline: '2025-09-08', current: '2025-09-10', variance: 2 } });
    expect(variance.body.project.finish.variance).toBe(2);
  });

  describe('calendar, logic and WBS edits on a second plan', () => {
    let planId: string;
    const path = () => `/projects/${planId}/schedule`;
    const taskOf = async (taskId: string) => (await as(viewer).get(path()).expect(200)).body.tasks.find((t: { taskId: string }) => t.taskId === taskId);

    beforeAll(async () => {
      planId = (await as(pm).post('/projects', { name: 'Office move' }).expect(201)).body.projectId;
      await as(pm).post(path(), { projectStart: '2025-12-22' }).expect(201);
      await as(pm).post(`${path()}/tasks`, { taskId: 'pack', name: 'Pack', durationDays: 3 }).expect(201);
      await as(pm).post(`${path()}/tasks`, { taskId: 'move', name: 'Move', durationDays: 2 }).expect(201);
    });

    it('a project without a start date needs one to open its schedule', async () => {
      const bare = (await as(pm).post('/projects', { name: 'No date' }).expect(201)).body.projectId;
      expect((await as(pm).post(`/projects/${bare}/schedule`, {}).expect(422)).body.code).toBe('PROJECT_START_REQUIRED');
    });

    it('schedules on the working calendar: holidays push work out, a worked Saturday pulls it in', async () => {
      expect(await taskOf('pack')).toMatchObject({ start: '2025-12-22', finish: '2025-12-24' });
      const holiday = await as(pm).post(`${path()}/calendar/holidays`, { date: '2025-12-23', name: 'Office closed' }).expect(201);
      expect(holiday.body.calculation.find((e: { data: { taskId?: string } }) => e.data.taskId === 'pack').data).toMatchObject({ finish: '2025-12-25' });
      await as(pm).put(`${path()}/calendar`, {
        calendarId: 'uk',
        name: 'UK',
        workingWeekdays: [1, 2, 3, 4, 5],
        hoursPerDay: 7.5,
        holidays: [{ date: '2025-12-25', name: 'Christmas Day' }, { date: '2025-12-26', name: 'Boxing Day' }],
      }).expect(200);
      expect(await taskOf('pack')).toMatchObject({ start: '2025-12-22', finish: '2025-12-24' });
      await as(pm).post(`${path()}/calendar/exceptions`, { date: '2025-12-27', working: true, hours: 4, reason: 'Weekend move' }).expect(201);
      await as(pm).post(`${path()}/dependencies`, { dependencyId: 'pm', predecessorId: 'pack', successorId: 'move' }).expect(201);
      // Pack ends Wed 24; 25 and 26 are holidays; Saturday 27 is worked: move runs Sat 27 – Mon 29.
      expect(await taskOf('move')).toMatchObject({ start: '2025-12-27', finish: '2025-12-29' });
    });

    it('honours SS/FF links with lag, lag changes, unlinking and constraints', async () => {
      await as(pm).patch(`${path()}/dependencies/pm`, { lagDays: 1 }).expect(200);
      expect(await taskOf('move')).toMatchObject({ start: '2025-12-29' });
      await as(pm).delete(`${path()}/dependencies/pm`).expect(200);
      await as(pm).post(`${path()}/dependencies`, { dependencyId: 'ss', predecessorId: 'pack', successorId: 'move', type: 'SS', lagDays: 2 }).expect(201);
      expect(await taskOf('move')).toMatchObject({ start: '2025-12-24' });
      await as(pm).patch(`${path()}/tasks/move`, { constraint: { type: 'SNET', date: '2026-01-05' }, threePoint: { optimisticDays: 1, mostLikelyDays: 2, pessimisticDays: 6 } }).expect(200);
      expect(await taskOf('move')).toMatchObject({ start: '2026-01-05', finish: '2026-01-06', constraint: { type: 'SNET', date: '2026-01-05' } });
      const ff = await as(pm).post(`${path()}/dependencies`, { predecessorId: 'move', successorId: 'pack', type: 'FF' }).expect(409);
      expect(ff.body.details.cycle).toEqual(['move', 'pack']);
    });

    it('moves and removes WBS items, renumbering the codes', async () => {
      await as(pm).post(`${path()}/tasks`, { taskId: 'phase', name: 'Logistics', kind: 'summary', position: 0 }).expect(201);
      await as(pm).post(`${path()}/tasks/move/move`, { parentId: 'phase' }).expect(200);
      await as(pm).post(`${path()}/tasks/pack/move`, { parentId: 'phase', position: 0 }).expect(200);
      const codes = (await as(viewer).get(path()).expect(200)).body.tasks.map((t: { wbsCode: string; taskId: string }) => `${t.wbsCode} ${t.taskId}`);
      expect(codes).toEqual(['1 phase', '1.1 pack', '1.2 move']);
      const removed = await as(pm).delete(`${path()}/tasks/move`).expect(200);
      expect(removed.body.calculation.map((e: { type: string }) => e.type)).toContain('TaskUnscheduled');
      expect((await as(viewer).get(path()).expect(200)).body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(['phase', 'pack']);
    });
  });

  describe('bad input gets a 4xx problem+json, never a 500', () => {
    const cases: Array<[string, string, string, object | undefined, number]> = [
      ['a task without a name', 'post', '/tasks', { kind: 'task' }, 400],
      ['an unknown task kind', 'post', '/tasks', { name: 'x', kind: 'epic' }, 400],
      ['a negative duration', 'post', '/tasks', { name: 'x', durationDays: -1 }, 400],
      ['an unknown field', 'post', '/tasks', { name: 'x', colour: 'red' }, 400],
      ['a task id with spaces', 'post', '/tasks', { taskId: 'a b', name: 'x' }, 400],
      ['a milestone with a duration', 'post', '/tasks', { name: 'x', kind: 'milestone', durationDays: 2 }, 422],
      ['a parent that does not exist', 'post', '/tasks', { name: 'x', parentId: 'nope' }, 404],
      ['an empty patch', 'patch', '/tasks/build', {}, 400],
      ['an unordered three-point estimate', 'patch', '/tasks/build', { threePoint: { optimisticDays: 5, mostLikelyDays: 3, pessimisticDays: 9 } }, 400],
      ['a dated ASAP constraint', 'patch', '/tasks/build', { constraint: { type: 'ASAP', date: '2025-09-01' } }, 400],
      ['an undated SNET constraint', 'patch', '/tasks/build', { constraint: { type: 'SNET' } }, 400],
      ['a summary duration', 'patch', '/tasks/phase-1', { durationDays: 3 }, 422],
      ['an unknown link type', 'post', '/dependencies', { predecessorId: 'design', successorId: 'test', type: 'XX' }, 400],
      ['a self link', 'post', '/dependencies', { predecessorId: 'design', successorId: 'design' }, 400],
      ['a link to an unknown task', 'post', '/dependencies', { predecessorId: 'design', successorId: 'ghost' }, 404],
      ['a lag beyond the limit', 'post', '/dependencies', { predecessorId: 'design', successorId: 'test', lagDays: 20000 }, 400],
      ['a duplicate link', 'post', '/dependencies', { predecessorId: 'design', successorId: 'build' }, 409],
      ['progress of 150 %', 'post', '/tasks/test/progress', { percentComplete: 150, asOf: '2025-09-10' }, 400],
      ['progress on an impossible date', 'post', '/tasks/test/progress', { percentComplete: 10, asOf: '2025-02-30' }, 400],
      ['a calendar without working days', 'put', '/calendar', { calendarId: 'c', name: 'c', workingWeekdays: [], hoursPerDay: 8 }, 400],
      ['a calendar with 25 hours a day', 'put', '/calendar', { calendarId: 'c', name: 'c', workingWeekdays: [1], hoursPerDay: 25 }, 400],
      ['baseline 11', 'put', '/baselines/11', {}, 400],
      ['overwriting a baseline without saying so', 'put', '/baselines/0', {}, 409],
      ['a move under a work package', 'post', '/tasks/test/move', { parentId: 'build' }, 422],
    ];
    it.each(cases)('rejects %s', async (_label, method, path, body, status) => {
      if (_label === 'overwriting a baseline without saying so') await as(pm).patch(`${schedulePath()}/tasks/test`, { durationDays: 4 }).expect(200);
      const call = as(pm)[method as 'post'](`${schedulePath()}${path}`, body);
      const res = await call.expect(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.status).toBe(status);
    });

    it('rejects a bad status date and a missing one on the EVM query', async () => {
      await as(pm).get(`/projects/${projectId}/evm?statusDate=yesterday`).expect(400);
      await as(pm).get(`/projects/${projectId}/evm`).expect(400);
      const none = await as(pm).get(`/projects/${projectId}/evm?statusDate=2025-09-05&baseline=3`).expect(404);
      expect(none.body.code).toBe('BASELINE_NOT_FOUND');
    });
  });

  describe('access', () => {
    it('a viewer and a team member cannot change the plan', async () => {
      for (const token of [viewer, member]) {
        const res = await as(token).post(`${schedulePath()}/tasks`, { name: 'Sneaky' }).expect(403);
        expect(res.body.code).toBe('AUTH_FORBIDDEN');
        await as(token).post(`${schedulePath()}/dependencies`, { predecessorId: 'design', successorId: 'test' }).expect(403);
        await as(token).put(`${schedulePath()}/baselines/1`, {}).expect(403);
      }
    });

    it('another tenant gets 404 for reading and for changing', async () => {
      for (const path of [schedulePath(), `${schedulePath()}/variance`, `/projects/${projectId}/evm?statusDate=2025-09-05`]) {
        const res = await as(outsider).get(path).expect(404);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      await as(outsider).post(`${schedulePath()}/tasks`, { name: 'Mine' }).expect(404);
      await as(outsider).post(schedulePath(), { projectStart: '2025-09-01' }).expect(404);
      await as(outsider).delete(`${schedulePath()}/tasks/build`).expect(404);
    });
  });
});
