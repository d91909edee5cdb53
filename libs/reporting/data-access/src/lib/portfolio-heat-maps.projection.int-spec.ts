import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioHeatMapsProjection } from './portfolio-heat-maps.projection';
import { PortfolioHeatMapQueries } from './portfolio-heat-maps.queries';
import { PortfolioHeatMapsSchema1765100000000 } from './portfolio-heat-maps.schema';
import { HeatMapEventsOf, newId } from './portfolio-heat-maps.test-events';
import { PortfolioProjection } from './portfolio.projection';
import { PortfolioSchema1764800000000 } from './portfolio.schema';
import { PortfolioEventsOf } from './portfolio.test-events';

const [ada, bob, tbd, eve] = [newId(), newId(), newId(), newId()];
const [r1, r2, r3, r4, rOther] = [newId(), newId(), newId(), newId(), newId()];
const dev = { role: 'Developer', department: 'IT' };

describe('PortfolioHeatMapsProjection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let queries: PortfolioHeatMapQueries;
  const projections = [new PortfolioProjection(), new PortfolioHeatMapsProjection()];

  const a = new HeatMapEventsOf('tenant-a');
  const b = new HeatMapEventsOf('tenant-b');
  const erp = new PortfolioEventsOf('tenant-a');
  const p = erp.projectId;
  const history: ProjectionEvent[] = [
    erp.created('2026-03-01T08:00:00.000Z', 'ERP migration'),
    a.utilisation('2026-03-01T09:00:00.000Z', ada, { name: 'Ada', ...dev }, [['2026-03-02', 2400, 2880], ['2026-03-09', 2400, 1200], ['2026-03-30', 2400, 2400]]),
    a.utilisation('2026-03-01T09:00:01.000Z', bob, { name: 'Bob', ...dev }, [['2026-03-02', 2400, 0], ['2026-03-09', 2400, 600]]),
    a.utilisation('2026-03-01T09:00:02.000Z', tbd, { name: 'Tester TBD', kind: 'generic', role: 'Tester', department: null }, [['2026-03-02', 0, 1200]]),
    b.utilisation('2026-03-01T09:00:03.000Z', eve, { name: 'Eve', ...dev }, [['2026-03-02', 2400, 9000]]),
    // Ada's first week is relieved and the plan no longer reaches into April for her.
    a.utilisation('2026-03-05T09:00:00.000Z', ada, { name: 'Ada', ...dev }, [['2026-03-02', 2400, 2400]], ['2026-03-30']),

    a.riskIdentified('2026-03-02T09:00:00.000Z', r1, p, 'Vendor late'),
    a.riskAssessed('2026-03-02T10:00:00.000Z', r1, p, { schedule: [4, 4] }, null, 'high'),
    a.riskIdentified('2026-03-02T09:00:00.000Z', r2, p, 'Key developer leaves'),
    // Residual: two dimensions of score 6; the register's cell is the one of higher probability, (3, 2).
    a.riskAssessed('2026-03-02T11:00:00.000Z', r2, p, { cost: [3, 5], schedule: [5, 3] }, { cost: [2, 3], schedule: [3, 2] }, 'medium'),
    a.riskIdentified('2026-03-02T09:00:00.000Z', r3, p, 'Data quality'),
    a.riskAssessed('2026-03-02T12:00:00.000Z', r3, p, { quality: [4, 4] }, null, 'high'),
    a.riskStatus('2026-03-06T09:00:00.000Z', r3, p, 'assessed', 'closed'),
    a.riskIdentified('2026-03-03T09:00:00.000Z', r4, p, 'Not assessed yet'),
    a.riskOwner('2026-03-04T09:00:00.000Z', r1, p, 'user:owner-2'),
    b.riskIdentified('2026-03-02T09:00:00.000Z', rOther, newId(), 'Other tenant'),
    b.riskAssessed('2026-03-02T10:00:00.000Z', rOther, newId(), { schedule: [4, 4] }, null, 'high'),
  ];

  async function apply(events: readonly ProjectionEvent[], reset: boolean): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      if (reset) for (const pr of projections) await pr.reset(tx);
      for (const e of events) for (const pr of projections) if (pr.handles.includes(e.type)) await pr.apply(e, tx);
      await tx.query('COMMIT');
    } catch (err) {
      await tx.query('ROLLBACK');
      throw err;
    } finally {
      tx.release();
    }
  }
  const march = { from: '2026-03-01', to: '2026-03-31' };
  const figures = (rows: Awaited<ReturnType<PortfolioHeatMapQueries['utilisation']>>) =>
    rows.map((r) => [r.name, r.periodStart, r.capacityMinutes, r.demandMinutes, r.resources, r.overAllocatedResources]);

  beforeAll(async () => {
    db = await createTestDatabase('portfolio_heat_maps');
    await runMigrations(db.url, [PortfolioSchema1764800000000, PortfolioHeatMapsSchema1765100000000]);
    pool = createPgPool(db.url);
    queries = new PortfolioHeatMapQueries(pool);
    await apply(history, true);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('maps each resource by week as published, worked by hand, and another tenant never shows', async () => {
    const asOf = new Date('2026-03-04T00:00:00.000Z');
    expect(figures(await queries.utilisation('tenant-a', asOf, { by: 'resource', interval: 'week', ...march })).sort()).toEqual(
      [
        ['Ada', '2026-03-02', 2400, 2880, 1, 1],
        ['Ada', '2026-03-09', 2400, 1200, 1, 0],
        ['Ada', '2026-03-30', 2400, 2400, 1, 0],
        ['Bob', '2026-03-02', 2400, 0, 1, 0],
        ['Bob', '2026-03-09', 2400, 600, 1, 0],
        // A placeholder's demand is staffing to do, not an over-allocated person (ADR 0206).
        ['Tester TBD', '2026-03-02', 0, 1200, 1, 0],
      ].sort(),
    );
    // Now: Ada's first week fell to 2,400 min and her April week is gone.
    const now = figures(await queries.utilisation('tenant-a', null, { by: 'resource', interval: 'week', ...march }));
    expect(now.filter((r) => r[0] === 'Ada')).toEqual([['Ada', '2026-03-02', 2400, 2400, 1, 0], ['Ada', '2026-03-09', 2400, 1200, 1, 0]]);
    expect(now.some((r) => r[0] === 'Eve')).toBe(false);
  });

  it('sums a role by month from the weeks whose Thursday is in it: Developer in March 9,600 min capacity, 4,680 demand', async () => {
    const asOf = new Date('2026-03-04T00:00:00.000Z');
    // Ada 2,400 + 2,400 and Bob 2,400 + 2,400 capacity; demand 2,880 + 1,200 + 0 + 600. The week of 30 March (Thursday
    // 2 April) is April's.
    expect(figures(await queries.utilisation('tenant-a', asOf, { by: 'role', interval: 'month', ...march }))).toEqual([
      ['Developer', '2026-03-01', 9600, 4680, 2, 1],
      ['Tester', '2026-03-01', 0, 1200, 1, 0],
    ]);
    const april = await queries.utilisation('tenant-a', asOf, { by: 'department', interval: 'month', from: '2026-03-15', to: '2026-04-10' });
    expect(figures(april)).toEqual([
      ['IT', '2026-03-01', 9600, 4680, 2, 1],
      ['IT', '2026-04-01', 2400, 2400, 1, 0],
      [null, '2026-03-01', 0, 1200, 1, 0],
    ]);
  });

  it('counts open assessed risks per cell of their current assessment, now and as of before one closed', async () => {
    const now = await queries.riskCells('tenant-a', null, null);
    expect(now.cells.sort((x, y) => x.probability - y.probability)).toEqual([{ probability: 3, impact: 2, count: 1 }, { probability: 4, impact: 4, count: 1 }]);
    expect(now.unassessed).toBe(1);
    const before = await queries.riskCells('tenant-a', new Date('2026-03-05T00:00:00.000Z'), null);
    expect(before.cells.find((c) => c.probability === 4 && c.impact === 4)?.count).toBe(2);
    expect((await queries.riskCells('tenant-a', null, newId())).cells).toEqual([]);
  });

  it('lists the risks of a cell with their project, owner, rating and score', async () => {
    const page = await queries.risks('tenant-a', null, { probability: 4, impact: 4, limit: 10, offset: 0 });
    expect(page).toEqual({
      total: 1,
      items: [{ riskId: r1, projectId: p, projectName: 'ERP migration', kind: 'threat', title: 'Vendor late', status: 'identified', ownerId: 'user:owner-2', probability: 4, impact: 4, score: 16, rating: 'high' }],
    });
    const earlier = await queries.risks('tenant-a', new Date('2026-03-03T00:00:00.000Z'), { probability: 4, impact: 4, limit: 10, offset: 0 });
    // Both score 16 then, ties by risk id; the owner as it was (reassigned on 4 March), Data quality not closed yet.
    const byId = [[r1, 'Vendor late'], [r3, 'Data quality']].sort(([x], [y]) => (x < y ? -1 : 1));
    expect(earlier.items.map((r) => [r.riskId, r.title, r.ownerId])).toEqual(byId.map(([id, title]) => [id, title, 'user:owner-1']));
    expect((await queries.risks('tenant-b', null, { limit: 10, offset: 0 })).items.map((r) => r.riskId)).toEqual([rOther]);
  });

  it('replaying the same events, redelivered, changes nothing', async () => {
    const dump = async () =>
      (
        await pool.query(`SELECT to_jsonb(t) AS row FROM (
          SELECT to_jsonb(r) AS f, r.event_id, '' AS k FROM portfolio_resource_facts r UNION ALL
          SELECT to_jsonb(u), u.event_id, u.week_start::text FROM portfolio_utilisation_facts u UNION ALL
          SELECT to_jsonb(x), x.event_id, '' FROM portfolio_risk_register_facts x) t ORDER BY t.event_id, t.k`)
      ).rows;
    const before = await dump();
    await apply(history, false);
    expect(await dump()).toEqual(before);
    await apply(history, true);
    expect(await dump()).toHaveLength(before.length);
  });
});
