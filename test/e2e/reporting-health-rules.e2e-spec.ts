import { randomBytes } from 'node:crypto';
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
import { DEFAULT_HEALTH_RULES } from '@pm/reporting/domain';
import { HealthRulesController } from '../../libs/reporting/feature/src/lib/health-rules.controller';
import { PortfolioReportController } from '../../libs/reporting/feature/src/lib/portfolio-report.controller';
import { readYourWritesProviders } from '../../libs/reporting/feature/src/lib/freshness.providers';
import { PortfolioEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio.test-events';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/** The reporting routes without the consumer: the read model is seeded by applying events directly. */
@Module({})
class HealthRulesHttpOnly {
  static register(pgUrl: string): DynamicModule {
    return {
      module: HealthRulesHttpOnly,
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'reporting-service' }),
        AuthModule.forRoot(),
        EventStoreModule.forRoot({ url: pgUrl, migrations: REPORTING_MIGRATIONS }),
        RateLimitModule.forRoot({ pgUrl, principalPoints: 60, windowSeconds: 60 }),
      ],
      controllers: [PortfolioReportController, HealthRulesController],
      providers: readYourWritesProviders,
    };
  }
}

const ROLES = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;

// Lenient rules a tenant might set: SPI amber below 0.9 (red below 0.8), CPI amber below 0.85 (red below 0.8), two
// overdue milestones for amber, two critical risks for amber, four high-or-critical for amber.
const LENIENT = {
  spi: { amberBelow: 0.9, redBelow: 0.8 },
  cpi: { amberBelow: 0.85, redBelow: 0.8 },
  overdueMilestones: { amberAtLeast: 2, redAtLeast: 4 },
  criticalRisks: { amberAtLeast: 2, redAtLeast: 3 },
  highRisks: { amberAtLeast: 4, redAtLeast: 8 },
};

describe('GET/PUT /portfolio/health-rules and the portfolio coloured by them (reporting, real PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const erp = new PortfolioEventsOf(tenant);
  const history: ProjectionEvent[] = [
    erp.created('2026-03-01T09:00:00.000Z', 'ERP migration'),
    erp.advanced('2026-03-02T09:00:00.000Z', 'executing'),
    erp.earnedValue('2026-03-05T09:00:00.000Z', { pv: 3000, ev: 2500, ac: 2800, overdue: 1 }),
    erp.exposure('2026-03-05T10:00:00.000Z', { critical: 1, high: 2, openIssues: 4, p80Finish: '2027-01-15' }),
  ];
  const tokens: Record<string, string> = {};
  const as = (role: string) => ({ authorization: `Bearer ${tokens[role]}` });
  const get = (path: string, role = 'viewer') => request(service.url).get(path).set(as(role));
  const put = (body: unknown, role = 'pmo-admin') => request(service.url).put('/portfolio/health-rules').set(as(role)).send(body as object);
  let before: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_health_rules');
    service = await startService('reporting-service', HealthRulesHttpOnly.register(db.url));
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

  it('shows every role the defaults until a PMO admin sets rules; other roles may not set them', async () => {
    for (const role of ROLES) {
      expect((await get('/portfolio/health-rules', role).expect(200)).body).toEqual({ asOf: null, rules: DEFAULT_HEALTH_RULES, revision: 0, validFrom: null, setBy: null });
    }
    for (const role of ROLES.filter((r) => r !== 'pmo-admin')) {
      const res = await put(LENIENT, role).expect(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await request(service.url).put('/portfolio/health-rules').send(LENIENT).expect(401);
    // Default rules on the worked figures (ADR 0500's spec): SPI 0.833 red, CPI 0.893 amber, 1 critical amber.
    expect((await get(`/projects/${erp.projectId}`).expect(200)).body.project.health).toMatchObject({ schedule: 'red', cost: 'amber', risk: 'amber', overall: 'red' });
    before = new Date().toISOString();
  });

  // Worked by hand with LENIENT: SPI = 2500 / 3000 = 0.833: below 0.9, not below 0.8 -> schedule amber; 1 overdue
  // milestone < 2 -> green by that rule. CPI = 2500 / 2800 = 0.893 >= 0.85 -> cost green. 1 critical < 2 and
  // 3 high-or-critical < 4 -> risk green. Overall amber, for one reason: SPI_LOW.
  it('colours the portfolio by the rules in force: now by the new ones, as of an earlier instant by the old', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const saved = (await put({ ...LENIENT, expectedRevision: 0 }).expect(200)).body;
    expect(saved).toMatchObject({ revision: 1, rules: LENIENT, setBy: 'user:pmo-admin-1' });
    expect(Date.parse(saved.validFrom)).toBeGreaterThan(Date.parse(before));

    const project = (await get(`/projects/${erp.projectId}`).expect(200)).body.project;
    expect(project.health).toEqual({
      schedule: 'amber',
      cost: 'green',
      risk: 'green',
      overall: 'amber',
      reasons: [{ dimension: 'schedule', rag: 'amber', code: 'SPI_LOW', message: 'SPI 0.833 is below 0.9' }],
    });
    expect((await get('/portfolio?health=amber').expect(200)).body.items.map((p: { name: string }) => p.name)).toEqual(['ERP migration']);
    expect((await get('/portfolio?health=red').expect(200)).body.items).toEqual([]);

    // The instant before the change: the defaults were in force, so the answer is what the portfolio showed then.
    const then = (await get(`/projects/${erp.projectId}?asOf=${encodeURIComponent(before)}`).expect(200)).body.project;
    expect(then.health.overall).toBe('red');
    expect((await get(`/portfolio/health-rules?asOf=${encodeURIComponent(before)}`).expect(200)).body).toMatchObject({ revision: 0, rules: DEFAULT_HEALTH_RULES });
    expect((await get('/portfolio/health-rules').expect(200)).body).toMatchObject({ revision: 1, rules: LENIENT });

    // Another tenant keeps its own (the defaults) and cannot see these.
    expect((await get('/portfolio/health-rules', 'outsider').expect(200)).body).toMatchObject({ revision: 0 });
  });

  it('refuses a stale revision with 409, and keeps the rules in force', async () => {
    const res = await put({ ...DEFAULT_HEALTH_RULES, expectedRevision: 0 }).expect(409);
    expect(res.body).toMatchObject({ code: 'HEALTH_RULES_REVISION_CONFLICT' });
    expect((await get('/portfolio/health-rules').expect(200)).body).toMatchObject({ revision: 1, rules: LENIENT });
  });

  it('names each field of rules out of order or out of bounds', async () => {
    const res = await put({ ...LENIENT, spi: { amberBelow: 0.8, redBelow: 0.9 }, highRisks: { amberAtLeast: 5, redAtLeast: 3 } }).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/highRisks/redAtLeast', '/spi/redBelow']);
    const bounds = await put({ ...LENIENT, cpi: { amberBelow: 3, redBelow: 0 }, criticalRisks: { amberAtLeast: 0, redAtLeast: 1.5 } }).expect(400);
    expect(bounds.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/cpi/amberBelow',
      '/cpi/redBelow',
      '/criticalRisks/amberAtLeast',
      '/criticalRisks/redAtLeast',
    ]);
  });

  it.each([
    ['a missing rule', { spi: LENIENT.spi }],
    ['an unknown key', { ...LENIENT, constructor: { amberBelow: 1 } }],
    ['a __proto__ key', JSON.parse(`{"__proto__": {"amberBelow": 0.5}, ${JSON.stringify(LENIENT).slice(1)}`)],
    ['a string for a number', { ...LENIENT, spi: { amberBelow: '0.9', redBelow: 0.8 } }],
    ['a NUL character', { ...LENIENT, spi: { amberBelow: 0.9, redBelow: 0.8, 'x\u0000': 1 } }],
    ['a lone surrogate', { ...LENIENT, note: '\ud800' }],
    ['a huge value', { ...LENIENT, highRisks: { amberAtLeast: 1e308, redAtLeast: 1e308 } }],
    ['a huge revision', { ...LENIENT, expectedRevision: 2 ** 53 }],
    ['an array', [LENIENT]],
  ])('refuses %s with a 400 problem and changes nothing', async (_what, body) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(typeof res.body.code).toBe('string');
    expect((await get('/portfolio/health-rules').expect(200)).body.revision).toBe(1);
  });

  it.each(['/portfolio/health-rules?asOf=yesterday', '/portfolio/health-rules?asOf=%00', '/portfolio/health-rules?x=1'])('refuses %s with a 400 problem', async (path) => {
    const res = await get(path).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('replays a keyed PUT (Idempotency-Key, ADR 0013) instead of refusing the retry as a stale revision', async () => {
    const keyed = () => put({ ...LENIENT, expectedRevision: 0 }, 'outsider').set('Idempotency-Key', 'health-rules-once');
    const first = await keyed().expect(200);
    const retried = await keyed().expect(200);
    expect({ replayed: retried.headers['idempotent-replayed'], body: retried.body }).toEqual({ replayed: 'true', body: first.body });
    expect((await get('/portfolio/health-rules', 'outsider').expect(200)).body.revision).toBe(1);
    // Without the key the same retry is what it always was: a stale revision.
    expect((await put({ ...LENIENT, expectedRevision: 0 }, 'outsider').expect(409)).body.code).toBe('HEALTH_RULES_REVISION_CONFLICT');
  });

  it('rate limits the new routes like every other: 429 with Retry-After past the principal limit', async () => {
    // A principal of its own, so the other cases of this spec keep their budget (60 per minute per principal here).
    const token = await signDevToken({ tenant, roles: ['viewer'], sub: `burst-${randomBytes(3).toString('hex')}` });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await request(service.url).get('/portfolio/health-rules').set('authorization', `Bearer ${token}`)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await request(service.url).get('/portfolio/health-rules').set('authorization', `Bearer ${token}`).expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.body.code).toBe('RATE_LIMITED');
  });
});
