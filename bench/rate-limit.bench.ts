/*
 * `npm run bench:rate-limit`: what the per-tenant and per-principal rate limit (rate-limiter-flexible, PostgreSQL
 * store) adds to a request. Two apps in this process, same controller, same auth, same HTTP client: one with the
 * limiter, one without; requests alternate between them in rounds so both see the same machine, in the same run.
 * Also the limiter's admit() alone (two upserts), one at a time and 16 in flight. Limits are set high enough that no
 * request is refused: this measures the counting, not the refusals (a refused key is answered from memory).
 * Env: PG_URL (server), BENCH_SCALE (default 1: 2,000 requests per app and concurrency).
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AuthModule, Roles, signDevToken } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { configureHttpApp } from '@pm/platform/http';
import { PgRateLimiter, RateLimitModule, resolveRateLimitConfig } from '@pm/platform/rate-limit';
import { createPgPool } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REQUESTS = 2_000 * SCALE;
const SECRET = 'bench-rate-limit-secret-long-enough-for-hs256';
const TENANTS = 5;
const PRINCIPALS_PER_TENANT = 10;
const HIGH = 10_000_000;

@Controller('work')
class WorkController {
  @Get()
  @Roles('viewer')
  work(): { ok: true } {
    return { ok: true };
  }
}

function moduleWith(pgUrl: string | undefined): DynamicModule {
  @Module({
    imports: [
      AuthModule.forRoot({ jwtSecret: SECRET }),
      ...(pgUrl ? [RateLimitModule.forRoot({ pgUrl, enabled: true, tenantPoints: HIGH, principalPoints: HIGH, windowSeconds: 60 })] : []),
    ],
    controllers: [WorkController],
  })
  class BenchModule {}
  return { module: BenchModule };
}

async function start(pgUrl: string | undefined): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(moduleWith(pgUrl), { logger: false });
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/work` };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (value: number) => `${value.toFixed(3)} ms`;

/** `count` calls of `fn`, `concurrency` in flight; the latency of each in ms. */
async function measure(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const started = process.hrtime.bigint();
        await fn(i);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  return latencies;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_rate_limit');
  const withLimit = await start(db.url);
  const without = await start(undefined);
  const tokens: string[] = [];
  for (let t = 0; t < TENANTS; t++) {
    for (let p = 0; p < PRINCIPALS_PER_TENANT; p++) tokens.push(await signDevToken({ tenant: `bench-${t}`, sub: `user-${p}`, roles: ['viewer'], secret: SECRET }));
  }
  const get = (url: string) => async (i: number) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`unexpected ${res.status}`);
  };
  try {
    // Warm both (JIT, connections, prepared statements), then alternate rounds.
    await measure(300, 4, get(withLimit.url));
    await measure(300, 4, get(without.url));
    console.log(`rate limit cost per request: ${REQUESTS} GETs per app and concurrency, ${tokens.length} principals in ${TENANTS} tenants, same run`);
    console.log('| in flight | without p50 | with p50 | without p99 | with p99 | mean added | throughput without → with |');
    console.log('|---|---|---|---|---|---|---|');
    for (const concurrency of [1, 16]) {
      const base: number[] = [];
      const limited: number[] = [];
      let baseSeconds = 0;
      let limitedSeconds = 0;
      const rounds = 4;
      for (let round = 0; round < rounds; round++) {
        let started = process.hrtime.bigint();
        base.push(...(await measure(REQUESTS / rounds, concurrency, get(without.url))));
        baseSeconds += Number(process.hrtime.bigint() - started) / 1e9;
        started = process.hrtime.bigint();
        limited.push(...(await measure(REQUESTS / rounds, concurrency, get(withLimit.url))));
        limitedSeconds += Number(process.hrtime.bigint() - started) / 1e9;
      }
      console.log(
        `| ${concurrency} | ${ms(percentile(base, 50))} | ${ms(percentile(limited, 50))} | ${ms(percentile(base, 99))} | ${ms(percentile(limited, 99))} | ${ms(mean(limited) - mean(base))} | ${Math.round(REQUESTS / baseSeconds)}/s → ${Math.round(REQUESTS / limitedSeconds)}/s |`,
      );
    }

    const pool = createPgPool(db.url, { max: 10 });
    const limiter = await PgRateLimiter.create(pool, resolveRateLimitConfig({ pgUrl: db.url, enabled: true, tenantPoints: HIGH, principalPoints: HIGH }, {}));
    const principals: Principal[] = Array.from({ length: tokens.length }, (_, i) => ({
      sub: `user-${i % PRINCIPALS_PER_TENANT}`,
      tenantId: `bench-${Math.floor(i / PRINCIPALS_PER_TENANT)}`,
      roles: ['viewer'],
      actor: `user:user-${i % PRINCIPALS_PER_TENANT}`,
    }));
    console.log('\nadmit() alone (a tenant and a principal counter, two upserts on a pool of 10):');
    for (const concurrency of [1, 16]) {
      const admits = await measure(REQUESTS, concurrency, (i) => limiter.admit(principals[i % principals.length]));
      console.log(`  ${concurrency} in flight: p50 ${ms(percentile(admits, 50))}, p99 ${ms(percentile(admits, 99))}, mean ${ms(mean(admits))}`);
    }
    await pool.end();
  } finally {
    await withLimit.app.close();
    await without.app.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
