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
import { PortfolioHeatMapsProjection, PortfolioProjection, REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { PortfolioHeatMapsController } from '../../libs/reporting/feature/src/lib/portfolio-heat-maps.controller';
import { HeatMapEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio-heat-maps.test-events';
import { PortfolioEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio.test-events';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/** The reporting host without its consumer: the read model is seeded by applying events directly. */
@Module({})
class HeatMapsHttpOnly {
  static register(pgUrl: string): DynamicModule {
    return {
      module: HeatMapsHttpOnly,
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'reporting-service' }),
        AuthModule.forRoot(),
        EventStoreModule.forRoot({ url: pgUrl, migrations: REPORTING_MIGRATIONS }),
        RateLimitModule.forRoot({ pgUrl }),
      ],
      controllers: [PortfolioHeatMapsController],
    };
  }
}

const ROLES = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;

describe('GET /portfolio/utilisation-heat-map, /portfolio/risk-heat-map, /portfolio/risks (reporting, real PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const a = new HeatMapEventsOf(tenant);
  const erp = new PortfolioEventsOf(tenant);
  const [ada, bob, risk1, risk2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const dev = { role: 'Developer', department: '=IT' };
  const history: ProjectionEvent[] = [
    erp.created('2026-03-01T08:00:00.000Z', 'ERP migration'),
    a.utilisation('2026-03-01T09:00:00.000Z', ada, { name: 'Ada', ...dev }, [['2026-03-02', 2400, 2880], ['2026-03-09', 2400, 1200]]),
    a.utilisation('2026-03-01T09:00:01.000Z', bob, { name: 'Bob', ...dev }, [['2026-03-02', 2400, 0], ['2026-03-09', 2400, 600]]),
    a.riskIdentified('2026-03-02T09:00:00.000Z', risk1, erp.projectId, 'Vendor late'),
    a.riskAssessed('2026-03-02T10:00:00.000Z', risk1, erp.projectId, { schedule: [4, 4] }, null, 'high'),
    a.riskIdentified('2026-03-02T09:00:00.000Z', risk2, erp.projectId, 'Data quality'),
    a.riskAssessed('2026-03-02T11:00:00.000Z', risk2, erp.projectId, { quality: [4, 4] }, null, 'high'),
    a.riskStatus('2026-03-06T09:00:00.000Z', risk2, erp.projectId, 'assessed', 'closed'),
  ];
  const tokens: Record<string, string> = {};
  const get = (path: string, token = tokens.viewer) => request(service.url).get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_heat_maps');
    service = await startService('reporting-service', HeatMapsHttpOnly.register(db.url));
    const pool = createPgPool(db.url);
    const tx = await pool.connect();
    try {
      const projections = [new PortfolioProjection(), new PortfolioHeatMapsProjection()];
      for (const e of history) for (const p of projections) if (p.handles.includes(e.type)) await p.apply(e, tx);
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

  it('shows every role the department by month: 9,600 min capacity = 160 h, 4,680 min demand = 78 h, 49 %', async () => {
    for (const role of ROLES) {
      const res = await get('/portfolio/utilisation-heat-map?by=department&interval=month&from=2026-03-01&to=2026-03-31', tokens[role]).expect(200);
      expect(res.body.rows).toEqual([
        {
          key: '=IT', name: '=IT', kind: null, role: null, department: '=IT',
          cells: [{ periodStart: '2026-03-01', capacityHours: 160, demandHours: 78, utilisationPercent: 49, overAllocated: false, resources: 2, overAllocatedResources: 1 }],
        },
      ]);
      expect(res.body).toMatchObject({ asOf: null, by: 'department', interval: 'month', currentTo: { eventId: history[2].eventId, recordedAt: '2026-03-01T09:00:01.000Z' } });
    }
  });

  it('serves the resource map as CSV, formula-leading text neutralised', async () => {
    const csv = await get('/portfolio/utilisation-heat-map?from=2026-03-02&to=2026-03-02&format=csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('resource,name,periodStart,capacityHours,demandHours,utilisationPercent,overAllocated,resources,overAllocatedResources');
    expect(lines.slice(1).sort()).toEqual([`${ada},Ada,2026-03-02,40,48,120,true,1,1`, `${bob},Bob,2026-03-02,40,0,0,false,1,0`].sort());
    const byDept = await get('/portfolio/utilisation-heat-map?by=department&from=2026-03-02&to=2026-03-02&format=csv').expect(200);
    expect(byDept.text.split('\r\n')[1]).toBe('"\'=IT","\'=IT",2026-03-02,80,48,60,false,2,1');
  });

  it('counts open risks per cell now and as of before one closed, and clicks through to them', async () => {
    const now = (await get('/portfolio/risk-heat-map').expect(200)).body;
    expect(now.cells).toHaveLength(25);
    expect(now.cells.filter((c: { count: number }) => c.count > 0)).toEqual([{ probability: 4, impact: 4, count: 1, risks: '/portfolio/risks?probability=4&impact=4' }]);
    expect(now).toMatchObject({ openRisks: 1, unassessedOpenRisks: 0, currentTo: { eventId: history[7].eventId } });
    const then = (await get('/portfolio/risk-heat-map?asOf=2026-03-05T00:00:00Z').expect(200)).body;
    expect(then.cells.find((c: { probability: number; impact: number }) => c.probability === 4 && c.impact === 4)).toMatchObject({ count: 2, risks: expect.stringContaining('asOf=2026-03-05T00%3A00%3A00.000Z') });
    const list = (await get(now.cells[6].risks).expect(200)).body;
    expect(list).toMatchObject({ total: 1, items: [{ riskId: risk1, projectName: 'ERP migration', title: 'Vendor late', score: 16, rating: 'high', ownerId: 'user:owner-1', href: `/projects/${erp.projectId}/risks/${risk1}` }] });
    const csv = await get(`/portfolio/risks?probability=4&impact=4&asOf=2026-03-05T00:00:00Z&format=csv`).expect(200);
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(3);
    const matrixCsv = await get('/portfolio/risk-heat-map?format=csv').expect(200);
    expect(matrixCsv.text.split('\r\n').slice(0, 2)).toEqual(['probability,impact,count', '5,5,0']);
  });

  it('shows another tenant nothing of it', async () => {
    expect((await get('/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31', tokens.outsider).expect(200)).body).toMatchObject({ rows: [], currentTo: null });
    const risks = (await get('/portfolio/risk-heat-map', tokens.outsider).expect(200)).body;
    expect(risks.cells.every((c: { count: number }) => c.count === 0)).toBe(true);
    expect((await get('/portfolio/risks', tokens.outsider).expect(200)).body).toMatchObject({ total: 0, items: [] });
    expect((await get(`/portfolio/risk-heat-map?projectId=${erp.projectId}`, tokens.outsider).expect(200)).body.openRisks).toBe(0);
  });

  it.each([
    ['/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31&by=team'],
    ['/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31&interval=day'],
    ['/portfolio/utilisation-heat-map?from=2020-01-01&to=2026-03-31'],
    ['/portfolio/utilisation-heat-map?from=0001-01-01&to=9999-12-31'],
    ['/portfolio/utilisation-heat-map?from=2026-03-31&to=2026-03-01'],
    ['/portfolio/utilisation-heat-map?to=2026-03-31'],
    ['/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31&__proto__=x'],
    ['/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31&constructor=x'],
    ['/portfolio/utilisation-heat-map?from=2026-03-01%00&to=2026-03-31'],
    ['/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31&by=%ED%A0%80'],
    ['/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31&asOf=yesterday'],
    ['/portfolio/utilisation-heat-map?from=2026-03-01&to=2026-03-31&format=xlsx'],
    ['/portfolio/risk-heat-map?projectId=__proto__'],
    ['/portfolio/risk-heat-map?asOf=2026-03-05T09:30:00'],
    ['/portfolio/risks?probability=6'],
    ['/portfolio/risks?impact=0'],
    ['/portfolio/risks?probability=constructor'],
    ['/portfolio/risks?limit=100000'],
    ['/portfolio/risks?offset=1e400'],
    ['/portfolio/risks?projectId=%00'],
  ])('refuses %s with a 400 problem', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toEqual(expect.any(String));
  });

  it('refuses a call without a token', async () => {
    await request(service.url).get('/portfolio/risk-heat-map').expect(401);
  });
});
