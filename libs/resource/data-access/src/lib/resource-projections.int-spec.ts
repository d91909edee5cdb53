import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { projectCreatedV1, taskAddedToWbsV1, taskScheduleChangedV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { assignmentStreamId, resourceStreamId, tenantSettingsStreamId } from '@pm/resource/domain';
import { markAllocationDirty, takeDirty } from './allocation-dirty';
import { PlanningTasksProjection } from './planning-tasks.projection';
import { ResourcePoolProjection } from './resource-pool.projection';
import { ResourceReadQueries } from './resource-read.queries';
import { RESOURCE_MIGRATIONS } from './resource.migrations';

const tenant = 'tenant-a';
const projectId = randomUUID();
const ada = randomUUID();
const tbd = randomUUID();
const assignmentId = randomUUID();
const at = '2026-03-01T09:00:00.000Z';

function ev(type: string, streamId: string, streamVersion: number, data: unknown, tenantId = tenant): ProjectionEvent {
  return { eventId: randomUUID(), type, schemaVersion: 1, tenantId, streamId, streamVersion, occurredAt: at, recordedAt: at, data };
}

const scheduled = (v: number, start: string, finish: string) =>
  ev('pm.planning.TaskScheduleChanged', `schedule-${projectId}`, v, {
    ...taskScheduleChangedV1.example, projectId, taskId: 'build', name: 'Build', kind: 'task', start, finish, durationDays: 5, earlyStart: start, earlyFinish: finish,
    lateStart: start, lateFinish: finish, totalFloat: 0, freeFloat: 0, critical: true, status: 'not-started', previousStart: null, previousFinish: null,
  });

const own = [
  ev('pm.resource.PersonRegistered', resourceStreamId(tenant, ada), 1, { resourceId: ada, userId: 'ada', name: 'Ada', role: 'Developer', department: 'IT', calendar: null, availabilityPercent: 100, registeredAt: at }),
  ev('pm.resource.SkillRecorded', resourceStreamId(tenant, ada), 2, { resourceId: ada, skill: 'java', level: 4, recordedAt: at }),
  ev('pm.resource.LeaveRecorded', resourceStreamId(tenant, ada), 3, { resourceId: ada, from: '2026-08-03', to: '2026-08-07', reason: null, recordedAt: at }),
  ev('pm.resource.GenericResourceRegistered', resourceStreamId(tenant, tbd), 1, { resourceId: tbd, name: 'Dev TBD', role: 'Developer', department: null, registeredAt: at }),
  ev('pm.resource.ResourceAssigned', assignmentStreamId(tenant, assignmentId), 1, { assignmentId, resourceId: tbd, resourceKind: 'generic', projectId, taskId: 'build', load: { kind: 'units', percent: 50 }, assignedAt: at }),
  ev('pm.resource.TenantCalendarSet', tenantSettingsStreamId(tenant), 1, { calendar: { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: [] }, setBy: 'user:rm', setAt: at }),
  ev('pm.resource.BudgetThresholdSet', tenantSettingsStreamId(tenant), 2, { thresholdPercent: 90, setBy: 'user:pmo', setAt: at }),
  ev('pm.resource.AssignedResourceReplaced', assignmentStreamId(tenant, assignmentId), 2, { assignmentId, previousResourceId: tbd, previousResourceKind: 'generic', resourceId: ada, taskId: 'build', replacedAt: at }),
];
const planning = [
  ev('pm.planning.ProjectCreated', `project-${projectId}`, 1, { ...projectCreatedV1.example, projectId, priority: 'critical' }),
  ev('pm.planning.TaskAddedToWbs', `schedule-${projectId}`, 2, { ...taskAddedToWbsV1.example, projectId, taskId: 'build', name: 'Build', kind: 'task' }),
  scheduled(3, '2026-03-02', '2026-03-06'),
  scheduled(5, '2026-03-09', '2026-03-13'),
];

describe('Resource read models (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const pairs: Array<[Projection, ProjectionEvent[]]> = [
    [new ResourcePoolProjection(), own],
    [new PlanningTasksProjection(), planning],
  ];

  async function replay(events: Array<[Projection, ProjectionEvent[]]>, reset: boolean) {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      for (const [p, list] of events) {
        if (reset) await p.reset(tx);
        for (const e of list) if (p.handles.includes(e.type)) await p.apply(e, tx);
      }
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    const snapshot = async (table: string) => (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)).rows;
    const settings = (await pool.query('SELECT * FROM tenant_settings ORDER BY 1')).rows;
    const projects = (await pool.query('SELECT * FROM planning_projects ORDER BY 1, 2')).rows;
    return { pool: await snapshot('resource_pool'), assignments: await snapshot('resource_assignments'), tasks: await snapshot('planning_tasks'), settings, projects };
  }

  beforeAll(async () => {
    db = await createTestDatabase('resource_read_models');
    await runMigrations(db.url, RESOURCE_MIGRATIONS);
    pool = createPgPool(db.url);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('replaying the same events twice yields the same read models', async () => {
    const first = await replay(pairs, true);
    expect(await replay(pairs, true)).toEqual(first);
    expect(first.pool).toHaveLength(2);
  });

  it('ignores redelivered and stale events (the latest task dates win)', async () => {
    const before = await replay(pairs, true);
    const stale: Array<[Projection, ProjectionEvent[]]> = [[pairs[0][0], [...own].reverse()], [pairs[1][0], [scheduled(4, '2026-01-05', '2026-01-09'), ...planning]]];
    expect(await replay(stale, false)).toEqual(before);
  });

  it('answers the demand query with the replaced person and the latest dates, per tenant only', async () => {
    await replay(pairs, true);
    const q = new ResourceReadQueries(pool);
    expect(await q.scheduledAssignments(tenant, [ada])).toEqual([
      { assignmentId, resourceId: ada, projectId, taskId: 'build', load: { kind: 'units', percent: 50 }, start: '2026-03-09', finish: '2026-03-13' },
    ]);
    expect(await q.scheduledAssignments('tenant-b', [ada])).toEqual([]);
    expect((await q.listPool(tenant, { skill: 'Java', minLevel: 4 })).map((e) => e.name)).toEqual(['Ada']);
    expect(await q.listPool(tenant, { skill: 'java', minLevel: 5 })).toEqual([]);
    expect((await q.poolEntry(tenant, ada))?.leave).toEqual([{ from: '2026-08-03', to: '2026-08-07' }]);
    expect(await q.tenantSettings(tenant)).toEqual({ calendar: { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: [] }, thresholdPercent: 90 });
    expect(await q.tenantSettings('tenant-b')).toEqual({ calendar: null, thresholdPercent: null });
    expect(await q.projectPriorities(tenant)).toEqual(new Map([[projectId, 'critical']]));
  });

  it('marks the assignees of a task that moved for over-allocation re-evaluation, with the event as the cause', async () => {
    await pool.query('DELETE FROM allocation_dirty');
    const trace = { correlationId: 'req-42', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const moved = { ...scheduled(9, '2026-04-06', '2026-04-10'), ...trace };
    await replay([[pairs[1][0], [moved]]], false);
    expect((await pool.query('SELECT resource_id FROM allocation_dirty')).rows).toEqual([{ resource_id: ada }]);
    const [dirty] = await takeDirty(pool);
    expect(dirty).toMatchObject({ tenantId: tenant, resourceId: ada, cause: { eventId: moved.eventId, ...trace } });

    // A later mark with a cause takes its place; a mark without one (a rebuild) keeps it.
    const later = scheduled(10, '2026-04-13', '2026-04-17');
    await replay([[pairs[1][0], [later]]], false);
    expect((await takeDirty(pool))[0]?.cause).toEqual({ eventId: later.eventId, correlationId: null, traceparent: null });
    const tx = await pool.connect();
    try {
      await markAllocationDirty(tx, tenant, [ada]);
    } finally {
      tx.release();
    }
    const [remarked] = await takeDirty(pool);
    expect(remarked?.cause).toEqual({ eventId: later.eventId, correlationId: null, traceparent: null });
    expect(BigInt(remarked?.mark ?? 0)).toBeGreaterThan(BigInt(dirty?.mark ?? 0));
  });
});
