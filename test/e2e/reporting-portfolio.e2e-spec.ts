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
import { readYourWritesProviders } from '@pm/reporting/feature';
import { PortfolioReportController } from '../../libs/reporting/feature/src/lib/portfolio-report.controller';
import { PortfolioEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio.test-events';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/** The reporting host without its consumer: the read model is seeded by applying events directly. */
@Module({})
class PortfolioHttpOnly {
  static register(pgUrl: string): DynamicModule {
    return {
      module: PortfolioHttpOnly,
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'reporting-service' }),
        AuthModule.forRoot(),
        EventStoreModule.forRoot({ url: pgUrl, migrations: REPORTING_MIGRATIONS }),
        RateLimitModule.forRoot({ pgUrl }),
      ],
      controllers: [PortfolioReportController],
      providers: readYourWritesProviders,
    };
  }
}

const ROLES = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;

describe('GET /portfolio and GET /projects/{id} (reporting, real PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const erp = new PortfolioEventsOf(tenant);
  const crm = new PortfolioEventsOf(tenant);
  const other = new PortfolioEventsOf(`${tenant}-other`);
  const history: ProjectionEvent[] = [
    erp.created('2026-03-01T09:00:00.000Z', 'ERP migration'),
    crm.created('2026-03-01T10:00:00.000Z', 'CRM rollout'),
    other.created('2026-03-01T11:00:00.000Z', 'Data centre exit'),
    erp.advanced('2026-03-02T09:00:00.000Z', 'executing'),
    erp.scheduled('2026-03-02T09:00:01.000Z', '2026-11-30'),
    erp.earnedValue('2026-03-05T09:00:00.000Z', { pv: 3000, ev: 2500, ac: 2800, overdue: 1 }),
    erp.exposure('2026-03-05T10:00:00.000Z', { critical: 1, high: 2, openIssues: 4, p80Finish: '2027-01-15' }),
    crm.putOnHold('2026-03-06T09:00:00.000Z'),
  ];
  const tokens: Record<string, string> = {};
  const get = (path: string, token = tokens.viewer) => request(service.url).get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_portfolio');
    service = await startService('reporting-service', PortfolioHttpOnly.register(db.url));
    const pool = createPgPool(db.url);
    const tx = await pool.connect();
    try {
      const projection = new PortfolioProjection();
      for (const e of history) await projection.apply(e, tx);
    } finally {
      tx.release();
      await pool.end();
    }
    for (const role of ROLES) {
      tokens[role] = await signDevToken({ tenant, roles: [role], sub: `${role}-1` });
    }
    tokens.outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('shows every role of the tenant its portfolio with figures, health and reasons, current to the last event', async () => {
    for (const role of ROLES) {
      const res = await get('/portfolio', tokens[role]).expect(200);
      expect(res.body.items.map((p: { name: string }) => p.name)).toEqual(['CRM rollout', 'ERP migration']);
    }
    const res = await get('/portfolio?sort=health').expect(200);
    expect(res.body.currentTo).toEqual({ eventId: history[7].eventId, streamVersion: 2, recordedAt: '2026-03-06T09:00:00.000Z' });
    expect(res.body.asOf).toBeNull();
    const [first, second] = res.body.items;
    expect(first).toMatchObject({
      name: 'ERP migration',
      status: 'executing',
      finish: '2026-11-30',
      budgetConsumed: 0.7,
      health: { schedule: 'red', cost: 'amber', risk: 'amber', overall: 'red' },
      risk: { openRisks: 3, openIssues: 4, p80Finish: '2027-01-15' },
      nextMilestones: [{ taskId: 'go-live', forecastFinish: '2025-03-07' }],
    });
    // 1 critical + 2 high open risks: 3 high-or-critical, amber from 3 by the default rules.
    expect(first.health.reasons.map((r: { code: string }) => r.code)).toEqual(['SPI_LOW', 'MILESTONES_OVERDUE', 'CPI_LOW', 'CRITICAL_RISKS', 'HIGH_RISKS']);
    expect(second).toMatchObject({ name: 'CRM rollout', status: 'on-hold', schedule: null, risk: null, health: { overall: 'unknown', reasons: [] } });
  });

  it('filters by status and health, pages with a cursor, and another tenant sees only its own', async () => {
    expect((await get('/portfolio?health=red').expect(200)).body.items.map((p: { name: string }) => p.name)).toEqual(['ERP migration']);
    expect((await get('/portfolio?status=on-hold').expect(200)).body.items.map((p: { name: string }) => p.name)).toEqual(['CRM rollout']);
    const page1 = (await get('/portfolio?limit=1&sort=spi').expect(200)).body;
    expect(page1.items.map((p: { name: string }) => p.name)).toEqual(['ERP migration']);
    const page2 = (await get(`/portfolio?limit=1&sort=spi&cursor=${page1.next}`).expect(200)).body;
    expect(page2).toMatchObject({ next: null, items: [{ name: 'CRM rollout' }] });
    expect((await get('/portfolio', tokens.outsider).expect(200)).body.items.map((p: { name: string }) => p.name)).toEqual(['Data centre exit']);
    await get(`/projects/${erp.projectId}`, tokens.outsider).expect(404);
  });

  it('answers as of an instant, for the portfolio and for one project', async () => {
    const before = (await get('/portfolio?asOf=2026-03-05T09:30:00%2B00:00').expect(200)).body;
    expect(before.asOf).toBe('2026-03-05T09:30:00.000Z');
    expect(before.currentTo).toMatchObject({ eventId: history[5].eventId, recordedAt: '2026-03-05T09:00:00.000Z' });
    expect(before.items.map((p: { name: string; status: string }) => [p.name, p.status])).toEqual([
      ['CRM rollout', 'initiating'],
      ['ERP migration', 'executing'],
    ]);
    const erpThen = (await get(`/projects/${erp.projectId}?asOf=2026-03-05T09:30:00Z`).expect(200)).body;
    expect(erpThen.project).toMatchObject({ risk: null, health: { schedule: 'red', risk: 'unknown' } });
    const notYet = await get(`/projects/${erp.projectId}?asOf=2026-03-01T08:00:00Z`).expect(404);
    expect(notYet.headers['content-type']).toContain('application/problem+json');
    expect(notYet.body).toMatchObject({ code: 'PROJECT_NOT_FOUND' });
    await get(`/projects/${randomUUID()}`).expect(404);
  });

  it.each([
    '/portfolio?asOf=yesterday',
    '/portfolio?asOf=2026-03-05T09:30:00',
    '/portfolio?asOf=%00',
    '/portfolio?limit=201',
    '/portfolio?limit=0',
    '/portfolio?sort=drop',
    '/portfolio?health=purple',
    '/portfolio?cursor=not-a-cursor',
    '/portfolio?unknown=1',
    '/projects/not-a-uuid',
  ])('refuses %s with a 4xx problem', async (path) => {
    const res = await get(path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a cursor of another sort and a call without a token', async () => {
    const page1 = (await get('/portfolio?limit=1&sort=spi').expect(200)).body;
    expect((await get(`/portfolio?limit=1&sort=name&cursor=${page1.next}`).expect(400)).body).toMatchObject({ code: 'INVALID_CURSOR' });
    await request(service.url).get('/portfolio').expect(401);
  });
});
