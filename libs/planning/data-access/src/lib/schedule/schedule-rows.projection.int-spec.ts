import { concludeAtOnce } from '@pm/shared/ddd';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Pool, PoolClient } from 'pg';
import { scheduleAggregate, scheduleImportStreamId, scheduleStreamId, toDependencyId, toProjectId, toTaskId } from '@pm/planning/domain';
import type { ScheduleCommand, ScheduleState, ScheduleStreamEvent } from '@pm/planning/domain';
import { PgEventStore, createPgPool, runMigrations } from '@pm/platform/event-store';
import { LaneProjectionRunner } from '@pm/platform/projections';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PLANNING_MIGRATIONS } from '../planning.migrations';
import { readSchedulePage } from './schedule-page.reader';
import { buildScheduleView, buildVarianceView } from './schedule-view.builder';
import { ScheduleRowsProjection } from './schedule-rows.projection';
import { ScheduleRowsRepository } from './schedule-rows.repository';

const metadata = { now: '2025-08-30T10:00:00.000Z', actor: 'user:test', tenantId: 'x' };

/** A schedule decided and concluded (CPM results included) by the real aggregate, command by command. */
class Plan {
  state: ScheduleState = scheduleAggregate.decider.initialState();
  readonly log: ScheduleStreamEvent[] = [];
  constructor(readonly projectId: string) {}

  run(...commands: Array<{ type: ScheduleCommand['type']; data: object }>): ScheduleStreamEvent[] {
    const out: ScheduleStreamEvent[] = [];
    for (const { type, data } of commands) {
      const command = { type, data: { projectId: toProjectId(this.projectId), ...data }, metadata } as ScheduleCommand;
      const decided = scheduleAggregate.decider.decide(command, this.state);
      this.state = decided.reduce(scheduleAggregate.decider.evolve, this.state);
      const concluded = concludeAtOnce(scheduleAggregate, this.state, decided);
      this.state = concluded.reduce(scheduleAggregate.decider.evolve, this.state);
      out.push(...decided, ...concluded);
    }
    this.log.push(...out);
    return out;
  }
}

const task = (id: string, extra: object = {}) => ({ type: 'AddTaskToWbs' as const, data: { taskId: toTaskId(id), name: id.toUpperCase(), kind: 'task', durationDays: 2, ...extra } });
const link = (id: string, from: string, to: string) => ({ type: 'LinkDependency' as const, data: { dependencyId: toDependencyId(id), predecessorId: toTaskId(from), successorId: toTaskId(to) } });

/** A phase of four chained tasks, a task inserted before the first, one moved, progress and a baseline. */
function smallPlan(plan: Plan): void {
  plan.run(
    { type: 'OpenSchedule', data: { projectStart: '2025-09-01' } },
    { type: 'AddTaskToWbs', data: { taskId: toTaskId('ph'), name: 'Phase', kind: 'summary' } },
    task('a', { parentId: 'ph', costBudget: 100 }),
    task('b', { parentId: 'ph', durationDays: 3 }),
    task('c', { parentId: 'ph', durationDays: 1 }),
    task('d', { parentId: 'ph' }),
    link('ab', 'a', 'b'),
    link('bc', 'b', 'c'),
    link('cd', 'c', 'd'),
    task('z', { parentId: 'ph', position: 0, durationDays: 0, kind: 'milestone' }),
    { type: 'MoveTaskInWbs', data: { taskId: toTaskId('z'), parentId: null } },
    { type: 'StartTask', data: { taskId: toTaskId('a'), actualStart: '2025-09-01' } },
    { type: 'RecordTaskProgress', data: { taskId: toTaskId('a'), percentComplete: 50, asOf: '2025-09-02' } },
  );
}

describe('ScheduleRowsProjection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let repository: ScheduleRowsRepository;
  const projection = () => new ScheduleRowsProjection(store);
  const plans = [
    { tenant: 'tenant-a', plan: new Plan(randomUUID()) },
    { tenant: 'tenant-a', plan: new Plan(randomUUID()) },
    { tenant: 'tenant-b', plan: new Plan(randomUUID()) },
  ];
  const append = async (tenant: string, plan: Plan, events: readonly ScheduleStreamEvent[]) => {
    const streamId = scheduleStreamId(tenant, plan.projectId);
    await store.append(streamId, events.map((e) => testEvent(tenant, e.type, e.data)), 'any');
    return store.streamVersion(streamId);
  };
  const taskRows = async (tenant: string, projectId: string) =>
    new Map((await pool.query<{ task_id: string; x: string }>('SELECT task_id, xmin::text AS x FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2', [tenant, projectId])).rows.map((r) => [r.task_id, r.x]));
  const allRows = async () =>
    (await pool.query('SELECT * FROM planning_schedule_tasks t FULL JOIN planning_schedule_links l USING (tenant_id, project_id) ORDER BY 1, 2, t.task_id, l.dependency_id')).rows;

  beforeAll(async () => {
    db = await createTestDatabase('planning_schedule_rows');
    await runMigrations(db.url, PLANNING_MIGRATIONS);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    repository = new ScheduleRowsRepository(pool);
    for (const { tenant, plan } of plans) {
      smallPlan(plan);
      // Two appends per stream, with an event of another aggregate in between that the lanes never follow.
      await append(tenant, plan, plan.log.slice(0, 6));
      await store.append(`project:${tenant}:${plan.projectId}`, [testEvent(tenant, 'ProjectRenamed', { projectId: plan.projectId, name: 'x' })], 'no-stream');
      await append(tenant, plan, plan.log.slice(6));
    }
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('keeps a row per task and link that reads as the schedule view of the folded stream', async () => {
    const runner = new LaneProjectionRunner({ projection: projection(), context: 'planning', pool, store, readBatchSize: 5, laneBatchSize: 4 });
    await waitFor(async () => (await runner.catchUp()) >= 0 && (await runner.lag()) === 0, { what: 'the schedule rows caught up' });
    for (const { tenant, plan } of plans) {
      const header = await repository.header(tenant, plan.projectId);
      expect(header?.version).toBe(plan.log.length);
      const page = await readSchedulePage(repository, tenant, header!);
      expect(page).toEqual(buildScheduleView(plan.state, plan.projectId, plan.log.length));
      const rebuilt = await repository.state(tenant, plan.projectId);
      expect(buildScheduleView(rebuilt!.state, plan.projectId, 0)).toEqual(buildScheduleView(plan.state, plan.projectId, 0));
    }
    const view = await readSchedulePage(repository, 'tenant-a', (await repository.header('tenant-a', plans[0].plan.projectId))!);
    expect(view.tasks.map((t) => `${t.wbsCode} ${t.taskId}`)).toEqual(['1 ph', '1.1 a', '1.2 b', '1.3 c', '1.4 d', '2 z']);
    expect(await repository.header('tenant-b', plans[0].plan.projectId)).toBeNull();
  });

  it('follows WBS edits (insert, move within and across parents, remove), link edits, progress and baselines', async () => {
    const tenant = 'tenant-edits';
    const plan = new Plan(randomUUID());
    plan.run(
      { type: 'OpenSchedule', data: { projectStart: '2025-09-01' } },
      { type: 'AddTaskToWbs', data: { taskId: toTaskId('p1'), name: 'P1', kind: 'summary' } },
      { type: 'AddTaskToWbs', data: { taskId: toTaskId('p2'), name: 'P2', kind: 'summary' } },
      ...['a', 'b', 'c'].map((id) => task(id, { parentId: 'p1', workHours: 8, costBudget: 10 })),
      ...['d', 'e'].map((id) => task(id, { parentId: 'p2' })),
      link('ab', 'a', 'b'),
      link('de', 'd', 'e'),
      { type: 'SaveBaseline', data: { baselineNumber: 0 } },
      task('x', { parentId: 'p1', position: 1 }),
      { type: 'MoveTaskInWbs', data: { taskId: toTaskId('a'), parentId: toTaskId('p1'), position: 2 } },
      { type: 'MoveTaskInWbs', data: { taskId: toTaskId('p2'), parentId: toTaskId('p1'), position: 0 } },
      { type: 'RemoveTaskFromWbs', data: { taskId: toTaskId('c') } },
      { type: 'AdjustDependencyLag', data: { dependencyId: toDependencyId('ab'), lagDays: 2 } },
      { type: 'UnlinkDependency', data: { dependencyId: toDependencyId('de') } },
      { type: 'RenameTask', data: { taskId: toTaskId('b'), name: 'Bee' } },
      { type: 'FinishTask', data: { taskId: toTaskId('d'), actualStart: '2025-09-01', actualFinish: '2025-09-02' } },
      { type: 'RecordTaskActualCost', data: { taskId: toTaskId('d'), actualCost: 12, asOf: '2025-09-02' } },
      { type: 'SaveBaseline', data: { baselineNumber: 1 } },
      { type: 'ClearBaseline', data: { baselineNumber: 1 } },
    );
    const head = await append(tenant, plan, plan.log);
    const runner = new LaneProjectionRunner({ projection: projection(), context: 'planning', pool, store, laneBatchSize: 3 });
    await runner.catchUpLane(scheduleStreamId(tenant, plan.projectId));
    const page = await readSchedulePage(repository, tenant, (await repository.header(tenant, plan.projectId))!);
    expect(page).toEqual(buildScheduleView(plan.state, plan.projectId, head));
    expect(page.tasks.map((t) => `${t.wbsCode} ${t.taskId}`)).toEqual(['1 p1', '1.1 p2', '1.1.1 d', '1.1.2 e', '1.2 x', '1.3 b', '1.4 a']);
    const rebuilt = await repository.state(tenant, plan.projectId);
    expect([...rebuilt!.state.baselines.keys()]).toEqual([0]);
    expect(buildVarianceView(rebuilt!.state, plan.projectId, 0)).toEqual(buildVarianceView(plan.state, plan.projectId, 0));
  });

  it('a change that moves three tasks writes exactly those three task rows, and the roll-up of the summary above them', async () => {
    const tenant = 'tenant-move';
    const plan = new Plan(randomUUID());
    plan.run(
      { type: 'OpenSchedule', data: { projectStart: '2025-09-01' } },
      { type: 'AddTaskToWbs', data: { taskId: toTaskId('ph'), name: 'Phase', kind: 'summary' } },
      ...['a', 'b', 'c', 'd', 'e'].map((id) => task(id, { parentId: 'ph' })),
      link('ab', 'a', 'b'),
      link('bc', 'b', 'c'),
      link('cd', 'c', 'd'),
      link('de', 'd', 'e'),
    );
    await append(tenant, plan, plan.log);
    const runner = new LaneProjectionRunner({ projection: projection(), context: 'planning', pool, store });
    await runner.catchUpLane(scheduleStreamId(tenant, plan.projectId));
    const before = await taskRows(tenant, plan.projectId);
    const events = plan.run({ type: 'EstimateTaskDuration', data: { taskId: toTaskId('c'), durationDays: 5 } });
    expect(events.filter((e) => e.type === 'TaskScheduleChanged').map((e) => (e.data as { taskId: string }).taskId).sort()).toEqual(['c', 'd', 'e']);
    const head = await append(tenant, plan, events);
    await runner.catchUpLane(scheduleStreamId(tenant, plan.projectId));
    expect(await runner.laneVersion(scheduleStreamId(tenant, plan.projectId))).toBe(head);
    const after = await taskRows(tenant, plan.projectId);
    expect(after.size).toBe(6);
    // The summary's row changes only in its roll-up, recomputed from its direct children (not its whole subtree).
    expect([...after].filter(([id, x]) => before.get(id) !== x).map(([id]) => id).sort()).toEqual(['c', 'd', 'e', 'ph']);
    const header = await repository.header(tenant, plan.projectId);
    expect(await readSchedulePage(repository, tenant, header!)).toEqual(buildScheduleView(plan.state, plan.projectId, head));
  });

  it('replaying the log twice from zero gives the same rows, and a lost checkpoint applies nothing twice', async () => {
    const runner = new LaneProjectionRunner({ projection: projection(), context: 'planning', pool, store, readBatchSize: 7 });
    await waitFor(async () => (await runner.catchUp()) >= 0 && (await runner.lag()) === 0, { what: 'caught up' });
    const before = await allRows();
    await runner.rebuild();
    expect(await allRows()).toEqual(before);
    await runner.rebuild();
    expect(await allRows()).toEqual(before);
    await pool.query(`DELETE FROM projection_checkpoints WHERE projection = 'planning-schedule-rows'`);
    const again = new LaneProjectionRunner({ projection: projection(), context: 'planning', pool, store });
    expect(await again.catchUp()).toBeGreaterThan(0);
    expect(await allRows()).toEqual(before);
  });

  it('shows a staged import only once its ScheduleImported commit is in the schedule stream', async () => {
    const tenant = 'tenant-import';
    const plan = new Plan(randomUUID());
    await append(tenant, plan, plan.run({ type: 'OpenSchedule', data: { projectStart: '2025-09-01' } }));
    const staged = plan.run(task('i1'), task('i2'), task('i3', { position: 0 }), link('l12', 'i1', 'i2'));
    const importId = randomUUID();
    const stagingStreamId = scheduleImportStreamId(tenant, importId);
    const chunks = [staged.slice(0, 3), staged.slice(3)];
    await store.append(stagingStreamId, chunks.map((events, chunk) => testEvent(tenant, 'ScheduleImportStaged', { projectId: plan.projectId, importId, chunk, events })), 'no-stream');
    const rows = projection();
    const prepare = jest.spyOn(rows, 'prepareLane');
    const runner = new LaneProjectionRunner({ projection: rows, context: 'planning', pool, store });
    await runner.catchUpLane(scheduleStreamId(tenant, plan.projectId));
    expect(await taskRows(tenant, plan.projectId)).toEqual(new Map());
    expect(prepare).not.toHaveBeenCalled();

    const commit = { projectId: plan.projectId, importId, stagingStreamId, chunks: 2, events: staged.length, tasks: 3, links: 1, warnings: [], warningCount: 0, importedAt: metadata.now };
    const head = await append(tenant, plan, [{ type: 'ScheduleImported', data: commit } as ScheduleStreamEvent]);
    await runner.catchUpLane(scheduleStreamId(tenant, plan.projectId));
    const page = await readSchedulePage(repository, tenant, (await repository.header(tenant, plan.projectId))!);
    expect(page).toEqual(buildScheduleView(plan.state, plan.projectId, head));
    expect(page.tasks.map((t) => t.taskId)).toEqual(['i3', 'i1', 'i2']);
    expect(prepare).toHaveBeenCalledTimes(1);
    // Built in short transactions under a shadow key, then swapped in by the commit's lane transaction: none left.
    expect((await pool.query(`SELECT count(*)::int AS n FROM planning_schedule_tasks WHERE project_id LIKE 'import:%'`)).rows[0].n).toBe(0);
  });

  it('builds the rows of an import that opens the schedule without looking up the tasks and links it adds', async () => {
    const tenant = 'tenant-import-opens';
    const plan = new Plan(randomUUID());
    const ids = Array.from({ length: 60 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    // As a Microsoft Project import stages it: the first chunk opens the schedule, then adds every task and link.
    const staged = plan.run(
      { type: 'OpenSchedule', data: { projectStart: '2025-09-01' } },
      ...ids.map((id) => task(id)),
      ...ids.slice(1).map((id, i) => link(`l${String(i).padStart(2, '0')}`, ids[i], id)),
    );
    const importId = randomUUID();
    const stagingStreamId = scheduleImportStreamId(tenant, importId);
    const chunks = [staged.slice(0, 100), staged.slice(100)];
    await store.append(stagingStreamId, chunks.map((events, chunk) => testEvent(tenant, 'ScheduleImportStaged', { projectId: plan.projectId, importId, chunk, events })), 'no-stream');
    const commit = { projectId: plan.projectId, importId, stagingStreamId, chunks: 2, events: staged.length, tasks: ids.length, links: ids.length - 1, warnings: [], warningCount: 0, importedAt: metadata.now };
    const head = await append(tenant, plan, [{ type: 'ScheduleImported', data: commit } as ScheduleStreamEvent]);
    const texts: string[] = [];
    const original = Client.prototype.query;
    const query = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : first.text;
      if (text) texts.push(text);
      return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
    });
    try {
      await new LaneProjectionRunner({ projection: projection(), context: 'planning', pool, store }).catchUpLane(scheduleStreamId(tenant, plan.projectId));
    } finally {
      query.mockRestore();
    }
    const page = await readSchedulePage(repository, tenant, (await repository.header(tenant, plan.projectId))!);
    expect(page).toEqual(buildScheduleView(plan.state, plan.projectId, head));
    const rowReads = texts.filter((t) => /FROM planning_schedule_tasks WHERE tenant_id = \$1 AND project_id = \$2 AND task_id = ANY/.test(t));
    const linkReads = texts.filter((t) => /FROM planning_schedule_links WHERE tenant_id = \$1 AND project_id = \$2 AND dependency_id = ANY/.test(t));
    // Every task and link is new (ids are never reused): nothing to look up. Before, one lookup per task and link,
    // then one per chunk.
    expect(rowReads).toEqual([]);
    expect(linkReads).toEqual([]);
  });

  it("applies another tenant's project while a big project's batch is held open mid-transaction", async () => {
    const big = { tenant: 'tenant-big', plan: new Plan(randomUUID()) };
    const small = { tenant: 'tenant-small', plan: new Plan(randomUUID()) };
    big.plan.run({ type: 'OpenSchedule', data: { projectStart: '2025-09-01' } }, ...Array.from({ length: 300 }, (_, i) => task(`t${i}`)));
    smallPlan(small.plan);
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const rows = projection();
    const bigStream = scheduleStreamId(big.tenant, big.plan.projectId);
    // The big lane writes its rows, then waits inside its transaction until released: a batch still being applied.
    const gated = Object.assign(Object.create(rows) as ScheduleRowsProjection, {
      async applyLane(streamId: string, events: readonly ProjectionEvent[], tx: PoolClient) {
        await rows.applyLane(streamId, events, tx);
        if (streamId === bigStream) {
          holding();
          await barrier;
        }
      },
    });
    const runner = new LaneProjectionRunner({ projection: gated, context: 'planning', pool, store, laneBatchSize: 10_000, pollIntervalMs: 50 });
    await runner.catchUp();
    runner.start();
    try {
      const bigHead = await append(big.tenant, big.plan, big.plan.log);
      await held;
      const smallHead = await append(small.tenant, small.plan, small.plan.log);
      const smallStream = scheduleStreamId(small.tenant, small.plan.projectId);
      await waitFor(async () => (await runner.laneVersion(smallStream)) === smallHead, { what: 'the small project applied by the background runner' });
      // A catch-up that waits for one tenant's lanes returns with the big lane still held.
      await waitFor(async () => {
        await runner.catchUpWhere((streamId) => streamId === smallStream);
        return (await runner.laneVersion(smallStream)) === smallHead;
      }, { what: 'a catch-up of the small tenant only' });
      expect(await runner.laneVersion(bigStream)).toBe(0);
      expect(await taskRows(big.tenant, big.plan.projectId)).toEqual(new Map());
      const header = await repository.header(small.tenant, small.plan.projectId);
      expect(await readSchedulePage(repository, small.tenant, header!)).toEqual(buildScheduleView(small.plan.state, small.plan.projectId, smallHead));
      release();
      await waitFor(async () => (await runner.laneVersion(bigStream)) === bigHead, { what: 'the big project applied once released' });
      expect((await taskRows(big.tenant, big.plan.projectId)).size).toBe(300);
    } finally {
      release();
      await runner.stop();
    }
  });
});
