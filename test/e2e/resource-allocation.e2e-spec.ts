import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { allocationStreamId } from '@pm/resource/domain';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ReadModelSync } from '../../libs/resource/feature/src/lib/allocation/read-model.sync';
import { startService, watchTenantEvents } from './service-harness';
import type { SeenEvent } from './service-harness';
import type { RunningService } from './service-harness';


/**
 * Planning and resource over the real broker: planning publishes task dates, the resource service keeps its
 * own copy, demand follows the plan, and pm.resource.events carries ResourceOverallocated when two tasks
 * collide on one person and OverallocationResolved when a dependency moves one of them away.
 */
describe('A task moves in planning → demand moves in resource → over-allocation appears and clears', () => {
  let planningDb: TestDatabase;
  let resourceDb: TestDatabase;
  let planning: RunningService;
  let resource: RunningService;
  let watcher: Awaited<ReturnType<typeof watchTenantEvents>> | undefined;
  let seen: SeenEvent[] = [];
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let rm: string;
  let viewer: string;
  let outsider: string;
  let projectId: string;
  let adaId: string;

  const as = (url: () => string, token: () => string) => ({
    get: (path: string) => request(url()).get(path).set('authorization', `Bearer ${token()}`),
    post: (path: string, body?: object | unknown[]) => request(url()).post(path).set('authorization', `Bearer ${token()}`).send(body as object),
  });
  const planner = as(() => planning.url, () => pm);
  const manager = as(() => resource.url, () => rm);
  const ofTenant = (type: string) => seen.filter((e) => e.type === type);

  beforeAll(async () => {
    planningDb = await createTestDatabase('e2e_res_planning');
    resourceDb = await createTestDatabase('e2e_res_resource');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: resourceDb.url, consumerGroupId: `resource-e2e-${randomBytes(4).toString('hex')}` }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    rm = await signDevToken({ tenant, roles: ['resource-manager'], sub: 'rm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });

    // An outside subscriber of pm.resource.events, as the reporting or risk service would be.
    watcher = await watchTenantEvents(['pm.resource.events'], tenant);
    seen = watcher.seen;
  }, 120_000);

  afterAll(async () => {
    await watcher?.stop();
    await resource?.close();
    await planning?.close();
    await resourceDb?.drop();
    await planningDb?.drop();
  });

  it('plans two 5-day tasks side by side in planning', async () => {
    projectId = (await planner.post('/projects', { name: 'CRM roll-out', startDate: '2025-09-01' }).expect(201)).body.projectId;
    await planner.post(`/projects/${projectId}/schedule`, {}).expect(201);
    await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId: 'design', name: 'Design', durationDays: 5 }).expect(201);
    await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId: 'build', name: 'Build', durationDays: 5 }).expect(201);
  });

  it('registers a full-time person and staffs both tasks once resource has heard of them', async () => {
    adaId = (await manager.post('/resources/people', { name: 'Ada Lovelace', role: 'Developer', department: 'IT', userId: 'ada' }).expect(201)).body.resourceId;
    const assign = (taskId: string) => manager.post('/assignments', { resourceId: adaId, projectId, taskId, load: { kind: 'units', percent: 100 } });
    // The resource service never calls planning: until the task arrives on pm.planning.events it is unknown.
    await waitFor(async () => (await assign('design')).status === 201, { timeoutMs: 90_000, intervalMs: 500, what: 'design known to resource' });
    await assign('build').expect(201);
  }, 120_000);

  it('shows the demand in the first week at twice the capacity, and publishes ResourceOverallocated', async () => {
    // Read models follow the store within moments (the xid8-safe tail waits for older transactions to settle).
    const weeks = await waitFor(
      async () => {
        const res = await manager.get(`/capacity?from=2025-09-01&to=2025-09-14&granularity=week&resourceId=${adaId}`).expect(200);
        const figures = res.body.resources[0].periods.map((p: { capacityHours: number; demandHours: number }) => [p.capacityHours, p.demandHours]);
        return figures[0][1] === 80 && figures;
      },
      { what: 'both assignments in the demand' },
    );
    expect(weeks).toEqual([[40, 80], [40, 0]]);
    const over = await waitFor(async () => ofTenant('pm.resource.ResourceOverallocated')[0], { timeoutMs: 30_000, what: 'ResourceOverallocated' });
    expect(over).toEqual({
      type: 'pm.resource.ResourceOverallocated',
      subject: allocationStreamId(tenant, adaId),
      data: expect.objectContaining({ resourceId: adaId, periods: [{ from: '2025-09-01', to: '2025-09-05', minutesOver: 2400, taskIds: ['build', 'design'] }], totalMinutesOver: 2400 }),
    });
  });

  it('proposes to level by delaying the lower-priority task, and publishes the proposal', async () => {
    const res = await manager.post('/levelling-proposals', { projectId, priorities: { design: 900, build: 100 } }).expect(201);
    expect(res.body).toMatchObject({
      projectId,
      moves: [{ projectId, taskId: 'build', fromStart: '2025-09-01', toStart: '2025-09-08', toFinish: '2025-09-12', delayDays: 5, withinFloat: false }],
      finishBefore: '2025-09-05',
      finishAfter: '2025-09-12',
      unresolved: [],
    });
    const published = await waitFor(async () => ofTenant('pm.resource.LevellingProposed')[0], { what: 'LevellingProposed' });
    expect(published.data).toMatchObject({ proposalId: res.body.proposalId, moves: res.body.moves });
  });

  it('moves build after design when planning links them, and publishes OverallocationResolved once', async () => {
    await planner.post(`/projects/${projectId}/schedule/dependencies`, { dependencyId: 'd1', predecessorId: 'design', successorId: 'build' }).expect(201);
    const resolved = await waitFor(async () => ofTenant('pm.resource.OverallocationResolved')[0], { timeoutMs: 30_000, what: 'OverallocationResolved' });
    expect(resolved.data).toMatchObject({ resourceId: adaId, stillOverallocated: false, resolvedPeriods: [expect.objectContaining({ from: '2025-09-01', to: '2025-09-05' })] });
    const weeks = await manager.get(`/capacity?from=2025-09-01&to=2025-09-14&granularity=week&resourceId=${adaId}`).expect(200);
    expect(weeks.body.resources[0].periods.map((p: { demandHours: number }) => p.demandHours)).toEqual([40, 40]);
    // Nothing else happens to the allocation: no duplicate findings for redeliveries or repeated evaluation.
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.filter((e) => e.subject === allocationStreamId(tenant, adaId)).map((e) => e.type)).toEqual(['pm.resource.ResourceOverallocated', 'pm.resource.OverallocationResolved']);
  });

  it('serves capacity as CSV and the weekly utilisation read model per department', async () => {
    const csv = await manager.get(`/capacity?from=2025-09-01&to=2025-09-14&granularity=week&format=csv&department=IT`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('resourceId,name,department,start,end,capacityHours,demandHours,remainingHours,utilisationPercent');
    expect(csv.text).toContain(`${adaId},Ada Lovelace,IT,2025-09-01,2025-09-07,40,40,0,100`);
    const team = await manager.get(`/capacity?from=2025-09-01&to=2025-09-07&granularity=month&resourceIds=${adaId},${adaId}`).expect(200);
    expect(team.body.total).toEqual([expect.objectContaining({ start: '2025-09-01', end: '2025-09-07', capacityHours: 40, demandHours: 40, utilisationPercent: 100 })]);
    await manager.get('/capacity?from=2025-09-01&to=2025-09-07&resourceIds=not-a-uuid').expect(400);
    const utilisation = await request(resource.url).get('/utilisation?by=department&from=2025-09-01&to=2025-09-14').set('authorization', `Bearer ${viewer}`).expect(200);
    expect(utilisation.body.rows).toEqual([
      { key: 'IT', weekStart: '2025-09-01', capacityMinutes: 2400, demandMinutes: 2400, utilisationPercent: 100 },
      { key: 'IT', weekStart: '2025-09-08', capacityMinutes: 2400, demandMinutes: 2400, utilisationPercent: 100 },
    ]);
  });

  it('neutralises formula-leading names and departments in the capacity CSV (OWASP CSV injection)', async () => {
    const name = '=HYPERLINK("http://evil.example","open")';
    const id = (await manager.post('/resources/people', { name, role: 'Developer', department: '@Ops' }).expect(201)).body.resourceId;
    // The pool's read model follows the resource's events: wait for the row.
    const csv = await waitFor(
      async () => {
        const res = await manager.get(`/capacity?from=2025-09-01&to=2025-09-07&granularity=week&format=csv&resourceIds=${id}`).expect(200);
        return res.text.split('\r\n').length > 2 && res;
      },
      { what: 'the new resource in the capacity CSV', timeoutMs: 20_000, intervalMs: 100 },
    );
    const [row] = csv.text.split('\r\n').slice(1);
    expect(row.startsWith(`${id},"'=HYPERLINK(""http://evil.example"",""open"")","'@Ops",2025-09-01,`)).toBe(true);
    expect(csv.text).not.toMatch(/(^|,)[=+\-@]/m);
  });

  describe('access and validation', () => {
    it('lets only a resource manager or PMO admin edit rates', async () => {
      const rate = { effectiveFrom: '2025-09-01', standardRate: { amountMinor: 8550, currency: 'EUR' } };
      const denied = await request(resource.url).post(`/resources/${adaId}/rates`).set('authorization', `Bearer ${pm}`).send(rate);
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('AUTH_FORBIDDEN');
      await manager.post(`/resources/${adaId}/rates`, rate).expect(200);
    });

    it('staffs a role placeholder with a person and keeps who held the assignment', async () => {
      const tbd = (await manager.post('/resources/generic', { name: 'Tester (TBD)', role: 'Tester' }).expect(201)).body.resourceId;
      const grace = (await manager.post('/resources/people', { name: 'Grace Hopper', role: 'Tester', department: 'QA' }).expect(201)).body.resourceId;
      const made = await manager.post('/assignments', { resourceId: tbd, projectId, taskId: 'build', load: { kind: 'work', hours: 4 } }).expect(201);
      await manager.post(`/assignments/${made.body.assignmentId}/replacement`, { resourceId: grace }).expect(200);
      const view = await request(resource.url).get(`/assignments/${made.body.assignmentId}`).set('authorization', `Bearer ${viewer}`).expect(200);
      expect(view.body.state.assignment.staffing.map((s: { resourceId: string; kind: string }) => [s.resourceId, s.kind])).toEqual([[tbd, 'generic'], [grace, 'person']]);
      await manager.post('/assignments/' + made.body.assignmentId + '/replacement', { resourceId: tbd }).expect(422);
      await request(resource.url).delete(`/assignments/${made.body.assignmentId}`).set('authorization', `Bearer ${rm}`).expect(200);
    });

    it('leaves health, metrics and the OpenAPI document open', async () => {
      await request(resource.url).get('/health/live').expect(200);
      const ready = await request(resource.url).get('/health/ready').expect(200);
      expect(Object.keys(ready.body.details)).toEqual(expect.arrayContaining(['postgres', 'kafka']));
      const docs = await request(resource.url).get('/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/resources/people', '/assignments', '/capacity', '/utilisation', '/levelling-proposals', '/timesheets']));
    });

    it('keeps tenants apart', async () => {
      const res = await request(resource.url).get(`/resources/${adaId}`).set('authorization', `Bearer ${outsider}`).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const list = await request(resource.url).get('/resources').set('authorization', `Bearer ${outsider}`).expect(200);
      expect(list.body).toEqual([]);
    });

    it('hides the rate table from a viewer', async () => {
      const res = await request(resource.url).get(`/resources/${adaId}`).set('authorization', `Bearer ${viewer}`).expect(200);
      expect(res.body.resource.name).toBe('Ada Lovelace');
      expect(res.body.resource.rates).toBeUndefined();
    });

    const bad: Array<[string, string, unknown, string]> = [
      ['a person without a name', '/resources/people', { role: 'Dev', department: 'IT' }, '/name'],
      ['availability over 100 %', '/resources/people', { name: 'x', role: 'Dev', department: 'IT', availabilityPercent: 101 }, '/availabilityPercent'],
      ['an unknown field', '/resources/people', { name: 'x', role: 'Dev', department: 'IT', salary: 1 }, ''],
      ['a rate with fractional cents', '/resources/00000000-0000-4000-8000-000000000000/rates', { effectiveFrom: '2025-09-01', standardRate: { amountMinor: 85.5, currency: 'EUR' } }, '/standardRate/amountMinor'],
      ['an assignment with both units and hours', '/assignments', { resourceId: '00000000-0000-4000-8000-000000000000', projectId: '00000000-0000-4000-8000-000000000000', taskId: 't', load: { kind: 'units', percent: 50, hours: 3 } }, '/load'],
      ['an array body', '/resources/people', [{ name: 'x' }], ''],
    ];
    it.each(bad)('rejects %s with 400 problem+json', async (_label, path, body, pointer) => {
      const res = await manager.post(path, body as object).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(pointer);
    });

    it('rejects a task planning never announced with 404 TASK_UNKNOWN', async () => {
      const res = await manager.post('/assignments', { resourceId: adaId, projectId, taskId: 'no-such-task', load: { kind: 'work', hours: 8 } }).expect(404);
      expect(res.body.code).toBe('TASK_UNKNOWN');
    });
  });

  describe('timesheets turn hours into cost at the rate in force, against the budget', () => {
    let ada: string;
    let bob: string;
    let timesheetId: string;

    beforeAll(async () => {
      ada = await signDevToken({ tenant, roles: ['team-member'], sub: 'ada' });
      bob = await signDevToken({ tenant, roles: ['team-member'], sub: 'bob' });
      const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
      // Budgets are only for projects planning announced to the tenant (ADR 0205): 404 until ProjectCreated arrives.
      await waitFor(
        async () => {
          const res = await request(resource.url)
            .put(`/projects/${projectId}/budget`)
            .set('authorization', `Bearer ${pm}`)
            .send({ categories: { labour: eur(100_000), equipment: eur(0), materials: eur(0), other: eur(0) }, contingency: eur(0), managementReserve: eur(50_000) });
          return res.status === 200 || (res.status === 404 ? false : Promise.reject(new Error(`budget: ${res.status} ${JSON.stringify(res.body)}`)));
        },
        { what: 'the project announced to the resource service', timeoutMs: 90_000, intervalMs: 250 },
      );
    }, 120_000);

    const week = (resourceId: string) => ({ resourceId, weekStart: '2025-09-01', lines: [{ date: '2025-09-01', projectId, taskId: 'design', hours: 8 }, { date: '2025-09-02', projectId, taskId: 'design', hours: 7.5, overtimeHours: 0.5 }] });

    it('a team member submits only their own week', async () => {
      const denied = await request(resource.url).post('/timesheets').set('authorization', `Bearer ${bob}`).send(week(adaId)).expect(403);
      expect(denied.body.code).toBe('NOT_YOUR_TIMESHEET');
      const res = await request(resource.url).post('/timesheets').set('authorization', `Bearer ${ada}`).send(week(adaId)).expect(201);
      timesheetId = res.body.timesheetId;
      await request(resource.url).post(`/timesheets/${timesheetId}/approval`).set('authorization', `Bearer ${ada}`).expect(403);
    });

    it('approval prices 15.5 h at 85.50 and 0.5 h overtime at the default (same) rate, and warns past the budget', async () => {
      const res = await manager.post(`/timesheets/${timesheetId}/approval`).expect(200);
      expect(res.body.events[0]).toMatchObject({ type: 'TimesheetApproved', data: { total: { amountMinor: 136800, currency: 'EUR' } } });
      const budget = await request(resource.url).get(`/projects/${projectId}/budget`).set('authorization', `Bearer ${pm}`).expect(200);
      expect(budget.body).toMatchObject({ actualToDate: { amountMinor: 136800, currency: 'EUR' }, thresholdExceeded: true });
      const cost = await waitFor(async () => ofTenant('pm.resource.CostIncurred')[0], { what: 'CostIncurred on the topic' });
      expect(cost.data).toMatchObject({ projectId, category: 'labour', amount: { amountMinor: 136800, currency: 'EUR' }, from: '2025-09-01', to: '2025-09-02' });
      const warned = await waitFor(async () => ofTenant('pm.resource.BudgetThresholdExceeded')[0], { what: 'BudgetThresholdExceeded on the topic' });
      expect(warned.data).toMatchObject({ projectId, costBaseline: { amountMinor: 100_000 }, forecastAtCompletion: { amountMinor: 136800 } });
      const again = await manager.post(`/timesheets/${timesheetId}/approval`).expect(200);
      expect(again.body.events).toEqual([]);
    });
  });

  describe('leave and skills', () => {
    it('leave in the second week over-allocates the person again, on exactly those days', async () => {
      await manager.post(`/resources/${adaId}/leave`, { from: '2025-09-08', to: '2025-09-09', reason: 'Training' }).expect(200);
      const again = await waitFor(async () => ofTenant('pm.resource.ResourceOverallocated')[1], { what: 'a second ResourceOverallocated' });
      expect(again.data).toMatchObject({ periods: [{ from: '2025-09-08', to: '2025-09-09', minutesOver: 960, taskIds: ['build'] }], totalMinutesOver: 960 });
    });

    it('finds who has a skill at a level with enough free hours', async () => {
      await manager.post(`/resources/${adaId}/skills`, { skill: 'Java', level: 4 }).expect(200);
      await manager.post(`/resources/${adaId}/skills`, { skill: '__proto__', level: 2 }).expect(200);
      // The resource as its stream tells it: skills as a JSON object, whatever they are called.
      expect((await manager.get(`/resources/${adaId}`).expect(200)).body.resource.skills).toEqual(JSON.parse('{"java": 4, "__proto__": 2}'));
      const search = (hours: number) => manager.get(`/skills/search?skill=java&minLevel=3&hours=${hours}&from=2025-09-15&to=2025-09-26`).expect(200);
      // The search reads the pool read model, which applies the skill just recorded asynchronously.
      await waitFor(async () => (await search(80)).body.length > 0, { what: 'the Java skill in the pool read model' });
      expect((await search(80)).body).toEqual([{ resourceId: adaId, name: 'Ada Lovelace', level: 4, freeMinutes: 4800, freeHours: 80 }]);
      expect((await search(81)).body).toEqual([]);
    });
  });

  it('rebuilds the pool and utilisation read models from the events to the same answers, publishing nothing new', async () => {
    const utilisation = () => request(resource.url).get('/utilisation?by=resource&from=2025-08-25&to=2025-09-28').set('authorization', `Bearer ${viewer}`).expect(200);
    const pool = () => manager.get('/resources').expect(200);
    // Everything published so far has reached the watcher (the skill recorded just before is the last).
    await waitFor(async () => ofTenant('pm.resource.SkillRecorded').length > 1, { what: 'both SkillRecorded on the topic' });
    // ...and the pool read model applied it (the topic and the read model are fed separately).
    await waitFor(async () => JSON.stringify((await pool()).body).includes('"__proto__":2'), { what: 'the last skill in the pool read model' });
    const [beforeUtilisation, beforePool, published] = [(await utilisation()).body, (await pool()).body, seen.length];
    expect(beforeUtilisation.rows.length).toBeGreaterThan(0);
    await resource.app.get(ReadModelSync).rebuild();
    expect((await utilisation()).body).toEqual(beforeUtilisation);
    expect((await pool()).body).toEqual(beforePool);
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen.slice(published).map((e) => [e.type, e.data])).toEqual([]);
  });

  it('uses the tenant default calendar for people without their own, and the tenant threshold for new budgets', async () => {
    const fourDays = { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: [] };
    await request(resource.url).put('/settings/calendar').set('authorization', `Bearer ${pm}`).send(fourDays).expect(403);
    await request(resource.url).put('/settings/calendar').set('authorization', `Bearer ${rm}`).send({ ...fourDays, workingWeekdays: [] }).expect(400);
    await request(resource.url).put('/settings/calendar').set('authorization', `Bearer ${rm}`).send(fourDays).expect(200);
    const week = await waitFor(
      async () => {
        const res = await manager.get(`/capacity?from=2025-09-15&to=2025-09-21&granularity=week&resourceId=${adaId}`).expect(200);
        return res.body.resources[0].periods[0].capacityHours === 36 && res.body.resources[0].periods[0];
      },
      { what: 'the 4 × 9 h week' },
    );
    expect(week).toMatchObject({ start: '2025-09-15', capacityHours: 36 });
    const pmo = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'pmo-1' });
    await request(resource.url).put('/settings/budget-threshold').set('authorization', `Bearer ${rm}`).send({ thresholdPercent: 90 }).expect(403);
    await request(resource.url).put('/settings/budget-threshold').set('authorization', `Bearer ${pmo}`).send({ thresholdPercent: 90 }).expect(200);
    const other = (await planner.post('/projects', { name: 'Data warehouse', startDate: '2025-10-01' }).expect(201)).body.projectId;
    const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
    const body = { categories: { labour: eur(1000), equipment: eur(0), materials: eur(0), other: eur(0) }, contingency: eur(0), managementReserve: eur(0) };
    await waitFor(async () => (await request(resource.url).get('/settings').set('authorization', `Bearer ${viewer}`)).body.settings.thresholdPercent === 90, { what: 'threshold set' });
    const set = await waitFor(
      async () => {
        // 404 until planning's ProjectCreated for the new project reaches the resource service.
        const res = await request(resource.url).put(`/projects/${other}/budget`).set('authorization', `Bearer ${pmo}`).send(body);
        if (res.status === 404) return false;
        expect(res.status).toBe(200);
        return res.body.events[0]?.data.thresholdPercent === 90 && res.body;
      },
      { what: 'the tenant threshold applied to a new budget' },
    );
    expect(set.events[0].data).toMatchObject({ projectId: other, thresholdPercent: 90 });
    const theirs = await request(resource.url).get('/settings').set('authorization', `Bearer ${outsider}`).expect(200);
    expect(theirs.body.settings).toEqual({ calendar: null, thresholdPercent: null });
  });
});
