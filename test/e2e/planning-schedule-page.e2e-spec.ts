import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * The schedule read in pages over HTTP (ADR 0010): WBS order, `after` the last code of the previous page, `fields`
 * picking the Gantt's columns; the whole schedule without them, as before; hostile query values are 400s.
 */
describe('Planning schedule pages', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let projectId: string;
  const get = (query = '') => request(planning.url).get(`/projects/${projectId}/schedule${query}`).set('authorization', `Bearer ${pm}`);
  const post = (path: string, body: object) => request(planning.url).post(`/projects/${projectId}/schedule${path}`).set('authorization', `Bearer ${pm}`).send(body);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_schedule_page');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    projectId = (await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name: 'Data centre exit', startDate: '2025-09-01' }).expect(201)).body.projectId;
    await post('', {}).expect(201);
    await post('/tasks', { taskId: 'p1', name: 'Phase 1', kind: 'summary' }).expect(201);
    for (const id of ['a', 'b', 'c']) await post('/tasks', { taskId: id, name: id.toUpperCase(), parentId: 'p1', durationDays: 2 }).expect(201);
    await post('/tasks', { taskId: 'p2', name: 'Phase 2', kind: 'summary' }).expect(201);
    for (const id of ['d', 'e']) await post('/tasks', { taskId: id, name: id.toUpperCase(), parentId: 'p2', durationDays: 1 }).expect(201);
    await post('/dependencies', { dependencyId: 'ab', predecessorId: 'a', successorId: 'b' }).expect(201);
    await post('/dependencies', { dependencyId: 'cd', predecessorId: 'c', successorId: 'd' }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  it('serves the whole schedule without paging parameters, as before', async () => {
    const res = await get().expect(200);
    expect(res.headers.etag).toMatch(/^"\d+"$/);
    expect(res.body.page).toBeUndefined();
    expect(res.body.tasks.map((t: { wbsCode: string; taskId: string }) => `${t.wbsCode} ${t.taskId}`)).toEqual(['1 p1', '1.1 a', '1.2 b', '1.3 c', '2 p2', '2.1 d', '2.2 e']);
    expect(res.body.tasks[0]).toMatchObject({ kind: 'summary', start: '2025-09-01', finish: '2025-09-04', durationDays: 4, outlineLevel: 1 });
    expect(res.body.dependencies).toHaveLength(2);
  });

  it('pages in WBS order with a cursor, each page with the links that touch it', async () => {
    const first = await get('?limit=3').expect(200);
    expect(first.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(['p1', 'a', 'b']);
    expect(first.body.page).toEqual({ limit: 3, after: null, next: '1.2' });
    expect(first.body.dependencies.map((d: { dependencyId: string }) => d.dependencyId)).toEqual(['ab']);
    const second = await get(`?limit=3&after=${first.body.page.next}`).expect(200);
    expect(second.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(['c', 'p2', 'd']);
    const third = await get(`?limit=3&after=${second.body.page.next}`).expect(200);
    expect(third.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(['e']);
    expect(third.body.page.next).toBeNull();
  });

  it('returns only the picked columns (and the task id)', async () => {
    const res = await get('?limit=2&fields=name,start,finish').expect(200);
    expect(res.body.tasks).toEqual([
      { taskId: 'p1', name: 'Phase 1', start: '2025-09-01', finish: '2025-09-04' },
      { taskId: 'a', name: 'A', start: '2025-09-01', finish: '2025-09-02' },
    ]);
  });

  it.each([
    ['an unknown field', '?fields=name,__proto__'],
    ['a field named constructor', '?fields=constructor'],
    ['a NUL in the cursor', '?after=1%00'],
    ['a cursor that is not a WBS code', '?after=1..2'],
    ['a huge limit', '?limit=1e400'],
    ['a limit past the cap', '?limit=5001'],
    ['a negative limit', '?limit=-1'],
    ['a repeated parameter', '?limit=1&limit=2'],
    ['an unknown parameter', '?__proto__=1'],
    ['a huge path element', '?after=99999999999'],
  ])('answers %s with a 400 problem', async (_what, query) => {
    const res = await get(query).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    // A NUL never reaches the schema: the platform's text check at the edge refuses it first.
    expect(res.body.code).toBe(query.includes('%00') ? 'INVALID_TEXT' : 'VALIDATION_FAILED');
  });

  it("is a 404 for another tenant's project", async () => {
    const outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });
    await request(planning.url).get(`/projects/${projectId}/schedule?limit=1`).set('authorization', `Bearer ${outsider}`).expect(404);
  });
});
