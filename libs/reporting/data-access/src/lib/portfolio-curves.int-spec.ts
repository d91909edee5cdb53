import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { milestoneTrend, portfolioSCurves, projectSCurve } from '@pm/reporting/domain';
import { PortfolioScheduleProgress1764900500000 } from './portfolio-curves.schema';
import { PortfolioCurveQueries } from './portfolio-curves.queries';
import { PortfolioProjection } from './portfolio.projection';
import { PortfolioQueries } from './portfolio.queries';
import { PortfolioSchema1764800000000 } from './portfolio.schema';
import { PortfolioEventsOf } from './portfolio.test-events';

/*
 * Worked by hand: the baseline of the ERP project plans 2,000 by Sunday 8 March 2026, 5,000 by the 15th and 8,000
 * (BAC) by the 22nd. Status on Friday 6 March: EV 1,500, AC 1,800 (go-live forecast 20 March, on time); on Friday 13
 * March: EV 4,000, AC 5,000 (go-live forecast 24 March, two working days late); the 13 March AC corrected to 4,600 a
 * day later (the same status date recorded again: the later record counts). A week by week S-curve:
 *   8 March: PV 2,000, EV 1,500, AC 1,800;  15 March: PV 5,000, EV 4,000, AC 4,600;  22 March: PV 8,000 (no EV/AC).
 */
const CURVE = [
  { periodEnd: '2026-03-08', pv: 2000 },
  { periodEnd: '2026-03-15', pv: 5000 },
  { periodEnd: '2026-03-22', pv: 8000 },
];
const goLive = (forecastFinish: string, slipDays: number) => ({ taskId: 'go-live', name: 'Go live', baselineFinish: '2026-03-20', forecastFinish, slipDays, achieved: false, overdue: false });

describe('Portfolio S-curve and milestone trend rows (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const erp = new PortfolioEventsOf('tenant-curves');
  const bank = new PortfolioEventsOf('tenant-curves');
  const progress = { bac: 8000, baselineStart: '2026-03-02', baselineFinish: '2026-03-20', curveInterval: 'week' as const, plannedValueCurve: CURVE, milestoneCount: 1, overdueMilestoneCount: 0 };
  const events = [
    erp.created('2026-03-01T09:00:00.000Z', 'ERP'),
    bank.created('2026-03-01T09:30:00.000Z', 'Bank'),
    erp.progress('2026-03-06T18:00:00.000Z', { ...progress, statusDate: '2026-03-06', pv: 1400, ev: 1500, ac: 1800, percentComplete: 20, forecastFinish: '2026-03-20', finishSlipDays: 0, milestones: [goLive('2026-03-20', 0)] }),
    erp.scheduled('2026-03-13T17:59:00.000Z', '2026-03-24'),
    erp.progress('2026-03-13T18:00:00.000Z', { ...progress, statusDate: '2026-03-13', pv: 4400, ev: 4000, ac: 5000, percentComplete: 50, forecastFinish: '2026-03-24', finishSlipDays: 2, milestones: [goLive('2026-03-24', 2)] }),
    erp.progress('2026-03-14T10:00:00.000Z', { ...progress, statusDate: '2026-03-13', pv: 4400, ev: 4000, ac: 4600, percentComplete: 50, forecastFinish: '2026-03-24', finishSlipDays: 2, milestones: [goLive('2026-03-24', 2)] }),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('portfolio_curves');
    await runMigrations(db.url, [PortfolioSchema1764800000000, PortfolioScheduleProgress1764900500000]);
    pool = createPgPool(db.url);
    const tx = await pool.connect();
    try {
      const projection = new PortfolioProjection();
      // Applied twice: a replay changes nothing.
      for (const e of [...events, ...events]) await projection.apply(e, tx);
    } finally {
      tx.release();
    }
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('gives the S-curve worked by hand, the later record of a status date counting', async () => {
    const q = new PortfolioCurveQueries(pool);
    const facts = await q.curve('tenant-curves', erp.projectId, null);
    const figures = await q.figures('tenant-curves', erp.projectId, null);
    expect(facts).toMatchObject({ currency: 'EUR', curve: { interval: 'week', points: CURVE } });
    expect(projectSCurve(facts!.curve, figures.get(erp.projectId)!, 'week').points).toEqual([
      { periodEnd: '2026-03-08', pv: 2000, ev: 1500, ac: 1800, statusDate: '2026-03-06' },
      { periodEnd: '2026-03-15', pv: 5000, ev: 4000, ac: 4600, statusDate: '2026-03-13' },
      { periodEnd: '2026-03-22', pv: 8000, ev: null, ac: null, statusDate: null },
    ]);
    // The project without figures is in the portfolio and adds nothing.
    const { curves } = portfolioSCurves(await q.portfolio('tenant-curves', null), 'week');
    expect(curves).toEqual([{ currency: 'EUR', projects: 2, points: projectSCurve(facts!.curve, figures.get(erp.projectId)!, 'week').points.map(({ statusDate, ...p }) => ({ ...p, measuredProjects: statusDate ? 1 : 0 })) }]);
  });

  it('answers as of an instant from the rows recorded by then', async () => {
    const q = new PortfolioCurveQueries(pool);
    const before = new Date('2026-03-14T09:00:00.000Z');
    const figures = await q.figures('tenant-curves', erp.projectId, before);
    expect(figures.get(erp.projectId)).toEqual([
      { statusDate: '2026-03-06', ev: 1500, ac: 1800 },
      { statusDate: '2026-03-13', ev: 4000, ac: 5000 },
    ]);
    expect(await q.figures('tenant-curves', erp.projectId, new Date('2026-03-06T17:00:00.000Z'))).toEqual(new Map());
    expect(await q.curve('tenant-curves', erp.projectId, new Date('2026-03-01T08:00:00.000Z'))).toBeNull();
    expect(await q.curve('tenant-other', erp.projectId, null)).toBeNull();
  });

  it("gives the milestone trend: go-live's forecast at each status date", async () => {
    const { history, truncated } = await new PortfolioCurveQueries(pool).milestones('tenant-curves', erp.projectId, null);
    expect(truncated).toBe(false);
    expect(milestoneTrend(history)).toEqual({
      statusDates: ['2026-03-06', '2026-03-13'],
      milestones: [
        {
          taskId: 'go-live',
          name: 'Go live',
          baselineFinish: '2026-03-20',
          forecasts: [
            { statusDate: '2026-03-06', forecastFinish: '2026-03-20', slipDays: 0, achieved: false },
            { statusDate: '2026-03-13', forecastFinish: '2026-03-24', slipDays: 2, achieved: false },
          ],
        },
      ],
    });
  });

  it('shows percent complete, baseline finish, forecast finish and slip on the project', async () => {
    const project = await new PortfolioQueries(pool).one('tenant-curves', erp.projectId, null);
    expect(project?.schedule).toMatchObject({ percentComplete: 50, baselineStart: '2026-03-02', baselineFinish: '2026-03-20', forecastFinish: '2026-03-24', finishSlipDays: 2 });
  });
});
