// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

/** Ids that are names on Object.prototype: ordinary ids to the platform (state lives in Maps, ADR 0008). */
const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf'];
/** Outside the one id pattern (CLIENT_ID_PATTERN): refused at the edge, naming the field. */
const REFUSED_IDS = ['__proto__', '__defineGetter__', ' constructor', 'a/b', ''];

/**
 * Client-chosen ids that are also names on Object.prototype, through every kind of schedule command, the reads of
 * the schedule (rows, pages, export, variance, EVM), and across Kafka into the resource service (its copy of the
 * plan and an assignment): nothing is refused as "already exists", nothing is lost, nothing answers 500.
 */
describe('Hostile ids end to end', () => {
  let planningDb: TestDatabase;
  let resourceDb: TestDatabase;
  let planning: RunningService;
  let resource: RunningService;
  const tenant = `tenant-ids-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let rm: string;
  let projectId: string;

  const as = (url: () => string, token: () => string) => ({
    get: (path: string) => request(url()).get(path).set('authorization', `Bearer ${token()}`),
    post: (path: string, body?: object) => request(url()).post(path).set('authorization', `Bearer ${token()}`).send(body),
    patch: (path: string, body?: object) => request(url()).patch(path).set('authorization', `Bearer ${token()}`).send(body),
    put: (path: string, body?: object) => request(url()).put(path).set('authorization', `Bearer ${token()}`).send(body),
    delete: (path: string) => request(url()).delete(path).set('authorization', `Bearer ${token()}`),
  });
  const planner = as(() => planning.url, () => pm);
  const manager = as(() => resource.url, () => rm);
  const schedule = () => `/projects/${projectId}/schedule`;

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_ids_planning');
    resourceDb = await createTestDatabase('e2e_ids_resource');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: resourceDb.url, consumerGroupId: `resource-ids-e2e-${randomBytes(4).toString('hex')}` }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    rm = await signDevToken({ tenant, roles: ['resource-manager'], sub: 'rm-1' });
    projectId = (await planner.post('/projects', { name: 'Hostile ids', startDate: '2025-09-01' }).expect(201)).body.projectId;
    await planner.post(schedule(), {}).expect(201);
  }, 120_000);

  afterAll(async () => {
    await resource?.close();
    await planning?.close();
    await resourceDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  it('takes each prototype name as a task and a dependency id through every kind of schedule command', async () => {
    await planner.post(`${schedule()}/tasks`, { taskId: 'phase', name: 'Phase', kind: 'summary' }).expect(201);
    let previous: string | null = null;
    for (const id of PROTOTYPE_NAMES) {
      const added = await planner.post(`${schedule()}/tasks`, { taskId: id, name: `Task ${id}`, parentId: 'phase', durationDays: 2, costBudget: 1000 });
      expect({ id, status: added.status }).toEqual({ id, status: 201 });
      await planner.patch(`${schedule()}/tasks/${id}`, { name: `Renamed ${id}`, durationDays: 3 }).expect(200);
      if (previous) {
        const linked = await planner.post(`${schedule()}/dependencies`, { dependencyId: id, predecessorId: previous, successorId: id });
        expect({ id, status: linked.status }).toEqual({ id, status: 201 });
        await planner.patch(`${schedule()}/dependencies/${id}`, { lagDays: 1 }).expect(200);
      }
      previous = id;
    }
    // A second task with the same id is "already exists", and only then.
    expect((await planner.post(`${schedule()}/tasks`, { taskId: 'constructor', name: 'Again', durationDays: 1 }).expect(409)).body.code).toBe('TASK_ALREADY_EXISTS');
    await planner.put(`${schedule()}/baselines/0`, {}).expect(200);
    await planner.post(`${schedule()}/tasks/constructor/start`, { actualStart: '2025-09-01' }).expect(200);
    await planner.post(`${schedule()}/tasks/constructor/progress`, { percentComplete: 50, asOf: '2025-09-02' }).expect(200);
  });

  it('refuses ids outside the one id pattern with a 400 naming the field', async () => {
    for (const id of REFUSED_IDS) {
      const res = await planner.post(`${schedule()}/tasks`, { taskId: id, name: 'X', durationDays: 1 });
      expect({ id, status: res.status, code: res.body.code }).toEqual({ id, status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.body)).toContain('taskId');
    }
  });

  it('reads them back everywhere: the schedule, a page with fields, the export, variance and earned value', async () => {
    const view = await waitFor(
      async () => {
        const res = await planner.get(schedule()).expect(200);
        return res.body.tasks.length === PROTOTYPE_NAMES.length + 1 && res.body;
      },
      { what: 'every task in the schedule read model' },
    );
    expect(view.tasks.map((t: { taskId: string }) => t.taskId).sort()).toEqual(['phase', ...PROTOTYPE_NAMES].sort());
    expect(view.dependencies.map((d: { dependencyId: string }) => d.dependencyId).sort()).toEqual(PROTOTYPE_NAMES.slice(1).sort());
    expect(view.tasks.find((t: { taskId: string }) => t.taskId === 'constructor')).toMatchObject({ name: 'Renamed constructor', durationDays: 3 });
    const page = await planner.get(`${schedule()}?limit=3&fields=name`).expect(200);
    expect(page.body.tasks).toHaveLength(3);
    const exported = await planner.get(`${schedule()}/export`).expect(200);
    for (const id of PROTOTYPE_NAMES) expect(exported.text).toContain(`Renamed ${id}`);
    const variance = await planner.get(`${schedule()}/variance?baseline=0`).expect(200);
    expect(variance.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(expect.arrayContaining(PROTOTYPE_NAMES));
    await planner.get(`/projects/${projectId}/evm?statusDate=2025-09-05`).expect(200);
  });

  it('reaches the resource service: its copy of the plan knows them and a person can be assigned to one', async () => {
    const ada = (await manager.post('/resources/people', { name: 'Ada Lovelace', role: 'Developer', department: 'IT' }).expect(201)).body.resourceId;
    const made = await waitFor(
      async () => {
        const res = await manager.post('/assignments', { resourceId: ada, projectId, taskId: 'constructor', load: { kind: 'units', percent: 100 } });
        return res.status === 201 && res;
      },
      { what: 'task constructor known to the resource service', timeoutMs: 90_000, intervalMs: 500 },
    );
    const assignment = await manager.get(`/assignments/${made.body.assignmentId ?? made.body.id}`).expect(200);
    expect(assignment.body.state.assignment).toMatchObject({ projectId, taskId: 'constructor' });
    for (const id of ['toString', 'valueOf']) {
      await manager.post('/assignments', { resourceId: ada, projectId, taskId: id, load: { kind: 'work', hours: 4 } }).expect(201);
    }
  }, 120_000);

  it('removes them again, and the reads follow', async () => {
    await planner.delete(`${schedule()}/dependencies/toString`).expect(200);
    await planner.delete(`${schedule()}/tasks/isPrototypeOf`).expect(200);
    await waitFor(
      async () => {
        const res = await planner.get(schedule()).expect(200);
        return !res.body.tasks.some((t: { taskId: string }) => t.taskId === 'isPrototypeOf') && !res.body.dependencies.some((d: { dependencyId: string }) => d.dependencyId === 'toString');
      },
      { what: 'the removals in the read model' },
    );
  });
});
