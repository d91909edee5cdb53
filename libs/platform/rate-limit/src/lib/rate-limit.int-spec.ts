import { Controller, Get, Module } from '@nestjs/common';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthModule, Public, Roles, signDevToken } from '@pm/platform/auth';
import { configureHttpApp } from '@pm/platform/http';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { createPgPool } from '@pm/platform/event-store';
import { PgRateLimiter } from './pg-rate-limiter';
import { RateLimitModule } from './rate-limit.module';
import { resolveRateLimitConfig } from './rate-limit.options';

const SECRET = 'rate-limit-spec-secret-long-enough-for-hs256';

@Controller()
class PingController {
  @Get('work')
  @Roles('viewer')
  work(): { ok: true } {
    return { ok: true };
  }

  @Get('health')
  @Public()
  health(): { ok: true } {
    return { ok: true };
  }
}

function appModule(pgUrl: string): DynamicModule {
  @Module({
    imports: [
      AuthModule.forRoot({ jwtSecret: SECRET }),
      RateLimitModule.forRoot({ pgUrl, enabled: true, principalPoints: 5, tenantPoints: 8, windowSeconds: 30 }),
    ],
    controllers: [PingController],
  })
  class ReplicaModule {}
  return { module: ReplicaModule };
}

async function replica(pgUrl: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [appModule(pgUrl)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttpApp(app);
  await app.init();
  return app;
}

describe('rate limits shared by two replicas through PostgreSQL', () => {
  let db: TestDatabase;
  let a: INestApplication;
  let b: INestApplication;
  const token = (tenant: string, sub: string) => signDevToken({ tenant, sub, roles: ['viewer'], secret: SECRET });
  const call = (app: INestApplication, bearer: string) => request(app.getHttpServer()).get('/work').set('authorization', `Bearer ${bearer}`);

  beforeAll(async () => {
    db = await createTestDatabase('rate_limit');
    [a, b] = await Promise.all([replica(db.url), replica(db.url)]);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  it('counts a principal across both replicas and answers the request past its limit with 429 and Retry-After', async () => {
    const alice = await token('acme', 'alice');
    for (const app of [a, b, a, b, a]) await call(app, alice).expect(200);
    const refused = await call(b, alice).expect(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', details: { scope: 'principal', limit: 5, windowSeconds: 30 } });
  });

  it("counts the tenant's principals together, and leaves other tenants and public routes alone", async () => {
    // alice used 6 of acme's 8 (her refused request counts too): bob gets 2.
    const bob = await token('acme', 'bob');
    await call(a, bob).expect(200);
    await call(b, bob).expect(200);
    const refused = await call(a, bob).expect(429);
    expect(refused.body.details).toMatchObject({ scope: 'tenant', limit: 8 });
    await call(b, await token('globex', 'alice')).expect(200);
    await request(a.getHttpServer()).get('/health').expect(200);
  });

  it('keeps no tenant or user id in the shared table', async () => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string }>('SELECT key FROM rate_limits');
      expect(rows.length).toBeGreaterThanOrEqual(4);
      expect(rows.map((r) => r.key).join(' ')).not.toMatch(/acme|globex|alice|bob/);
    } finally {
      await client.end();
    }
  });
});

describe('PgRateLimiter start-up', () => {
  it('creates its table once when many replicas start at the same moment on a fresh database', async () => {
    const db = await createTestDatabase('rate_limit_start');
    const pools = Array.from({ length: 6 }, () => createPgPool(db.url, { max: 2 }));
    try {
      const config = resolveRateLimitConfig({ pgUrl: db.url, enabled: true }, {});
      const limiters = await Promise.all(pools.map((pool) => PgRateLimiter.create(pool, config)));
      await Promise.all(limiters.map((limiter, i) => limiter.admit({ sub: `u-${i}`, tenantId: 'acme', roles: ['viewer'], actor: `user:u-${i}` })));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await db.drop();
    }
  });
});
