// First: the services below read the topic names when they load (own-topics renames them for this file).
import { ownTopics } from './own-topics';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ownConsumerGroups, startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * Planning, resource, risk and reporting over the real broker: a person booked twice in one week is over-allocated in
 * the resource service, which publishes ResourceUtilisationChanged, and a risk assessed in the risk service lands in its
 * cell; reporting's heat maps show the same figures, from the events only (ADR 0502).
 */
describe('Commands in planning, resource and risk → the heat maps in reporting', () => {
  const dbs: TestDatabase[] = [];
  let planning: RunningService;
  let resource: RunningService;
  let reporting: RunningService;
  let risk: RunningService;
  let projectId: string;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let rm: string;
  let viewer: string;
  let outsider: string;
  let topics: { remove(): Promise<void> } | undefined;

  const as = (url: () => string, token: () => string) => ({
    get: (path: string) => request(url()).get(path).set('authorization', `Bearer ${token()}`),
    post: (path: string, body?: object) => request(url()).post(path).set('authorization', `Bearer ${token()}`).send(body),
  });
  const planner = as(() => planning.url, () => pm);
  const manager = as(() => resource.url, () => rm);
  const reader = as(() => reporting.url, () => viewer);

  beforeAll(async () => {
    // Topics of its own: on the shared ones every earlier spec's history is read from offset 0 by these fresh groups
    // before this spec's events (fresh-clone CI: resource had not learnt of the task 'design' after 90 s).
    topics = await ownTopics();
    const [planningDb, resourceDb, reportingDb, riskDb] = await Promise.all(['planning', 'resource', 'reporting', 'risk'].map((s) => createTestDatabase(`e2e_hm_${s}`)));
    dbs.push(planningDb, resourceDb, reportingDb, riskDb);
    const suffix = randomBytes(4).toString('hex');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: resourceDb.url, consumerGroupId: `resource-e2e-${suffix}` }));
    risk = await startService('risk-service', RiskApp.register({ pgUrl: riskDb.url, schedulerPollMs: 3_600_000, ...ownConsumerGroups('risk') }));
    reporting = await startService('reporting-service', ReportingApp.register({ pgUrl: reportingDb.url, consumerGroupId: `reporting-e2e-${suffix}` }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    rm = await signDevToken({ tenant, roles: ['resource-manager'], sub: 'rm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });
  }, 120_000);

  afterAll(async () => {
    await reporting?.close();
    await risk?.close();
    await resource?.close();
    await planning?.close();
    await Promise.all(dbs.map((db) => db.drop()));
    await topics?.remove();
  });

  it('shows Ada booked twice in her first week: 40 h capacity, 80 h demand, 200 %, over-allocated', async () => {
    projectId = (await planner.post('/projects', { name: 'CRM roll-out', startDate: '2025-09-01' }).expect(201)).body.projectId;
    await planner.post(`/projects/${projectId}/schedule`, {}).expect(201);
    await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId: 'design', name: 'Design', durationDays: 5 }).expect(201);
    await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId: 'build', name: 'Build', durationDays: 5 }).expect(201);
    const adaId = (await manager.post('/resources/people', { name: 'Ada Lovelace', role: 'Developer', department: 'IT', userId: 'ada' }).expect(201)).body.resourceId;
    const assign = (taskId: string) => manager.post('/assignments', { resourceId: adaId, projectId, taskId, load: { kind: 'units', percent: 100 } });
    await waitFor(async () => (await assign('design')).status === 201, { timeoutMs: 90_000, intervalMs: 500, what: 'design known to resource' });
    await assign('build').expect(201);

    const path = '/portfolio/utilisation-heat-map?by=resource&interval=week&from=2025-09-01&to=2025-09-14';
    const map = await waitFor(
      async () => {
        const body = (await reader.get(path).expect(200)).body;
        return body.rows[0]?.cells[0]?.demandHours === 80 && body;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'both assignments in the heat map' },
    );
    expect(map.rows).toEqual([
      {
        key: adaId, name: 'Ada Lovelace', kind: 'person', role: 'Developer', department: 'IT',
        cells: [{ periodStart: '2025-09-01', capacityHours: 40, demandHours: 80, utilisationPercent: 200, overAllocated: true, resources: 1, overAllocatedResources: 1 }],
      },
    ]);
    // The resource service's own read model says the same (reporting redid no calendar arithmetic).
    const own = (await manager.get('/utilisation?by=resource&from=2025-09-01&to=2025-09-14').expect(200)).body.rows;
    expect(own.map((r: { weekStart: string; capacityMinutes: number; demandMinutes: number }) => [r.weekStart, r.capacityMinutes / 60, r.demandMinutes / 60])).toEqual([['2025-09-01', 40, 80]]);
    expect(map.currentTo).toMatchObject({ eventId: expect.any(String) });
    const other = (await request(reporting.url).get(path).set('authorization', `Bearer ${outsider}`).expect(200)).body;
    expect(other).toMatchObject({ rows: [], currentTo: null });
  }, 240_000);

  it('counts a risk assessed in the risk service in its cell, and lists it with its project', async () => {
    const pmo = await signDevToken({ tenant, roles: ['pmo-admin', 'project-manager'], sub: 'pm-1' });
    const riskApi = as(() => risk.url, () => pmo);
    await riskApi.post('/risk-settings/categories', { categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
    const statement = { kind: 'threat', title: 'Vendor late', cause: 'Single factory', event: 'Appliances arrive late', effect: 'Cut-over slips', categoryId: 'suppliers', ownerId: 'owner-1' };
    const riskId: string = (await riskApi.post(`/projects/${projectId}/risks`, statement).expect(201)).body.riskId;
    // Schedule 4 × 4 = 16 beats cost 3 × 3 = 9: the register's cell is (4, 4).
    await riskApi.post(`/projects/${projectId}/risks/${riskId}/assessments`, { inherent: { schedule: { probability: 4, impact: 4 }, cost: { probability: 3, impact: 3 } } }).expect(200);
    const map = await waitFor(
      async () => {
        const body = (await reader.get('/portfolio/risk-heat-map').expect(200)).body;
        return body.openRisks === 1 && body;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'the assessed risk in the heat map' },
    );
    expect(map.cells.filter((c: { count: number }) => c.count > 0)).toEqual([{ probability: 4, impact: 4, count: 1, risks: '/portfolio/risks?probability=4&impact=4' }]);
    const list = (await reader.get('/portfolio/risks?probability=4&impact=4').expect(200)).body;
    expect(list.items).toEqual([
      expect.objectContaining({ riskId, projectId, projectName: 'CRM roll-out', title: 'Vendor late', score: 16, probability: 4, impact: 4, href: `/projects/${projectId}/risks/${riskId}` }),
    ]);
    expect((await request(reporting.url).get('/portfolio/risk-heat-map').set('authorization', `Bearer ${outsider}`).expect(200)).body.openRisks).toBe(0);
  }, 240_000);
});
