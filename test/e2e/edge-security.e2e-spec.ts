import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { DEV_JWT_SECRET, signDevToken } from '@pm/platform/auth';
import { SignJWT } from 'jose';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService, ownConsumerGroups } from './service-harness';
import type { RunningService } from './service-harness';

const hex = () => randomBytes(4).toString('hex');
const PRINCIPAL_LIMIT = 15;

/** Every service's app, booted as main.ts boots it: the platform edge must hold on each of them. */
const SERVICES = [
  {
    name: 'planning-service',
    readPath: '/projects/00000000-0000-4000-8000-000000000000',
    register: (pgUrl: string) => PlanningApp.register({ pgUrl, consumerGroupId: `planning-edge-${hex()}` }),
  },
  { name: 'resource-service', readPath: '/resources', register: (pgUrl: string) => ResourceApp.register({ pgUrl, consumerGroupId: `resource-edge-${hex()}` }) },
  { name: 'risk-service', readPath: '/risk-settings', register: (pgUrl: string) => RiskApp.register({ pgUrl, ...ownConsumerGroups('risk') }) },
  { name: 'notification-service', readPath: '/inbox', register: (pgUrl: string) => NotificationApp.register({ pgUrl, consumerGroupId: `notification-edge-${hex()}` }) },
  {
    name: 'reporting-service',
    readPath: '/projects',
    register: (pgUrl: string) => ReportingApp.register({ pgUrl, consumerGroupId: `reporting-edge-${hex()}` }),
    // The portfolio views and reads (issue 13): the limit counts them with the rest and refuses each of them once spent.
    alsoLimited: [
      '/portfolio',
      '/portfolio/s-curve',
      '/projects/00000000-0000-4000-8000-000000000000',
      '/projects/00000000-0000-4000-8000-000000000000/s-curve?interval=week',
      '/projects/00000000-0000-4000-8000-000000000000/milestone-trend',
      '/portfolio/utilisation-heat-map',
      '/portfolio/risk-heat-map',
      '/portfolio/risks',
      '/portfolio/health-rules',
      '/reporting/freshness',
    ],
  },
] as const;

/** Reads besides `readPath` that share the principal's limit and must be refused past it (none unless listed). */
const alsoLimited = (service: (typeof SERVICES)[number]): readonly string[] => ('alsoLimited' in service ? service.alsoLimited : []);

describe.each(SERVICES)('the edge of $name', (edge) => {
  const { name, readPath, register } = edge;
  let db: TestDatabase;
  let service: RunningService;
  let viewer: string;
  const tenant = `edge-${hex()}`;

  beforeAll(async () => {
    db = await createTestDatabase(`e2e_edge_${name.split('-')[0]}`);
    // A small per-principal limit for this app only (read when the module is registered); defaults otherwise.
    process.env['RATE_LIMIT_PRINCIPAL'] = String(PRINCIPAL_LIMIT);
    try {
      service = await startService(name, register(db.url));
    } finally {
      delete process.env['RATE_LIMIT_PRINCIPAL'];
    }
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const expectSecurityHeaders = (res: request.Response) => {
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  };

  it('sets HSTS, nosniff, frame-ancestors and a JSON-API CSP on answers, errors and unknown routes', async () => {
    for (const res of [
      await request(service.url).get('/health/live').expect(200),
      await request(service.url).get(readPath).expect(401),
      await request(service.url).get(`/no-such-route-${hex()}`).expect(404),
    ]) {
      expectSecurityHeaders(res);
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'none';/);
      expect(res.headers['content-security-policy']).not.toContain('script-src');
    }
  });

  it('gives Swagger UI at /docs a CSP that lets its own scripts and styles load, and nothing else', async () => {
    const res = await request(service.url).get('/docs').redirects(1).expect(200);
    expectSecurityHeaders(res);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.text).toContain('swagger-ui-init.js');
  });

  it('answers a token holding no role with 403 AUTH_FORBIDDEN on a read, and still serves health', async () => {
    const noRoles = await new SignJWT({ tenant, roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('nobody')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(process.env['AUTH_JWT_SECRET'] ?? DEV_JWT_SECRET));
    const res = await request(service.url).get(readPath).set('authorization', `Bearer ${noRoles}`).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'AUTH_FORBIDDEN' });
    await request(service.url).get('/health/live').set('authorization', `Bearer ${noRoles}`).expect(200);
    await request(service.url).get(readPath).set('authorization', `Bearer ${viewer}`).expect((r) => expect([200, 404]).toContain(r.status));
  });

  it('answers %00 in a query string with 400 INVALID_TEXT, never a 500', async () => {
    const res = await request(service.url).get(`${readPath}?status=%00`).set('authorization', `Bearer ${viewer}`).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_TEXT', details: { in: 'query' }, errors: [{ path: '/query/status' }] });
  });

  it('answers a principal past its limit with 429 RATE_LIMITED and Retry-After, and another principal still gets in', async () => {
    const busy = await signDevToken({ tenant, roles: ['viewer'], sub: `busy-${hex()}` });
    const paths = [readPath, ...alsoLimited(edge)];
    const statuses: number[] = [];
    for (let i = 0; i < PRINCIPAL_LIMIT; i++) statuses.push((await request(service.url).get(paths[i % paths.length]).set('authorization', `Bearer ${busy}`)).status);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    for (const path of paths) {
      const refused = await request(service.url).get(path).set('authorization', `Bearer ${busy}`).expect(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', details: { scope: 'principal', limit: PRINCIPAL_LIMIT } });
    }
    const other = await signDevToken({ tenant, roles: ['viewer'], sub: `calm-${hex()}` });
    expect((await request(service.url).get(readPath).set('authorization', `Bearer ${other}`)).status).not.toBe(429);
  });
});
