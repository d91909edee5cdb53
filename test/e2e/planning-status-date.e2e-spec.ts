import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { eventsMatchTheirContracts } from './planning-contract-check';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * The schedule reforecasts from the project's status date (ADR 0105). Mon–Fri from Monday 2025-09-01:
 * design (5 d) → build (3 d), and an unlinked review (2 d).
 */
describe('Planning status date', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let viewer: string;

  const call = (token: string) => ({
    get: (path: string) => request(planning.url).get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body?: object) => request(planning.url).post(path).set('authorization', `Bearer ${token}`).send(body).expect(eventsMatchTheirContracts),
    put: (path: string, body?: object) => request(planning.url).put(path).set('authorization', `Bearer ${token}`).send(body).expect(eventsMatchTheirContracts),
  });
  async function plan(): Promise<string> {
    const { projectId } = (await call(pm).post('/projects', { name: `Status ${randomBytes(2).toString('hex')}`, startDate: '2025-09-01' }).expect(201)).body;
    return projectId;
  }
  async function addTasks(projectId: string): Promise<void> {
    const tasks = `/projects/${projectId}/schedule/tasks`;
    await call(pm).post(tasks, { taskId: 'design', name: 'Design', durationDays: 5 }).expect(201);
    await call(pm).post(tasks, { taskId: 'build', name: 'Build', durationDays: 3 }).expect(201);
    await call(pm).post(tasks, { taskId: 'review', name: 'Review', durationDays: 2 }).expect(201);
    await call(pm).post(`/projects/${projectId}/schedule/dependencies`, { dependencyId: 'd1', predecessorId: 'design', successorId: 'build' }).expect(201);
  }
  const scheduleOf = async (projectId: string) => {
    const body = (await call(viewer).get(`/projects/${projectId}/schedule`).expect(200)).body;
    const task = (id: string) => body.tasks.find((t: { taskId: string }) => t.taskId === id);
    return { statusDate: body.statusDate, finish: body.projectFinish, design: task('design'), build: task('build'), review: task('review') };
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_status_date');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
  }, 120_000);

  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  it('falls back to the latest progress date while the project has no status date', async () => {
    const projectId = await plan();
    await call(pm).post(`/projects/${projectId}/schedule`, {}).expect(201);
    await addTasks(projectId);
    await call(pm).post(`/projects/${projectId}/schedule/tasks/design/start`, { actualStart: '2025-09-01' }).expect(200);
    expect(await scheduleOf(projectId)).toMatchObject({ statusDate: '2025-09-01', review: { start: '2025-09-01' }, build: { start: '2025-09-08' } });
  });

  it('reforecasts from the status date: remaining work from it, no unstarted work before it', async () => {
    const projectId = await plan();
    await call(pm).post(`/projects/${projectId}/schedule`, {}).expect(201);
    await addTasks(projectId);
    await call(pm).post(`/projects/${projectId}/schedule/tasks/design/start`, { actualStart: '2025-09-01' }).expect(200);
    await call(pm).post(`/projects/${projectId}/schedule/tasks/design/progress`, { percentComplete: 40, remainingDurationDays: 3, asOf: '2025-09-02' }).expect(200);

    const set = await call(pm).put(`/projects/${projectId}/status-date`, { statusDate: '2025-09-10' }).expect(200);
    expect(set.body.changes).toEqual([expect.objectContaining({ type: 'ProjectStatusDateSet' })]);
    expect(set.body.schedule.changes).toEqual([{ type: 'ScheduleStatusDateSet', data: { projectId, statusDate: '2025-09-10' } }]);
    expect(set.body.schedule.calculation.at(-1)).toMatchObject({ type: 'ProjectScheduleCalculated', data: { statusDate: '2025-09-10', projectFinish: '2025-09-17' } });

    expect(await scheduleOf(projectId)).toMatchObject({
      statusDate: '2025-09-10',
      finish: '2025-09-17',
      design: { start: '2025-09-01', finish: '2025-09-12' },
      build: { start: '2025-09-15', finish: '2025-09-17' },
      review: { start: '2025-09-10', finish: '2025-09-11' },
    });

    // The same request again changes nothing on either stream.
    const again = await call(pm).put(`/projects/${projectId}/status-date`, { statusDate: '2025-09-10' }).expect(200);
    expect(again.body.changes).toEqual([]);
    expect(again.body.schedule.changes).toEqual([]);
  });

  it('applies a status date set before the schedule was opened', async () => {
    const projectId = await plan();
    const set = await call(pm).put(`/projects/${projectId}/status-date`, { statusDate: '2025-09-03' }).expect(200);
    expect(set.body.schedule).toBeNull();
    const opened = await call(pm).post(`/projects/${projectId}/schedule`, {}).expect(201);
    expect(opened.body.changes.map((e: { type: string }) => e.type)).toEqual(['ScheduleOpened', 'ScheduleStatusDateSet']);
    await addTasks(projectId);
    expect(await scheduleOf(projectId)).toMatchObject({ statusDate: '2025-09-03', design: { start: '2025-09-03' }, review: { start: '2025-09-03' } });
  });

  it('is refused to a viewer, and a bad date is a 400', async () => {
    const projectId = await plan();
    await request(planning.url).put(`/projects/${projectId}/status-date`).set('authorization', `Bearer ${viewer}`).send({ statusDate: '2025-09-10' }).expect(403);
    await call(pm).put(`/projects/${projectId}/status-date`, { statusDate: '2025-13-01' }).expect(400);
  });
});
