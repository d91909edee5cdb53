import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioHeatMapsProjection } from './portfolio-heat-maps.projection';
import { HeatMapEventsOf, newId } from './portfolio-heat-maps.test-events';
import { PortfolioProjection } from './portfolio.projection';
import { PortfolioEventsOf } from './portfolio.test-events';
import { ProjectSummaryMissing, ProjectSummaryProjection } from './project-summary.projection';
import { REPORTING_MIGRATIONS } from './reporting.migrations';

/** Each table and the order that makes its rows comparable. */
const TABLES: Record<string, string> = {
  project_summaries: 'project_id',
  portfolio_project_facts: 'event_id',
  portfolio_schedule_facts: 'event_id',
  portfolio_risk_facts: 'event_id',
  portfolio_change_request_facts: 'event_id',
  portfolio_resource_facts: 'event_id',
  portfolio_utilisation_facts: 'event_id, week_start',
  portfolio_risk_register_facts: 'event_id',
};
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();

/** The history of two tenants' projects with the cases the per-event rules exist for. */
function history(): ProjectionEvent[] {
  const erp = new PortfolioEventsOf('tenant-a');
  const crm = new PortfolioEventsOf('tenant-a');
  const dc = new PortfolioEventsOf('tenant-b');
  const cr = randomUUID();
  const register = new HeatMapEventsOf('tenant-a');
  const [ada, risk] = [newId(), newId()];
  const dev = { name: 'Ada', role: 'Developer', department: 'IT' };
  const identified = register.riskIdentified(at(3, 12), risk, erp.projectId, 'Vendor late');
  const assessed = register.riskAssessed(at(4, 12), risk, erp.projectId, { schedule: [4, 4] }, null, 'high');
  const events = [
    erp.created(at(1), 'ERP migration'),
    crm.created(at(1, 10), 'CRM rollout'),
    dc.created(at(1, 11), 'Data centre exit'),
    erp.gateRequested(at(2), 'gate-1'),
    erp.gateApproved(at(3), 'gate-1'),
    erp.advanced(at(3), 'executing'),
    erp.scheduled(at(3, 10), '2026-11-30'),
    erp.earnedValue(at(4), { pv: 3000, ev: 2500, ac: 2800, overdue: 1 }),
    erp.exposure(at(4, 10), { critical: 1, high: 2, openIssues: 4, p80Finish: '2027-01-15' }),
    erp.changeRequestRaised(at(4, 11), cr),
    crm.putOnHold(at(5)),
    register.utilisation(at(2, 10), ada, dev, [['2026-03-02', 2400, 2880], ['2026-03-30', 2400, 2400]]),
    identified,
    assessed,
    register.utilisation(at(5, 10), ada, dev, [['2026-03-02', 2400, 2400]], ['2026-03-30']),
    erp.renamed(at(6), 'ERP consolidation'),
  ];
  const renamed = events[events.length - 1];
  return [
    ...events,
    // A redelivery (same event id) and a stale one (an older stream version under a new id): both change nothing.
    { ...renamed },
    { ...renamed, eventId: randomUUID(), streamVersion: renamed.streamVersion - 1, data: { projectId: erp.projectId, name: 'Stale name' } },
    // Recorded before the row it follows (a producer's clock stepped back): counts from that row's start.
    erp.earnedValue(at(2), { pv: 6000, ev: 6100, ac: 5900, overdue: 0 }),
    erp.changeRequestApproved(at(7), cr),
    // The same rules for the register's rows: a redelivery, and an owner recorded before the assessment it follows.
    { ...assessed },
    register.riskOwner(at(4, 11), risk, erp.projectId, 'user:owner-2'),
    dc.scheduled(at(8), '2027-03-31'),
    dc.renamed(at(8, 10), 'DC exit phase 2'),
  ];
}

describe('Reporting projections applied a batch at a time (real PostgreSQL)', () => {
  let one: TestDatabase;
  let batched: TestDatabase;
  let onePool: Pool;
  let batchedPool: Pool;
  const projections: Projection[] = [new ProjectSummaryProjection(), new PortfolioProjection(), new PortfolioHeatMapsProjection()];

  const tables = async (pool: Pool) => {
    const out: Record<string, unknown[]> = {};
    for (const [t, order] of Object.entries(TABLES)) out[t] = (await pool.query(`SELECT * FROM ${t} ORDER BY tenant_id, ${order}`)).rows;
    return out;
  };
  const inTransaction = async (pool: Pool, fn: (tx: PoolClient) => Promise<void>) => {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await fn(tx);
      await tx.query('COMMIT');
    } catch (err) {
      await tx.query('ROLLBACK');
      throw err;
    } finally {
      tx.release();
    }
  };
  const applyEach = (pool: Pool, events: readonly ProjectionEvent[]) =>
    inTransaction(pool, async (tx) => {
      for (const e of events) for (const p of projections) if (p.handles.includes(e.type)) await p.apply(e, tx);
    });
  const applyBatch = (pool: Pool, events: readonly ProjectionEvent[]) =>
    inTransaction(pool, async (tx) => {
      for (const p of projections) await p.applyBatch?.(events.filter((e) => p.handles.includes(e.type)), tx);
    });

  beforeAll(async () => {
    [one, batched] = await Promise.all([createTestDatabase('reporting_one'), createTestDatabase('reporting_batched')]);
    await runMigrations(one.url, REPORTING_MIGRATIONS);
    await runMigrations(batched.url, REPORTING_MIGRATIONS);
    onePool = createPgPool(one.url);
    batchedPool = createPgPool(batched.url);
  });
  afterAll(async () => {
    await onePool.end();
    await batchedPool.end();
    await one.drop();
    await batched.drop();
  });

  beforeEach(async () => {
    for (const pool of [onePool, batchedPool]) await pool.query(`TRUNCATE ${Object.keys(TABLES).join(', ')}`);
  });

  it('writes the same rows as applying each event in order, in one batch or split across two', async () => {
    const events = history();
    await applyEach(onePool, events);
    await applyBatch(batchedPool, events.slice(0, 9));
    await applyBatch(batchedPool, events.slice(9));
    const expected = await tables(onePool);
    expect(await tables(batchedPool)).toEqual(expected);
    expect(expected.portfolio_schedule_facts).toHaveLength(4);
    expect(expected.portfolio_risk_register_facts).toHaveLength(3);
    expect(expected.portfolio_utilisation_facts).toHaveLength(3);
    expect(expected.project_summaries.map((r) => (r as { name: string }).name).sort()).toEqual(['CRM rollout', 'DC exit phase 2', 'ERP consolidation']);

    await applyBatch(batchedPool, events);
    expect(await tables(batchedPool)).toEqual(expected);
  });

  it('matches a project id that an event carries in upper case to its row, as the per-event path does', async () => {
    const p = new PortfolioEventsOf('tenant-a');
    const upper = (e: ProjectionEvent): ProjectionEvent => ({ ...e, data: { ...(e.data as object), projectId: p.projectId.toUpperCase() } });
    const events = [p.created(at(1), 'Mixed case'), upper(p.renamed(at(2), 'Renamed in upper case')), upper(p.scheduled(at(3), '2027-06-30'))];
    await applyEach(onePool, events);
    await applyBatch(batchedPool, events.slice(0, 1));
    await applyBatch(batchedPool, events.slice(1));
    const expected = await tables(onePool);
    expect(await tables(batchedPool)).toEqual(expected);
    expect(expected.project_summaries).toEqual([expect.objectContaining({ project_id: p.projectId, name: 'Renamed in upper case' })]);
  });

  it('refuses a batch whose project update comes before the project exists, as the per-event path does', async () => {
    const p = new PortfolioEventsOf('tenant-a');
    const early = [p.renamed(at(2), 'Too early')];
    await expect(applyEach(onePool, early)).rejects.toBeInstanceOf(ProjectSummaryMissing);
    await expect(applyBatch(batchedPool, early)).rejects.toBeInstanceOf(ProjectSummaryMissing);
    expect(await tables(batchedPool)).toEqual(await tables(onePool));
  });
});
