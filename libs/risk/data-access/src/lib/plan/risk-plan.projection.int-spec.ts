import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import type { CloudEventEnvelope } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { projectionEventsOf } from '@pm/platform/projections';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RISK_MIGRATIONS } from '../risk.migrations';
import { RiskPlanProjection } from './risk-plan.projection';
import { RiskPlanQueries } from './risk-plan.queries';

const tenant = 'tenant-plan';
const projectId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const stream = `schedule:${tenant}:${projectId}`;
const calendar = { calendarId: 'std', name: 'Standard', workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [], exceptions: [] };
let version = 0;
const ev = (type: string, data: object): ProjectionEvent => ({
  eventId: randomUUID(),
  type: `pm.planning.${type}`,
  schemaVersion: 1,
  tenantId: tenant,
  streamId: stream,
  streamVersion: ++version,
  occurredAt: '2026-03-02T09:00:00.000Z',
  recordedAt: '2026-03-02T09:00:00.000Z',
  data: { projectId, ...data },
});
const task = (taskId: string, kind: string, durationDays: number) => ev('TaskAddedToWbs', { taskId, name: taskId, kind, parentId: null, position: 0, durationDays, workHours: null, costBudget: 1000 });

const log: ProjectionEvent[] = [
  ev('ScheduleOpened', { projectStart: '2026-03-02', calendar, openedAt: '2026-03-02T09:00:00.000Z' }),
  ev('HolidayDeclared', { date: '2026-03-06', name: 'Closed' }),
  ev('CalendarExceptionRecorded', { date: '2026-03-07', working: true, hours: null, reason: 'Cut-over' }),
  task('phase', 'summary', 0),
  task('design', 'task', 5),
  task('build', 'task', 10),
  task('gone', 'task', 1),
  ev('TaskThreePointEstimated', { taskId: 'build', optimisticDays: 8, mostLikelyDays: 10, pessimisticDays: 20, expectedDays: 11.33, standardDeviationDays: 2 }),
  ev('TaskDurationEstimated', { taskId: 'design', durationDays: 6 }),
  ev('TaskConstrained', { taskId: 'build', constraint: { type: 'SNET', date: '2026-03-09' } }),
  ev('DependencyLinked', { dependencyId: 'd1', predecessorId: 'design', successorId: 'build', dependencyType: 'FS', lagDays: 0 }),
  ev('DependencyLinked', { dependencyId: 'd2', predecessorId: 'phase', successorId: 'build', dependencyType: 'SS', lagDays: 0 }),
  ev('DependencyLinked', { dependencyId: 'd3', predecessorId: 'gone', successorId: 'build', dependencyType: 'FS', lagDays: 0 }),
  ev('DependencyLagAdjusted', { dependencyId: 'd1', lagDays: 2 }),
  ev('TaskRemovedFromWbs', { taskId: 'gone', parentId: null }),
  ev('TaskStarted', { taskId: 'design', actualStart: '2026-03-02' }),
  ev('TaskProgressRecorded', { taskId: 'design', percentComplete: 50, remainingDurationDays: 3, asOf: '2026-03-05' }),
  ev('ScheduleStatusDateSet', { statusDate: '2026-03-05' }),
];

describe('Risk service plan copy (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new RiskPlanProjection();

  async function replay(events: ProjectionEvent[], reset = false): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      if (reset) await projection.reset(tx);
      for (const e of events) if (projection.handles.includes(e.type)) await projection.apply(e, tx);
      await tx.query('COMMIT');
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    } finally {
      tx.release();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('risk_plan_copy');
    await runMigrations(db.url, RISK_MIGRATIONS);
    pool = createPgPool(db.url);
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('keeps what a simulation needs: durations, estimates, constraints, progress, links without summaries or removed tasks, the calendar and status date', async () => {
    await replay(log, true);
    expect(await new RiskPlanQueries(pool).plan(tenant, projectId)).toEqual({
      projectStart: '2026-03-02',
      statusDate: '2026-03-05',
      calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: ['2026-03-06'], exceptions: [{ date: '2026-03-07', working: true }] },
      tasks: [
        { id: 'build', duration: 10, estimate: { optimistic: 8, mostLikely: 10, pessimistic: 20 }, constraint: { type: 'SNET', date: '2026-03-09' }, cost: { timeDependent: 1000 } },
        { id: 'design', duration: 6, progress: { actualStart: '2026-03-02', remainingDuration: 3 }, cost: { timeDependent: 1000 } },
      ],
      links: [{ from: 'design', to: 'build', type: 'FS', lag: 2 }],
    });
  });

  it('gives the same plan when the whole log is delivered again (at least once)', async () => {
    const before = await new RiskPlanQueries(pool).plan(tenant, projectId);
    await replay(log);
    expect(await new RiskPlanQueries(pool).plan(tenant, projectId)).toEqual(before);
  });

  it('applies the parts of a committed import as events of the schedule stream (ADR 0009)', async () => {
    const file = path.resolve(__dirname, '../../../../../contracts/src/planning/samples/pm.planning.ScheduleImportStaged.v1.json');
    const part = JSON.parse(readFileSync(file, 'utf8')) as CloudEventEnvelope;
    const importedProject = (part.data as { projectId: string }).projectId;
    const staged = { ...part, tenantid: 'tenant-import', stagedfor: `schedule:tenant-import:${importedProject}`, stagedversion: 2 } as CloudEventEnvelope;
    const opened = { ...log[0], tenantId: 'tenant-import', data: { ...(log[0].data as object), projectId: importedProject } };
    await replay([opened, ...projectionEventsOf(staged)]);
    const plan = await new RiskPlanQueries(pool).plan('tenant-import', importedProject);
    expect(plan?.tasks.map((t) => t.id)).toContain('t1');
    // The sample part links t1 to a task of a later part: the link is kept, and used once both ends are there.
    const links = await pool.query(`SELECT dependency_id FROM risk_plan_links WHERE tenant_id = 'tenant-import'`);
    expect(links.rows.map((r) => r.dependency_id)).toContain('l1-2');
  });
});
