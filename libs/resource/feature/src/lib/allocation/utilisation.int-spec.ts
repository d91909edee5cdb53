import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { UTILISATION_WEEKS_PER_EVENT, resourceUtilisationChangedV1Schema, taskScheduleChangedV1 } from '@pm/contracts';
import { PgEventStore, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PlanningTasksProjection, RESOURCE_MIGRATIONS, ResourcePoolProjection, ResourceReadQueries, UtilisationQueries, markAllocationDirty } from '@pm/resource/data-access';
import type { TracedProjectionEvent } from '@pm/resource/data-access';
import { UTILISATION_WEEKS_PER_EVENT as DOMAIN_WEEKS_PER_EVENT, allocationStreamId, assignmentStreamId, resourceStreamId, utilisationDecider, utilisationStreamId } from '@pm/resource/domain';
import { CapacityCalculator } from '../capacity/capacity.calculator';
import { resourceOptions } from '../shared/resource-options';
import { AllocationEvaluator } from './allocation.evaluator';

const tenant = 'tenant-utilisation';
const projectId = randomUUID();
const [ada, bob, tbd, crane] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const at = '2026-02-01T09:00:00.000Z';
let position = 0;

function ev(type: string, streamId: string, streamVersion: number, data: unknown): ProjectionEvent {
  position++;
  return { eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`, type, schemaVersion: 1, tenantId: tenant, streamId, streamVersion, occurredAt: at, recordedAt: at, data };
}

const scheduled = (v: number, taskId: string, start: string, finish: string) =>
  ev('pm.planning.TaskScheduleChanged', `schedule-${projectId}`, v, {
    ...taskScheduleChangedV1.example, projectId, taskId, name: taskId, kind: 'task', start, finish, durationDays: 5, earlyStart: start, earlyFinish: finish,
    lateStart: start, lateFinish: finish, totalFloat: 0, freeFloat: 0, critical: true, status: 'not-started', previousStart: null, previousFinish: null,
  });

const person = (id: string, name: string) =>
  ev('pm.resource.PersonRegistered', resourceStreamId(tenant, id), 1, { resourceId: id, userId: null, name, role: 'Developer', department: 'IT', calendar: null, availabilityPercent: 100, registeredAt: at });

const pool$ = [
  person(ada, 'Ada'),
  // Bob has nothing assigned: before this model kept rows only for weeks with assignments, so IT's capacity left him out.
  person(bob, 'Bob'),
  ev('pm.resource.GenericResourceRegistered', resourceStreamId(tenant, tbd), 1, { resourceId: tbd, name: 'Tester TBD', role: 'Tester', department: 'IT', registeredAt: at }),
  ev('pm.resource.EquipmentRegistered', resourceStreamId(tenant, crane), 1, { resourceId: crane, name: 'Crane', kind: 'equipment', unit: null, costPerUse: null, costPerUnit: null, registeredAt: at }),
  ev('pm.resource.ResourceAssigned', assignmentStreamId(tenant, 'a1'), 1, { assignmentId: randomUUID(), resourceId: ada, resourceKind: 'person', projectId, taskId: 'build', load: { kind: 'units', percent: 100 }, assignedAt: at }),
];
const plan = [scheduled(1, 'build', '2026-03-02', '2026-03-06'), scheduled(2, 'test', '2026-03-09', '2026-03-20')];

describe('Utilisation read model: every resource, every week of the horizon (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let evaluator: AllocationEvaluator;
  let utilisation: UtilisationQueries;
  const projections = { own: new ResourcePoolProjection(), planning: new PlanningTasksProjection() };

  async function apply(own: ProjectionEvent[], planning: TracedProjectionEvent[], reset: boolean): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      if (reset) {
        await projections.own.reset(tx);
        await projections.planning.reset(tx);
        await tx.query('TRUNCATE resource_utilisation_weekly, utilisation_horizon, allocation_dirty');
      }
      for (const e of own) await projections.own.apply(e, tx);
      for (const e of planning) await projections.planning.apply(e, tx);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
  }

  /** What ReadModelSync.rebuild does: replay from zero, mark everyone, evaluate. */
  async function rebuild() {
    await apply(pool$, plan, true);
    const tx = await pool.connect();
    try {
      await markAllocationDirty(tx, tenant, [ada, bob, tbd, crane]);
    } finally {
      tx.release();
    }
    await evaluator.drain();
    return (await pool.query('SELECT * FROM resource_utilisation_weekly ORDER BY resource_id, week_start')).rows;
  }

  const rowsOf = async (resourceId: string) =>
    (await utilisation.list(tenant, 'resource', '2026-01-01', '2026-12-31')).filter((r) => r.key === resourceId).map((r) => [r.weekStart, r.capacityMinutes, r.demandMinutes]);

  beforeAll(async () => {
    db = await createTestDatabase('resource_utilisation');
    await runMigrations(db.url, RESOURCE_MIGRATIONS);
    pool = createPgPool(db.url);
    const queries = new ResourceReadQueries(pool);
    utilisation = new UtilisationQueries(pool);
    evaluator = new AllocationEvaluator(pool, queries, utilisation, new CapacityCalculator(queries, resourceOptions()), new WritePath(new PgEventStore(pool)));
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('gives idle people, placeholders and equipment a row for every week from the first task start to the last finish', async () => {
    await rebuild();
    const weeks = ['2026-03-02', '2026-03-09', '2026-03-16'];
    expect(await rowsOf(ada)).toEqual([[weeks[0], 2400, 2400], [weeks[1], 2400, 0], [weeks[2], 2400, 0]]);
    expect(await rowsOf(bob)).toEqual(weeks.map((w) => [w, 2400, 0]));
    // A placeholder has no capacity of its own, but its rows exist for reporting joins; equipment is bookable
    // during the tenant's working hours.
    expect(await rowsOf(tbd)).toEqual(weeks.map((w) => [w, 0, 0]));
    expect(await rowsOf(crane)).toEqual(weeks.map((w) => [w, 2400, 0]));
    const it = await utilisation.list(tenant, 'department', '2026-03-02', '2026-03-16');
    expect(it.filter((r) => r.key === 'IT').map((r) => [r.weekStart, r.capacityMinutes, r.demandMinutes, r.utilisationPercent])).toEqual([
      ['2026-03-02', 4800, 2400, 50],
      ['2026-03-09', 4800, 0, 0],
      ['2026-03-16', 4800, 0, 0],
    ]);
  });

  it('replaying the same events twice yields the same rows', async () => {
    const first = await rebuild();
    expect(first).toHaveLength(12);
    expect(await rebuild()).toEqual(first);
  });

  it('extends every resource when the plan grows, and shrinks them when it shrinks', async () => {
    await rebuild();
    await apply([], [scheduled(3, 'deploy', '2026-03-23', '2026-03-27')], false);
    await evaluator.drain();
    expect((await rowsOf(bob)).map(([w]) => w)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']);
    await apply([], [scheduled(4, 'deploy', '2026-03-09', '2026-03-13'), scheduled(5, 'test', '2026-03-09', '2026-03-13')], false);
    await evaluator.drain();
    expect((await rowsOf(bob)).map(([w]) => w)).toEqual(['2026-03-02', '2026-03-09']);
    expect(await rowsOf(ada)).toEqual([['2026-03-02', 2400, 2400], ['2026-03-09', 2400, 0]]);
  });

  it('books equipment against its capacity: double-booked, it is over-allocated like a person', async () => {
    await rebuild();
    const booked = (id: string, taskId: string, v: number) =>
      ev('pm.resource.ResourceAssigned', assignmentStreamId(tenant, id), v, { assignmentId: id, resourceId: crane, resourceKind: 'equipment', projectId, taskId, load: { kind: 'units', percent: 100 } as const, assignedAt: at });
    const second = booked(randomUUID(), 'build', 1);
    await apply([booked(randomUUID(), 'build', 1), second], [], false);
    await evaluator.drain();
    expect((await rowsOf(crane))[0]).toEqual(['2026-03-02', 2400, 4800]);
    const allocation = await new PgEventStore(pool).readStream(allocationStreamId(tenant, crane), { tenantId: tenant });
    expect(allocation.map((e) => e.type)).toEqual(['ResourceOverallocated']);
    expect(allocation[0]?.data).toMatchObject({ periods: [expect.objectContaining({ from: '2026-03-02', to: '2026-03-06', minutesOver: 2400 })] });
    // Raised by the service on its own, and caused by the booking that made the demand exceed the capacity.
    expect(allocation[0]?.metadata).toMatchObject({ actor: 'service:resource-service', causationId: second.eventId, tenantId: tenant });
    expect(await pool.query('SELECT 1 FROM allocation_dirty WHERE resource_id = $1', [crane])).toMatchObject({ rowCount: 0 });
  });

  it('gives the same rows live and after a rebuild when demand moves away from a published over-allocation', async () => {
    // Dee is booked twice on build (over-allocated in its week, published), then build moves two weeks later.
    const dee = randomUUID();
    const twice = [1, 2].map(() => {
      const id = randomUUID();
      return ev('pm.resource.ResourceAssigned', assignmentStreamId(tenant, id), 1, { assignmentId: id, resourceId: dee, resourceKind: 'person', projectId, taskId: 'build', load: { kind: 'units', percent: 100 }, assignedAt: at });
    });
    const own = [...pool$, person(dee, 'Dee'), ...twice];
    const all = async () => (await pool.query('SELECT * FROM resource_utilisation_weekly ORDER BY resource_id, week_start')).rows;
    await apply(own, plan, true);
    await evaluator.drain();
    const allocation = await new PgEventStore(pool).readStream(allocationStreamId(tenant, dee), { tenantId: tenant });
    expect(allocation.map((e) => e.type)).toEqual(['ResourceOverallocated']);

    // Planning's event arrives with its trace context, as the consumer hands it over from the CloudEvent.
    const trace = { correlationId: 'planning-request-7', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const moved = { ...scheduled(3, 'build', '2026-03-16', '2026-03-20'), ...trace };
    await apply([], [moved], false);
    await evaluator.drain();
    const live = await all();
    // Dee's over-allocation moved with the task: resolved where it was, published where it is now, both answering
    // planning's event (its correlation, its trace, it as the cause).
    const answered = (await new PgEventStore(pool).readStream(allocationStreamId(tenant, dee), { fromVersion: 2, tenantId: tenant })).map((e) => [e.type, e.metadata.causationId, e.metadata.correlationId, e.metadata.traceparent]);
    expect(answered).toEqual([
      ['OverallocationResolved', moved.eventId, trace.correlationId, trace.traceparent],
      ['ResourceOverallocated', moved.eventId, trace.correlationId, trace.traceparent],
    ]);
    // The published week 2026-03-02 is history, not demand: the horizon now starts on 2026-03-09 for everyone.
    expect((await rowsOf(dee)).map(([w, , d]) => [w, d])).toEqual([['2026-03-09', 0], ['2026-03-16', 4800]]);

    // What ReadModelSync.rebuild does; the allocation stream (with its published periods) stays in the store.
    await apply(own, [...plan, moved], true);
    const tx = await pool.connect();
    try {
      await markAllocationDirty(tx, tenant, [ada, bob, tbd, crane, dee]);
    } finally {
      tx.release();
    }
    await evaluator.drain();
    expect(await all()).toEqual(live);
  });

  it('a person registered later gets rows without any assignment', async () => {
    await rebuild();
    const cy = randomUUID();
    await apply([person(cy, 'Cy')], [], false);
    await evaluator.drain();
    expect((await rowsOf(cy)).map(([w, c]) => [w, c])).toEqual([['2026-03-02', 2400], ['2026-03-09', 2400], ['2026-03-16', 2400]]);
  });

  it('publishes the rows as ResourceUtilisationChanged for reporting: once, then only the weeks that moved (ADR 0502)', async () => {
    const store = new PgEventStore(pool);
    const published = async (resourceId: string, fromVersion = 1) =>
      (await store.readStream(utilisationStreamId(tenant, resourceId), { fromVersion, tenantId: tenant })).map((e) => e.data as { weeks: unknown[]; droppedWeeks: string[]; department: string | null });
    await rebuild();
    const first = await published(bob);
    expect(first.length).toBeGreaterThan(0);
    const before = first.length;
    // A rebuild marks and evaluates everyone again: same figures, nothing new on the stream.
    await rebuild();
    expect(await published(bob)).toHaveLength(before);
    // The plan grows by a week: every resource gets that week (Bob idle: 2,400 min capacity, no demand), nothing else.
    await apply([], [scheduled(3, 'deploy', '2026-03-23', '2026-03-27')], false);
    await evaluator.drain();
    expect(await published(bob, before + 1)).toEqual([
      expect.objectContaining({ department: 'IT', weeks: [{ weekStart: '2026-03-23', capacityMinutes: 2400, demandMinutes: 0 }], droppedWeeks: [] }),
    ]);
    // It shrinks back: the week is dropped, the others stay as published.
    await apply([], [scheduled(4, 'deploy', '2026-03-16', '2026-03-20')], false);
    await evaluator.drain();
    expect(await published(bob, before + 2)).toEqual([expect.objectContaining({ weeks: [], droppedWeeks: ['2026-03-23'] })]);
  });

  it('splits a long first publication into events the contract accepts (the domain bound is the contract bound)', () => {
    expect(DOMAIN_WEEKS_PER_EVENT).toBe(UTILISATION_WEEKS_PER_EVENT);
    const weeks = Array.from({ length: 600 }, (_, i) => ({ weekStart: new Date(Date.parse('2026-01-05') + i * 604_800_000).toISOString().slice(0, 10), capacityMinutes: 2400, demandMinutes: 3000 }));
    const profile = { name: 'Ada', kind: 'person' as const, role: 'Developer', department: 'IT' };
    const events = utilisationDecider.decide({ type: 'RecordResourceUtilisation', data: { resourceId: ada, profile, weeks }, metadata: { now: at, actor: 'service:resource-service', tenantId: tenant } }, utilisationDecider.initialState());
    expect(events.map((e) => e.data.weeks.length)).toEqual([260, 260, 80]);
    for (const e of events) expect(resourceUtilisationChangedV1Schema.safeParse(e.data).success).toBe(true);
  });
});
