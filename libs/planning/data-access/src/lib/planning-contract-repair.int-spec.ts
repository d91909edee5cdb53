import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { contractRegistry } from '@pm/contracts';
import { projectAggregate, scheduleAggregate, scheduleStreamId, toProjectId, toTaskId } from '@pm/planning/domain';
import type { ProjectCommand, ScheduleCommand } from '@pm/planning/domain';
import { PgEventStore, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { NewEvent } from '@pm/platform/event-store';
import { LaneProjectionRunner } from '@pm/platform/projections';
import type { RequestContext } from '@pm/platform/request-context';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { concludeAtOnce } from '@pm/shared/ddd';
import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import { PLANNING_MIGRATIONS } from './planning.migrations';
import { ScheduleRowsProjection } from './schedule/schedule-rows.projection';
import { ScheduleRowsRepository } from './schedule/schedule-rows.repository';
import { buildScheduleView } from './schedule/schedule-view.builder';

/**
 * The one-write-path migrations on a store the old code wrote: stream ids without a tenant, and events that a
 * prototype-key lookup damaged (a task id such as `constructor` found Object.prototype's member, whose `taskId`
 * was undefined, and JSON dropped the field). After the migrations every stream is tenant-scoped, the damaged
 * events are in es_quarantine and out of the log, and every stream loads, parses and projects.
 */
const TENANT = 'acme';
const timestampOf = (migration: new () => { name?: string }): number => Number(/(\d{13})$/.exec(new migration().name ?? '')?.[1]);
const FIRST_NEW = timestampOf(PLANNING_MIGRATIONS.find((m) => new m().name === 'PlanningTenantScopedStreamIds1764300000000')!);

const metadata = { now: '2025-03-01T09:00:00.000Z', actor: 'user:pm-1', tenantId: TENANT };
const newEvent = (event: DomainEvent, schemaVersion = contractRegistry.latest(`pm.planning.${event.type}`).version): NewEvent => ({
  type: event.type,
  data: event.data,
  schemaVersion,
  metadata: { eventId: randomUUID(), tenantId: TENANT, actor: 'user:pm-1', correlationId: randomUUID(), causationId: null, traceparent: null, occurredAt: metadata.now },
});

/** Valid history, decided and concluded by the real aggregate as the write path would. */
function history<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, commands: readonly C[]): E[] {
  let state = aggregate.decider.initialState();
  const log: E[] = [];
  for (const command of commands) {
    const decided = aggregate.decider.decide(command, state);
    state = decided.reduce(aggregate.decider.evolve, state);
    const concluded = concludeAtOnce(aggregate, state, decided);
    state = concluded.reduce(aggregate.decider.evolve, state);
    log.push(...decided, ...concluded);
  }
  return log;
}

const scheduleCommands = (projectId: string): ScheduleCommand[] => {
  const pid = toProjectId(projectId);
  const c = (type: ScheduleCommand['type'], data: object) => ({ type, data: { projectId: pid, ...data }, metadata }) as ScheduleCommand;
  return [
    c('OpenSchedule', { projectStart: '2025-03-03' }),
    c('AddTaskToWbs', { taskId: toTaskId('a'), name: 'A', kind: 'task', durationDays: 2 }),
    c('AddTaskToWbs', { taskId: toTaskId('b'), name: 'B', kind: 'task', durationDays: 3 }),
    c('LinkDependency', { dependencyId: 'd1', predecessorId: toTaskId('a'), successorId: toTaskId('b'), lagDays: 1 }),
    c('RenameTask', { taskId: toTaskId('a'), name: 'A1' }),
    c('StartTask', { taskId: toTaskId('a'), actualStart: '2025-03-03' }),
  ];
};

describe('Planning migrations on a store written before the one write path (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  const p1 = randomUUID();
  const p2 = randomUUID();
  const valid1 = history(scheduleAggregate, scheduleCommands(p1));
  const valid2 = history(scheduleAggregate, scheduleCommands(p2).slice(0, 3));
  const project = history(projectAggregate, [{ type: 'CreateProject', data: { projectId: toProjectId(p1), name: 'CRM roll-out', startDate: '2025-03-03' }, metadata } as ProjectCommand]);
  /** What the old decisions wrote about `constructor`, `__proto__`, `toString`: every id field dropped. */
  const damaged: NewEvent[] = [
    newEvent({ type: 'TaskRenamed', data: { projectId: p1, name: 'Renamed constructor' } }),
    newEvent({ type: 'TaskDurationEstimated', data: { projectId: p1, durationDays: 4 } }),
    newEvent({ type: 'TaskStarted', data: { projectId: p1, actualStart: '2025-03-04' } }),
    newEvent({ type: 'DependencyLagAdjusted', data: { projectId: p1, lagDays: 2 } }),
  ];
  /** Broken otherwise: a value out of range, and a missing id next to a wrong value. Judged by an operator, not moved. */
  const keptNegative = newEvent({ type: 'TaskDurationEstimated', data: { projectId: p2, taskId: 'b', durationDays: -2 } });
  const keptMixed = newEvent({ type: 'TaskRenamed', data: { projectId: p2, name: '' } });
  let ran: string[];
  let warnings: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('planning_contract_repair');
    const before = PLANNING_MIGRATIONS.filter((m) => timestampOf(m) < FIRST_NEW);
    expect(before.length).toBeGreaterThan(3);
    await runMigrations(db.url, before);
    pool = createPgPool(db.url, { max: 4 });
    store = new PgEventStore(pool);
    // Old stream ids; damaged events between valid ones, as they were appended over time.
    const s1 = valid1.map((e) => newEvent(e));
    await store.append(`schedule-${p1}`, [...s1.slice(0, 6), damaged[0], damaged[1]], 'no-stream');
    await store.append(`schedule-${p1}`, [...s1.slice(6, 9), damaged[2], damaged[3], ...s1.slice(9)], 'stream-exists');
    await store.append(`project-${p1}`, project.map((e) => newEvent(e)), 'no-stream');
    await store.append(`schedule-${p2}`, [...valid2.map((e) => newEvent(e)), keptNegative, keptMixed], 'no-stream');
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      ran = await runMigrations(db.url, PLANNING_MIGRATIONS);
      warnings = warn.mock.calls.map(([message]) => String(message));
    } finally {
      warn.mockRestore();
    }
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const rows = async () =>
    (await pool.query<{ stream_id: string; stream_version: number; event_id: string; event_type: string; schema_version: number; data: unknown }>(
      'SELECT stream_id, stream_version::int4 AS stream_version, event_id::text, event_type, schema_version, data FROM es_events ORDER BY global_position',
    )).rows;
  const quarantine = async () =>
    (await pool.query<{ moved: boolean; reason: string; event_id: string; event_type: string; stream_id: string }>(
      "SELECT moved, reason, event->>'event_id' AS event_id, event->>'event_type' AS event_type, event->>'stream_id' AS stream_id FROM es_quarantine ORDER BY global_position",
    )).rows;
  const ctx = (): RequestContext => ({
    principal: { sub: 'pm-1', tenantId: TENANT, roles: ['project-manager'], actor: 'user:pm-1' },
    now: metadata.now,
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    traceparent: null,
  });

  it('runs exactly the new migrations, in order', () => {
    expect(ran).toEqual(['PlanningTenantScopedStreamIds1764300000000', 'PlanningScheduleViewRebuild1764300000100', 'PlanningContractRepair1764300000200', 'PlanningImportInputsSchema1764300000400', 'ProjectionLanesSchema1764400000100', 'PlanningScheduleRowsSchema1764400000200', 'EventStoreBinarySnapshots1764500000000', 'PlanningScheduleRollupsSchema1764500000100', 'PlanningChangeRequestRowsSchema1764600000100', 'IdempotencyKeys1765200000000', 'EventStoreRecordedAtClock1765300000000']);
  });

  it('moves every event whose only violations are missing fields to es_quarantine, with the reason', async () => {
    const q = await quarantine();
    expect(q.filter((r) => r.moved)).toEqual([
      { moved: true, event_id: damaged[0].metadata.eventId, event_type: 'TaskRenamed', stream_id: scheduleStreamId(TENANT, p1), reason: expect.stringMatching(/^\/taskId: /) },
      { moved: true, event_id: damaged[1].metadata.eventId, event_type: 'TaskDurationEstimated', stream_id: scheduleStreamId(TENANT, p1), reason: expect.stringMatching(/^\/taskId: /) },
      { moved: true, event_id: damaged[2].metadata.eventId, event_type: 'TaskStarted', stream_id: scheduleStreamId(TENANT, p1), reason: expect.stringMatching(/^\/taskId: /) },
      { moved: true, event_id: damaged[3].metadata.eventId, event_type: 'DependencyLagAdjusted', stream_id: scheduleStreamId(TENANT, p1), reason: expect.stringMatching(/^\/dependencyId: /) },
    ]);
    const left = new Set((await rows()).map((r) => r.event_id));
    expect(damaged.filter((e) => left.has(e.metadata.eventId))).toEqual([]);
  });

  it('records a violation that is not only missing fields, and leaves that event in the log', async () => {
    const kept = (await quarantine()).filter((r) => !r.moved);
    expect(kept).toEqual([
      expect.objectContaining({ event_id: keptNegative.metadata.eventId, reason: expect.stringMatching(/^\/durationDays: /) }),
      expect.objectContaining({ event_id: keptMixed.metadata.eventId, reason: expect.stringMatching(/\/taskId: .*; \/name: |\/name: .*; \/taskId: /) }),
    ]);
    const left = new Set((await rows()).map((r) => r.event_id));
    expect(left.has(keptNegative.metadata.eventId) && left.has(keptMixed.metadata.eventId)).toBe(true);
    // And says so: one warning per kept event, naming its stream and type.
    expect(warnings).toEqual([
      expect.stringContaining(`${scheduleStreamId(TENANT, p2)} TaskDurationEstimated`),
      expect.stringContaining(`${scheduleStreamId(TENANT, p2)} TaskRenamed`),
    ]);
  });

  it('renames every valid event to its tenant-scoped stream, keeping versions and order', async () => {
    const all = await rows();
    expect(all.filter((r) => !/^(schedule|project):acme:/.test(r.stream_id))).toEqual([]);
    const ofStream = (id: string) => all.filter((r) => r.stream_id === id);
    expect(ofStream(scheduleStreamId(TENANT, p1)).map((r) => r.event_type)).toEqual(valid1.map((e) => e.type));
    expect(ofStream(scheduleStreamId(TENANT, p1)).map((r) => r.data)).toEqual(valid1.map((e) => JSON.parse(JSON.stringify(e.data))));
    // The damaged events' versions are gaps now; the others keep theirs.
    expect(ofStream(scheduleStreamId(TENANT, p1)).map((r) => r.stream_version)).toEqual([1, 2, 3, 4, 5, 6, 9, 10, 11, ...valid1.slice(9).map((_, i) => 14 + i)]);
    expect(ofStream(`project:acme:${p1}`).map((r) => r.event_type)).toEqual(project.map((e) => e.type));
    expect(ofStream(scheduleStreamId(TENANT, p2))).toHaveLength(valid2.length + 2);
  });

  it('leaves only events that parse with their contracts, but for the ones recorded as kept', async () => {
    const kept = new Set((await quarantine()).filter((r) => !r.moved).map((r) => r.event_id));
    const failing = (await rows()).filter((r) => {
      try {
        contractRegistry.parse(`pm.planning.${r.event_type}`, r.schema_version, r.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(new Set(failing.map((r) => r.event_id))).toEqual(kept);
  });

  it('loads every stream with the write path, to the state of its valid events; the repaired one takes new commands', async () => {
    const writePath = new WritePath(store);
    const schedule1 = await writePath.load(scheduleAggregate, scheduleStreamId(TENANT, p1), TENANT);
    expect(schedule1.state).toEqual(valid1.reduce(scheduleAggregate.decider.evolve, scheduleAggregate.decider.initialState()));
    expect(schedule1.version).toBe(14 + valid1.length - 10);
    const schedule2 = await writePath.load(scheduleAggregate, scheduleStreamId(TENANT, p2), TENANT);
    expect(schedule2.version).toBe(valid2.length + 2);
    expect((await writePath.load(projectAggregate, `project:acme:${p1}`, TENANT)).state).toEqual(project.reduce(projectAggregate.decider.evolve, projectAggregate.decider.initialState()));
    const handled = await writePath.handle(ctx(), scheduleAggregate, scheduleStreamId(TENANT, p1), { type: 'RenameTask', data: { projectId: toProjectId(p1), taskId: toTaskId('b'), name: 'B1' }, metadata });
    expect(handled.version).toBe(schedule1.version + 1);
  });

  it('projects every remaining event into the schedule read model, which matches the write side', async () => {
    const runner = new LaneProjectionRunner({ projection: new ScheduleRowsProjection(store), context: 'planning', pool, store, readBatchSize: 7, laneBatchSize: 7 });
    // The xid8-safe tail holds back events behind transactions still open elsewhere on the server.
    await waitFor(async () => (await runner.catchUp()) >= 0 && (await runner.lag()) === 0, { what: 'the schedule rows caught up' });
    const repository = new ScheduleRowsRepository(pool);
    const writePath = new WritePath(store);
    for (const projectId of [p1, p2]) {
      const view = await repository.state(TENANT, projectId);
      const loaded = await writePath.load(scheduleAggregate, scheduleStreamId(TENANT, projectId), TENANT);
      expect(view?.version).toBe(loaded.version);
      expect(buildScheduleView(view!.state, projectId, 0)).toEqual(buildScheduleView(loaded.state, projectId, 0));
    }
  });
});
