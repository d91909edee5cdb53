import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { decideSchedule, evolveSchedule, initialScheduleState, scheduleStreamId, toDependencyId, toProjectId, toTaskId } from '@pm/planning/domain';
import type { ScheduleCommand, ScheduleEvent, ScheduleState, ScheduleStreamEvent } from '@pm/planning/domain';
import { PgEventStore, createPgPool, runMigrations } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PLANNING_MIGRATIONS } from '../planning.migrations';
import { buildScheduleView } from './schedule-view.builder';
import { ScheduleViewProjection } from './schedule-view.projection';
import { ScheduleViewRepository } from './schedule-view.repository';

type Build = (metadata: ScheduleCommand['metadata']) => ScheduleCommand;

/** A small plan decided by the real decider, plus what a calculation would have published for it. */
function planEvents(projectId: string): ScheduleStreamEvent[] {
  const pid = toProjectId(projectId);
  const t = (id: string) => toTaskId(id);
  const builds: Build[] = [
    (metadata) => ({ type: 'OpenSchedule', data: { projectId: pid, projectStart: '2025-09-01' }, metadata }),
    (metadata) => ({ type: 'AddTaskToWbs', data: { projectId: pid, taskId: t('phase'), name: 'Phase', kind: 'summary' }, metadata }),
    (metadata) => ({ type: 'AddTaskToWbs', data: { projectId: pid, taskId: t('a'), name: 'A', kind: 'task', parentId: t('phase'), durationDays: 2, costBudget: 100 }, metadata }),
    (metadata) => ({ type: 'AddTaskToWbs', data: { projectId: pid, taskId: t('b'), name: 'B', kind: 'task', parentId: t('phase'), position: 0, durationDays: 3 }, metadata }),
    (metadata) => ({ type: 'LinkDependency', data: { projectId: pid, dependencyId: toDependencyId('d'), predecessorId: t('a'), successorId: t('b') }, metadata }),
    (metadata) => ({ type: 'MoveTaskInWbs', data: { projectId: pid, taskId: t('b'), parentId: null }, metadata }),
    (metadata) => ({ type: 'StartTask', data: { projectId: pid, taskId: t('a'), actualStart: '2025-09-01' }, metadata }),
    (metadata) => ({ type: 'RecordTaskProgress', data: { projectId: pid, taskId: t('a'), percentComplete: 50, asOf: '2025-09-02' }, metadata }),
  ];
  const metadata = { now: '2025-08-30T10:00:00.000Z', actor: 'user:test', tenantId: 'x' };
  let state: ScheduleState = initialScheduleState();
  const events: ScheduleEvent[] = [];
  for (const build of builds) {
    const decided = decideSchedule(build(metadata), state);
    state = decided.reduce(evolveSchedule, state);
    events.push(...decided);
  }
  const scheduled = (taskId: string, start: string, finish: string, totalFloat: number): ScheduleStreamEvent => ({
    type: 'TaskScheduleChanged',
    data: { projectId, taskId, name: taskId.toUpperCase(), kind: 'task', start, finish, durationDays: 2, earlyStart: start, earlyFinish: finish, lateStart: start, lateFinish: finish, totalFloat, freeFloat: 0, critical: totalFloat === 0, status: 'not-started', previousStart: null, previousFinish: null },
  });
  return [
    ...events,
    scheduled('a', '2025-09-01', '2025-09-02', 0),
    scheduled('b', '2025-09-03', '2025-09-05', 0),
    {
      type: 'ProjectScheduleCalculated',
      data: { projectId, projectStart: '2025-09-01', projectFinish: '2025-09-05', durationDays: 5, statusDate: '2025-09-02', taskCount: 2, tasksChanged: 2, criticalPath: ['a', 'b'], criticalPaths: [['a', 'b']], criticalPathsTruncated: false },
    },
  ];
}

describe('ScheduleViewProjection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let runner: StoreProjectionRunner;
  const projection = new ScheduleViewProjection();
  const streams = [
    { tenant: 'tenant-a', projectId: randomUUID() },
    { tenant: 'tenant-a', projectId: randomUUID() },
    { tenant: 'tenant-b', projectId: randomUUID() },
  ];
  const rows = async () => (await pool.query('SELECT tenant_id, project_id, stream_version, document FROM planning_schedule_views ORDER BY tenant_id, project_id')).rows;

  beforeAll(async () => {
    db = await createTestDatabase('planning_schedule_view');
    await runMigrations(db.url, PLANNING_MIGRATIONS);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    for (const { tenant, projectId } of streams) {
      // Two appends per stream, interleaved with an event of another aggregate the projection must ignore.
      const events = planEvents(projectId).map((e) => testEvent(tenant, e.type, e.data));
      await store.append(scheduleStreamId(tenant, projectId), events.slice(0, 4), 'no-stream');
      await store.append(`project:${tenant}:${projectId}`, [testEvent(tenant, 'ProjectRenamed', { projectId, name: 'x' })], 'no-stream');
      await store.append(scheduleStreamId(tenant, projectId), events.slice(4), 4);
    }
    runner = new StoreProjectionRunner({ projection, context: 'planning', pool, store, batchSize: 5 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('folds every schedule stream into the same state the write side folds', async () => {
    const repository = new ScheduleViewRepository(pool);
    // The xid8-safe tail holds back events behind any transaction still open in the cluster (other specs
    // run in parallel against the same server), so one catch-up may not reach them yet.
    await waitFor(async () => {
      await runner.catchUp();
      return (await rows()).length === streams.length && (await rows()).every((r) => r.stream_version === planEvents(r.project_id).length);
    }, { what: 'the schedule views caught up' });
    for (const { tenant, projectId } of streams) {
      const expected = planEvents(projectId).reduce<ScheduleState>(evolveSchedule, initialScheduleState());
      const stored = await repository.find(tenant, projectId);
      expect(stored?.version).toBe(planEvents(projectId).length);
      expect(buildScheduleView(stored!.state, projectId, stored!.version)).toEqual(buildScheduleView(expected, projectId, stored!.version));
    }
    const view = buildScheduleView((await repository.find('tenant-a', streams[0].projectId))!.state, streams[0].projectId, 0);
    expect(view.tasks.map((t) => `${t.wbsCode} ${t.taskId}`)).toEqual(['1 phase', '1.1 a', '2 b']);
    expect(view).toMatchObject({ projectFinish: '2025-09-05', statusDate: '2025-09-02' });
    expect(await repository.find('tenant-b', streams[0].projectId)).toBeNull();
  });

  it('replaying the log twice from zero gives the same read model, and so does a redelivery of every event', async () => {
    const before = await rows();
    expect(before).toHaveLength(3);
    await runner.rebuild();
    expect(await rows()).toEqual(before);
    await runner.rebuild();
    expect(await rows()).toEqual(before);

    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      for (const { tenant, projectId } of streams) {
        for (const e of await store.readStream(scheduleStreamId(tenant, projectId))) {
          await projection.apply({ ...e, type: `pm.planning.${e.type}` }, tx);
        }
      }
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    expect(await rows()).toEqual(before);
  });
});
