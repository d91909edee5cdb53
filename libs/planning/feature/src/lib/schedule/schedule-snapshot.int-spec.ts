import { serialize } from 'node:v8';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { scheduleAggregate, scheduleStreamId, toDependencyId, toProjectId, toTaskId } from '@pm/planning/domain';
import type { ScheduleCommand } from '@pm/planning/domain';
import { EVENT_STORE_MIGRATIONS, PgEventStore, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { DomainError } from '@pm/shared/ddd';
import { adoptRealm } from '@pm/shared/ddd/testing';

/**
 * Snapshot + tail is the state of the whole stream (ADR 0008): for random histories of schedule commands run
 * through the one write path with a snapshot every 3 events, the schedule loaded from its latest snapshot in
 * PostgreSQL plus the events after it equals the schedule folded from the first event without snapshots, Maps,
 * Sets and their order included, after every command.
 */
const TENANT = 'tenant-snap';
const TASK_IDS = ['a', 'b', 'c', 'phase', 'gate', 'constructor', '__proto__'];
const DEPENDENCY_IDS = ['d1', 'd2', 'd3', 'toString'];
const CONSTRAINTS = ['ASAP', 'ALAP', 'SNET', 'SNLT', 'FNET', 'FNLT', 'MSO', 'MFO'] as const;
const DEPENDENCY_TYPES = ['FS', 'SS', 'FF', 'SF'] as const;

const ctx = (): RequestContext => ({
  principal: { sub: 'pm-1', tenantId: TENANT, roles: ['project-manager'], actor: 'user:pm-1' },
  now: '2025-03-01T09:00:00.000Z',
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  traceparent: null,
});

/** A working day in March or April 2025 (the project starts Monday 3 March). */
const day = fc.integer({ min: 3, max: 60 }).map((d) => new Date(Date.UTC(2025, 2, d)).toISOString().slice(0, 10));
const taskId = fc.constantFrom(...TASK_IDS).map(toTaskId);
/** Work packages, mostly ones the starting plan has: links between them mostly hold. */
const linkable = fc.constantFrom('a', 'b', 'constructor', 'gate', 'c', '__proto__').map(toTaskId);
const dependencyId = fc.constantFrom(...DEPENDENCY_IDS).map(toDependencyId);
const name = fc.constantFrom('Design', 'Build', 'Test', ' Roll-out ', 'Ütest');
/** Mostly absent: a random parent or position is mostly wrong, and a refused command adds nothing to the story. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

type Data = Record<string, unknown>;
const commandOf = (type: ScheduleCommand['type']) => (data: Data) => ({ type, data }) as { type: ScheduleCommand['type']; data: Data };

const scheduleCommand = fc.oneof(
  { weight: 6, arbitrary: fc.record({ taskId, name, kind: fc.constantFrom('task', 'task', 'summary', 'milestone'), parentId: sometimes(taskId), position: sometimes(fc.nat(3)), durationDays: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }) }).map((d) => commandOf('AddTaskToWbs')({ ...d, durationDays: d.kind === 'task' ? d.durationDays : undefined })) },
  { weight: 2, arbitrary: fc.record({ taskId, name }).map(commandOf('RenameTask')) },
  { weight: 2, arbitrary: fc.record({ taskId, parentId: fc.option(taskId, { nil: null, freq: 2 }), position: sometimes(fc.nat(3)) }).map(commandOf('MoveTaskInWbs')) },
  { weight: 1, arbitrary: fc.record({ taskId }).map(commandOf('RemoveTaskFromWbs')) },
  { weight: 2, arbitrary: fc.record({ taskId, durationDays: fc.integer({ min: 1, max: 10 }) }).map(commandOf('EstimateTaskDuration')) },
  { weight: 1, arbitrary: fc.record({ taskId, o: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 0, max: 3 }), p: fc.integer({ min: 0, max: 5 }) }).map(({ taskId: t, o, m, p }) => commandOf('EstimateTaskThreePoint')({ taskId: t, optimisticDays: o, mostLikelyDays: o + m, pessimisticDays: o + m + p })) },
  { weight: 1, arbitrary: fc.record({ taskId, workHours: fc.integer({ min: 0, max: 80 }) }).map(commandOf('PlanTaskWork')) },
  { weight: 1, arbitrary: fc.record({ taskId, costBudget: fc.integer({ min: 0, max: 50_000 }) }).map(commandOf('BudgetTaskCost')) },
  { weight: 2, arbitrary: fc.record({ taskId, type: fc.constantFrom(...CONSTRAINTS), date: day }).map(({ taskId: t, type, date }) => commandOf('ConstrainTask')({ taskId: t, constraint: { type, date: type === 'ASAP' || type === 'ALAP' ? null : date } })) },
  { weight: 6, arbitrary: fc.record({ dependencyId, predecessorId: linkable, successorId: linkable, dependencyType: fc.constantFrom(...DEPENDENCY_TYPES), lagDays: fc.integer({ min: -2, max: 3 }) }).map(commandOf('LinkDependency')) },
  { weight: 3, arbitrary: fc.record({ dependencyId, lagDays: fc.integer({ min: -2, max: 4 }) }).map(commandOf('AdjustDependencyLag')) },
  { weight: 2, arbitrary: fc.record({ dependencyId }).map(commandOf('UnlinkDependency')) },
  { weight: 2, arbitrary: fc.record({ taskId, actualStart: day }).map(commandOf('StartTask')) },
  { weight: 1, arbitrary: fc.record({ taskId, percentComplete: fc.integer({ min: 0, max: 99 }), asOf: day }).map(commandOf('RecordTaskProgress')) },
  { weight: 1, arbitrary: fc.record({ taskId, actualFinish: day, actualStart: fc.option(day, { nil: undefined }) }).map(commandOf('FinishTask')) },
  { weight: 1, arbitrary: fc.record({ taskId, actualCost: fc.integer({ min: 0, max: 9_000 }), asOf: day }).map(commandOf('RecordTaskActualCost')) },
  { weight: 1, arbitrary: fc.record({ statusDate: day }).map(commandOf('SetScheduleStatusDate')) },
  { weight: 2, arbitrary: fc.record({ baselineNumber: fc.integer({ min: 0, max: 2 }), overwrite: fc.boolean() }).map(commandOf('SaveBaseline')) },
  { weight: 1, arbitrary: fc.record({ baselineNumber: fc.integer({ min: 0, max: 2 }) }).map(commandOf('ClearBaseline')) },
  { weight: 1, arbitrary: fc.record({ date: day, name: fc.constantFrom('Founders day', 'Strike') }).map(commandOf('DeclareHoliday')) },
  { weight: 1, arbitrary: fc.record({ proposalId: fc.constantFrom('5f0c6d1e-0a51-4c2e-9d5e-8d1f6f1b2a01', '5f0c6d1e-0a51-4c2e-9d5e-8d1f6f1b2a02'), reason: fc.constantFrom(null, 'no') }).map(commandOf('RejectLevellingProposal')) },
);

const prefix = [
  commandOf('AddTaskToWbs')({ taskId: 'phase', name: 'Phase', kind: 'summary' }),
  commandOf('AddTaskToWbs')({ taskId: 'a', name: 'A', kind: 'task', parentId: 'phase', durationDays: 3 }),
  commandOf('AddTaskToWbs')({ taskId: 'b', name: 'B', kind: 'task', durationDays: 2 }),
  commandOf('AddTaskToWbs')({ taskId: 'constructor', name: 'Constructor', kind: 'task', parentId: 'phase', durationDays: 4 }),
  commandOf('AddTaskToWbs')({ taskId: 'gate', name: 'Gate', kind: 'milestone' }),
];

describe('Schedule snapshots (fast-check, real PostgreSQL, one write path)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let writePath: WritePath;
  const withoutSnapshots = { ...scheduleAggregate, snapshot: undefined };

  beforeAll(async () => {
    db = await createTestDatabase('schedule_snapshot');
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
    pool = createPgPool(db.url, { max: 4 });
    store = new PgEventStore(pool);
    writePath = new WritePath(store, { snapshotEvery: 3 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const snapshotOf = async (streamId: string) =>
    (await pool.query<{ stream_version: string; schema_version: number }>('SELECT stream_version::text, schema_version FROM es_snapshots WHERE stream_id = $1', [streamId])).rows[0];

  /** A state with its Maps and Sets as entry lists, so that two states compare in their iteration order too. */
  const inOrder = (state: unknown): unknown => JSON.parse(JSON.stringify(state, (_key, v: unknown) => (v instanceof Map || v instanceof Set ? [...v] : v)));

  /** Loads both ways and compares: equal values (Maps and Sets as Jest compares them) and equal order (entry lists). */
  async function expectSnapshotPlusTailEqualsFullFold(streamId: string): Promise<{ version: number }> {
    // Read back by node:v8 in Node's main realm: adopted into this spec's realm so that Jest compares Maps as Maps.
    const fromSnapshot = adoptRealm(await writePath.load(scheduleAggregate, streamId, TENANT));
    const full = await writePath.load(withoutSnapshots, streamId, TENANT);
    expect(fromSnapshot).toEqual(full);
    expect(inOrder(fromSnapshot.state)).toEqual(inOrder(full.state));
    return full;
  }

  it('loads every random history from snapshot + tail to the state of the full fold, after every command', async () => {
    let withTail = 0;
    let longest = 0;
    const accepted = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(scheduleCommand, { minLength: 10, maxLength: 30 }), async (commands) => {
        const projectId = toProjectId(randomUUID());
        const streamId = scheduleStreamId(TENANT, projectId);
        const metadata = { now: '2025-03-01T09:00:00.000Z', actor: 'user:pm-1', tenantId: TENANT };
        await writePath.handle(ctx(), scheduleAggregate, streamId, { type: 'OpenSchedule', data: { projectId, projectStart: '2025-03-03' }, metadata });
        // A small plan to start from, so that random links, moves and progress mostly find their tasks.
        const start = [...prefix, ...commands];
        for (const { type, data } of start) {
          const command = { type, data: { projectId, ...data }, metadata } as ScheduleCommand;
          try {
            const handled = await writePath.handle(ctx(), scheduleAggregate, streamId, command);
            // A no-op stores nothing, so there is nothing new to compare.
            if (!handled.events.length) continue;
            accepted.set(type, (accepted.get(type) ?? 0) + 1);
          } catch (error) {
            // A refusal is part of a random story; anything else (a contract violation, a crash) is a failure.
            if (!(error instanceof DomainError)) throw error;
            continue;
          }
          const { version } = await expectSnapshotPlusTailEqualsFullFold(streamId);
          const snap = await snapshotOf(streamId);
          if (version >= 3) expect(snap).toBeDefined();
          if (snap && Number(snap.stream_version) < version) withTail++;
          longest = Math.max(longest, version);
        }
      }),
      { numRuns: 25, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
    if (process.env.FC_STATS) console.log({ withTail, longest, accepted });
    // The histories were worth having: snapshots with events after them, and most kinds of change accepted.
    expect(withTail).toBeGreaterThan(50);
    expect(longest).toBeGreaterThan(20);
    const kinds = ['AddTaskToWbs', 'RenameTask', 'MoveTaskInWbs', 'RemoveTaskFromWbs', 'LinkDependency', 'EstimateTaskDuration', 'ConstrainTask', 'StartTask', 'SaveBaseline'];
    expect(kinds.filter((type) => !accepted.get(type))).toEqual([]);
  }, 120_000);

  it('ignores a snapshot of an older schemaVersion (an older fold\'s shape) and replaces it with the next one', async () => {
    const projectId = toProjectId(randomUUID());
    const streamId = scheduleStreamId(TENANT, projectId);
    const metadata = { now: '2025-03-01T09:00:00.000Z', actor: 'user:pm-1', tenantId: TENANT };
    const run = (command: Omit<ScheduleCommand, 'metadata'>) => writePath.handle(ctx(), scheduleAggregate, streamId, { ...command, metadata } as ScheduleCommand);
    await run({ type: 'OpenSchedule', data: { projectId, projectStart: '2025-03-03' } });
    await run({ type: 'AddTaskToWbs', data: { projectId, taskId: toTaskId('a'), name: 'A', kind: 'task', durationDays: 2 } });
    const { version } = await writePath.load(withoutSnapshots, streamId, TENANT);
    expect(await snapshotOf(streamId)).toMatchObject({ schema_version: scheduleAggregate.snapshot?.schemaVersion });
    // What the fold before ADR 0008 stored: tasks as a plain object, at the stream's head. Read as the current
    // shape it would be a schedule without tasks (and `tasks.get` would not exist).
    const oldShape = { status: 'open', projectId, projectStart: '2025-03-03', tasks: { a: { taskId: 'a', name: 'A' } }, dependencies: {} };
    await pool.query('UPDATE es_snapshots SET schema_version = 0, stream_version = $2, state = $3 WHERE stream_id = $1', [streamId, version, serialize(oldShape)]);
    const loaded = adoptRealm(await writePath.load(scheduleAggregate, streamId, TENANT));
    expect(loaded).toEqual(await writePath.load(withoutSnapshots, streamId, TENANT));
    expect(loaded.state).toMatchObject({ status: 'open', tasks: new Map([['a', expect.objectContaining({ name: 'A', durationDays: 2 })]]) });
    // The next commands fold from the start and take a snapshot of the current shape again.
    await run({ type: 'RenameTask', data: { projectId, taskId: toTaskId('a'), name: 'A1' } });
    await run({ type: 'EstimateTaskDuration', data: { projectId, taskId: toTaskId('a'), durationDays: 3 } });
    expect(await snapshotOf(streamId)).toMatchObject({ schema_version: scheduleAggregate.snapshot?.schemaVersion });
    await expectSnapshotPlusTailEqualsFullFold(streamId);
  });
});
