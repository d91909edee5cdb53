import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ProjectSummaryProjection } from './project-summary.projection';
import { ProjectSummaryQueries } from './project-summary.queries';
import { ProjectSummarySchema1764100001000 } from './project-summary.schema';

function created(tenantId: string, name: string, extra: Record<string, unknown> = {}): ProjectionEvent {
  const projectId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'pm.planning.ProjectCreated',
    schemaVersion: 1,
    tenantId,
    streamId: `project-${projectId}`,
    streamVersion: 1,
    occurredAt: '2026-03-01T09:00:00.000Z',
    recordedAt: '2026-03-01T09:00:00.000Z',
    data: {
      projectId,
      name,
      code: null,
      description: null,
      startDate: '2026-04-01',
      targetFinishDate: null,
      status: 'initiating',
      priority: 'medium',
      sponsor: null,
      managerId: null,
      currency: 'EUR',
      calendarId: null,
      createdAt: '2026-03-01T09:00:00.000Z',
      ...extra,
    },
  };
}

function renamedV1(of: ProjectionEvent, name: string, streamVersion: number): ProjectionEvent {
  const projectId = (of.data as { projectId: string }).projectId;
  return { ...of, eventId: randomUUID(), type: 'pm.planning.ProjectRenamed', schemaVersion: 1, streamVersion, data: { projectId, name } };
}

describe('ProjectSummaryProjection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new ProjectSummaryProjection();

  const erp = created('tenant-a', 'ERP migration', { priority: 'high', code: 'ERP-01' });
  const crm = created('tenant-a', 'CRM rollout');
  const other = created('tenant-b', 'Data centre exit');
  const erpId = (erp.data as { projectId: string }).projectId;
  const lifecycle = (of: ProjectionEvent, type: string, streamVersion: number, data: Record<string, unknown>): ProjectionEvent => ({
    ...of,
    eventId: randomUUID(),
    type: `pm.planning.${type}`,
    schemaVersion: 1,
    streamVersion,
    data: { projectId: (of.data as { projectId: string }).projectId, ...data },
  });
  const history = [
    erp,
    crm,
    other,
    renamedV1(erp, 'ERP consolidation', 2),
    lifecycle(erp, 'ProjectPhaseAdvanced', 4, { fromPhase: 'initiating', toPhase: 'planning', gateId: 'g1', advancedAt: '2026-03-02T09:00:00.000Z' }),
    lifecycle(crm, 'ProjectPutOnHold', 2, { previousStatus: 'planning', reason: 'Budget freeze', heldBy: 'user:pm', heldAt: '2026-03-03T09:00:00.000Z' }),
  ];

  async function replay(events: ProjectionEvent[], reset: boolean) {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      if (reset) await projection.reset(tx);
      for (const e of events) await projection.apply(e, tx);
      await tx.query('COMMIT');
    } catch (err) {
      await tx.query('ROLLBACK');
      throw err;
    } finally {
      tx.release();
    }
    return (await pool.query('SELECT * FROM project_summaries ORDER BY tenant_id, project_id')).rows;
  }

  beforeAll(async () => {
    db = await createTestDatabase('project_summary');
    await runMigrations(db.url, [ProjectSummarySchema1764100001000]);
    pool = createPgPool(db.url);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('replaying the same events twice yields the same read model', async () => {
    const first = await replay(history, true);
    const second = await replay(history, true);
    expect(second).toEqual(first);
    expect(first).toHaveLength(3);
  });

  it('a redelivered or stale event changes nothing', async () => {
    const before = await replay(history, true);
    expect(await replay([...history].reverse(), false)).toEqual(before);
  });

  it('upcasts ProjectRenamed v1 and lists projects per tenant only, sorted by name', async () => {
    await replay(history, true);
    const queries = new ProjectSummaryQueries(pool);
    const a = await queries.list('tenant-a', { limit: 10, offset: 0 });
    expect(a.total).toBe(2);
    expect(a.items.map((p) => [p.name, p.priority, p.code, p.startDate, p.status])).toEqual([
      ['CRM rollout', 'medium', null, '2026-04-01', 'on-hold'],
      ['ERP consolidation', 'high', 'ERP-01', '2026-04-01', 'planning'],
    ]);
    expect((await queries.list('tenant-a', { limit: 10, offset: 0, status: 'on-hold' })).items.map((p) => p.name)).toEqual(['CRM rollout']);
    const b = await queries.list('tenant-b', { limit: 10, offset: 0 });
    expect(b.items.map((p) => p.name)).toEqual(['Data centre exit']);
    expect((await queries.list('tenant-c', { limit: 10, offset: 0 })).total).toBe(0);
    expect((await queries.list('tenant-a', { limit: 1, offset: 1 })).items.map((p) => p.name)).toEqual(['ERP consolidation']);
    // A page past the end is empty and still counts the tenant's projects (one statement: total and page agree).
    expect(await queries.list('tenant-a', { limit: 10, offset: 5 })).toEqual({ items: [], total: 2, limit: 10, offset: 5 });
    expect(await queries.list('tenant-c', { limit: 10, offset: 0 })).toEqual({ items: [], total: 0, limit: 10, offset: 0 });
  });

  it('refuses (for a retry) an update whose project summary does not exist yet, so the update is not lost', async () => {
    await replay([], true);
    await expect(replay([renamedV1(erp, 'Too early', 2)], false)).rejects.toMatchObject({ code: 'PROJECT_SUMMARY_MISSING', projectId: erpId });
  });

  it('rejects event data that breaks the contract', async () => {
    const bad = { ...created('tenant-a', 'x'), data: { name: '' } };
    await expect(replay([bad], false)).rejects.toMatchObject({ code: 'INVALID_EVENT_DATA' });
  });
});
