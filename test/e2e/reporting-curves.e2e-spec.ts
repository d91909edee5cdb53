import { randomBytes, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import request from 'supertest';
import { AuthModule, signDevToken } from '@pm/platform/auth';
import { EventStoreModule, createPgPool } from '@pm/platform/event-store';
import { ObservabilityModule } from '@pm/platform/observability';
import type { ProjectionEvent } from '@pm/platform/projections';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioProjection, REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { PortfolioCurvesController } from '../../libs/reporting/feature/src/lib/portfolio-curves.controller';
import { PortfolioReportController } from '../../libs/reporting/feature/src/lib/portfolio-report.controller';
import { PortfolioEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio.test-events';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';
import { readYourWritesProviders } from '@pm/reporting/feature';

/** The reporting host without its consumer: the read model is seeded by applying events directly. */
@Module({})
class CurvesHttpOnly {
  static register(pgUrl: string): DynamicModule {
    return {
      module: CurvesHttpOnly,
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'reporting-service' }),
        AuthModule.forRoot(),
        EventStoreModule.forRoot({ url: pgUrl, migrations: REPORTING_MIGRATIONS }),
        RateLimitModule.forRoot({ pgUrl }),
      ],
      controllers: [PortfolioReportController, PortfolioCurvesController],
      providers: readYourWritesProviders,
    };
  }
}

const ROLES = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;
const curve = (points: Array<[string, number]>) => points.map(([periodEnd, pv]) => ({ periodEnd, pv }));
const goLive = (forecastFinish: string, slipDays: number) => ({ taskId: '__proto__', name: '=HYPERLINK("x")', baselineFinish: '2026-03-20', forecastFinish, slipDays, achieved: false, overdue: false });

/*
 * Worked by hand. ERP (EUR) plans 2,000 by Sunday 8 March 2026, 5,000 by the 15th, 8,000 by the 22nd; status 6 March
 * EV 1,500 / AC 1,800, status 13 March EV 4,000 / AC 4,600. CRM (EUR) plans 1,000 by the 15th and 3,000 by the 22nd;
 * status 13 March EV 500 / AC 700. Payroll (USD) plans 10,000 by the 8th. Per week the EUR portfolio is
 * 8 March: PV 2,000, EV 1,500, AC 1,800 (ERP); 15 March: PV 6,000, EV 4,500, AC 5,300 (both); 22 March: PV 11,000.
 * By month (March): PV 11,000 (the last Sunday, the 29th, is past both baselines), EV 4,500, AC 5,300.
 */
describe('S-curves and milestone trend (reporting, real PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const erp = new PortfolioEventsOf(tenant);
  const crm = new PortfolioEventsOf(tenant);
  const payroll = new PortfolioEventsOf(tenant);
  const other = new PortfolioEventsOf(`${tenant}-other`);
  const erpCurve = { curveInterval: 'week' as const, plannedValueCurve: curve([['2026-03-08', 2000], ['2026-03-15', 5000], ['2026-03-22', 8000]]), baselineFinish: '2026-03-20' };
  const history: ProjectionEvent[] = [
    erp.created('2026-03-01T09:00:00.000Z', 'ERP'),
    crm.created('2026-03-01T09:10:00.000Z', 'CRM'),
    payroll.created('2026-03-01T09:20:00.000Z', 'Payroll', 'USD'),
    other.created('2026-03-01T09:30:00.000Z', 'Other'),
    erp.progress('2026-03-06T18:00:00.000Z', { ...erpCurve, statusDate: '2026-03-06', pv: 1400, ev: 1500, ac: 1800, percentComplete: 20, forecastFinish: '2026-03-20', finishSlipDays: 0, milestones: [goLive('2026-03-20', 0)] }),
    payroll.progress('2026-03-06T21:00:00.000Z', { curveInterval: 'week', plannedValueCurve: curve([['2026-03-08', 10000]]), statusDate: '2026-03-06', pv: 10000, ev: 9000, ac: 9500, milestones: [] }),
    erp.progress('2026-03-13T18:00:00.000Z', { ...erpCurve, statusDate: '2026-03-13', pv: 4400, ev: 4000, ac: 4600, percentComplete: 50, forecastFinish: '2026-03-24', finishSlipDays: 2, milestones: [goLive('2026-03-24', 2)] }),
    crm.progress('2026-03-13T19:00:00.000Z', { curveInterval: 'week', plannedValueCurve: curve([['2026-03-15', 1000], ['2026-03-22', 3000]]), statusDate: '2026-03-13', pv: 800, ev: 500, ac: 700, milestones: [] }),
    other.progress('2026-03-13T20:00:00.000Z', { curveInterval: 'week', plannedValueCurve: curve([['2026-03-15', 99999]]), statusDate: '2026-03-13', pv: 1, ev: 1, ac: 1, milestones: [] }),
  ];
  const tokens: Record<string, string> = {};
  const get = (path: string, token = tokens.viewer) => request(service.url).get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_curves');
    service = await startService('reporting-service', CurvesHttpOnly.register(db.url));
    const pool = createPgPool(db.url);
    const tx = await pool.connect();
    try {
      const projection = new PortfolioProjection();
      for (const e of history) await projection.apply(e, tx);
    } finally {
      tx.release();
      await pool.end();
    }
    for (const role of ROLES) tokens[role] = await signDevToken({ tenant, roles: [role], sub: `${role}-1` });
    tokens.outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it("gives every role a project's weekly S-curve worked by hand, current to the last event", async () => {
    for (const role of ROLES) await get(`/projects/${erp.projectId}/s-curve`, tokens[role]).expect(200);
    const res = await get(`/projects/${erp.projectId}/s-curve?interval=week`).expect(200);
    expect(res.body).toMatchObject({ asOf: null, projectId: erp.projectId, currency: 'EUR', interval: 'week', truncated: false });
    // The tenant's last fact is CRM's at 19:00; the other tenant's later one is not the tenant's position.
    expect(res.body.currentTo).toEqual({ eventId: history[7].eventId, streamVersion: 1, recordedAt: '2026-03-13T19:00:00.000Z' });
    expect(res.body.points).toEqual([
      { periodEnd: '2026-03-08', pv: 2000, ev: 1500, ac: 1800, statusDate: '2026-03-06' },
      { periodEnd: '2026-03-15', pv: 5000, ev: 4000, ac: 4600, statusDate: '2026-03-13' },
      { periodEnd: '2026-03-22', pv: 8000, ev: null, ac: null, statusDate: null },
    ]);
  });

  it('answers as of an instant and as CSV with asOf and currentTo in headers', async () => {
    const then = await get(`/projects/${erp.projectId}/s-curve?interval=month&asOf=2026-03-10T00:00:00Z`).expect(200);
    expect(then.body).toMatchObject({ asOf: '2026-03-10T00:00:00.000Z', interval: 'month', points: [{ periodEnd: '2026-03-31', pv: 8000, ev: 1500, ac: 1800, statusDate: '2026-03-06' }] });
    const csv = await get(`/projects/${erp.projectId}/s-curve?interval=week&format=csv&asOf=2026-03-10T00:00:00Z`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['x-as-of']).toBe('2026-03-10T00:00:00.000Z');
    expect(csv.headers['x-current-to']).toBe(`${history[5].eventId};streamVersion=1;recordedAt=2026-03-06T21:00:00.000Z`);
    expect(csv.text).toBe(
      // As of the 10th the last status date is the 6th: no EV or AC after its week.
      'periodEnd,currency,pv,ev,ac,statusDate\r\n2026-03-08,EUR,2000,1500,1800,2026-03-06\r\n2026-03-15,EUR,5000,,,\r\n2026-03-22,EUR,8000,,,\r\n',
    );
  });

  it('sums the portfolio per currency, never across them, and shows nothing of another tenant', async () => {
    const res = await get('/portfolio/s-curve?interval=week').expect(200);
    expect(res.body.curves.map((c: { currency: string; projects: number }) => [c.currency, c.projects])).toEqual([['EUR', 2], ['USD', 1]]);
    expect(res.body.curves[0].points).toEqual([
      { periodEnd: '2026-03-08', pv: 2000, ev: 1500, ac: 1800, measuredProjects: 1 },
      { periodEnd: '2026-03-15', pv: 6000, ev: 4500, ac: 5300, measuredProjects: 2 },
      { periodEnd: '2026-03-22', pv: 11000, ev: null, ac: null, measuredProjects: 0 },
    ]);
    const monthly = await get('/portfolio/s-curve?interval=month').expect(200);
    expect(monthly.body.curves[0].points).toEqual([{ periodEnd: '2026-03-31', pv: 11000, ev: 4500, ac: 5300, measuredProjects: 2 }]);
    const csv = await get('/portfolio/s-curve?interval=month&format=csv').expect(200);
    expect(csv.text).toBe('currency,periodEnd,pv,ev,ac,measuredProjects\r\nEUR,2026-03-31,11000,4500,5300,2\r\nUSD,2026-03-31,10000,9000,9500,1\r\n');
    const outsider = await get('/portfolio/s-curve', tokens.outsider).expect(200);
    expect(outsider.body.curves).toEqual([{ currency: 'EUR', projects: 1, points: [{ periodEnd: '2026-03-15', pv: 99999, ev: 1, ac: 1, measuredProjects: 1 }] }]);
    await get(`/projects/${erp.projectId}/s-curve`, tokens.outsider).expect(404);
    await get(`/projects/${erp.projectId}/milestone-trend`, tokens.outsider).expect(404);
  });

  it("gives the milestone trend, a client's ids and formula-like names kept as data", async () => {
    const res = await get(`/projects/${erp.projectId}/milestone-trend`).expect(200);
    expect(res.body).toMatchObject({ asOf: null, projectId: erp.projectId, truncated: false, statusDates: ['2026-03-06', '2026-03-13'] });
    expect(res.body.milestones).toEqual([
      {
        taskId: '__proto__',
        name: '=HYPERLINK("x")',
        baselineFinish: '2026-03-20',
        forecasts: [
          { statusDate: '2026-03-06', forecastFinish: '2026-03-20', slipDays: 0, achieved: false },
          { statusDate: '2026-03-13', forecastFinish: '2026-03-24', slipDays: 2, achieved: false },
        ],
      },
    ]);
    const csv = await get(`/projects/${erp.projectId}/milestone-trend?format=csv&asOf=2026-03-07T00:00:00Z`).expect(200);
    expect(csv.text).toBe(`statusDate,taskId,name,baselineFinish,forecastFinish,slipDays,achieved\r\n2026-03-06,__proto__,"'=HYPERLINK(""x"")",2026-03-20,2026-03-20,0,false\r\n`);
    const project = await get(`/projects/${erp.projectId}`).expect(200);
    expect(project.body.project.schedule).toMatchObject({ percentComplete: 50, baselineFinish: '2026-03-20', forecastFinish: '2026-03-24', finishSlipDays: 2 });
  });

  it.each([
    (id: string) => `/projects/${id}/s-curve?interval=fortnight`,
    (id: string) => `/projects/${id}/s-curve?interval=`,
    (id: string) => `/projects/${id}/s-curve?asOf=yesterday`,
    (id: string) => `/projects/${id}/s-curve?asOf=2026-03-05T09:30:00`,
    (id: string) => `/projects/${id}/s-curve?asOf=%00`,
    (id: string) => `/projects/${id}/s-curve?asOf=99999-01-01T00:00:00Z`,
    (id: string) => `/projects/${id}/s-curve?format=xlsx`,
    (id: string) => `/projects/${id}/s-curve?constructor=1`,
    () => '/projects/__proto__/s-curve',
    () => '/projects/constructor/milestone-trend',
    () => '/projects/%ED%A0%80/s-curve',
    (id: string) => `/projects/${id}/milestone-trend?interval=week`,
    (id: string) => `/projects/${id}/milestone-trend?asOf=${'9'.repeat(5000)}`,
    () => '/portfolio/s-curve?interval=year',
    () => '/portfolio/s-curve?asOf=2026-02-30T00:00:00Z',
  ])('refuses hostile input %# with a 4xx problem', async (path) => {
    const res = await get(path(erp.projectId));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(typeof res.body.code).toBe('string');
  });

  it('answers 404 for a project not yet created at asOf or unknown, and 401 without a token', async () => {
    expect((await get(`/projects/${erp.projectId}/s-curve?asOf=2026-03-01T08:00:00Z`).expect(404)).body).toMatchObject({ code: 'PROJECT_NOT_FOUND' });
    await get(`/projects/${randomUUID()}/milestone-trend`).expect(404);
    await request(service.url).get('/portfolio/s-curve').expect(401);
  });
});
