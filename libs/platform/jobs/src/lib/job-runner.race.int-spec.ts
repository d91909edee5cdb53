import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { JobRunner } from './job-runner';
import { JobStore } from './job-store';
import type { JobContext } from './job.types';
import { JOBS_MIGRATIONS } from './jobs.schema';

describe('JobRunner replicas (real PostgreSQL, system clock)', () => {
  let db: TestDatabase;
  let pools: Pool[];

  beforeAll(async () => {
    db = await createTestDatabase('job_runner_race');
    await runMigrations(db.url, JOBS_MIGRATIONS);
    pools = [createPgPool(db.url, { max: 8 }), createPgPool(db.url, { max: 8 })];
    await pools[0].query('CREATE TABLE runs (job_id uuid, tenant_id text, replica int)');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  // A lease long enough that a CPU-starved test machine never lets one expire: expiry re-runs a job by design (its
  // writes are fenced), which is what the lease-expiry specs cover; this one is about two healthy replicas.
  it('two runners on two pools never run the same job at once, run each exactly once and keep the per-tenant limit', async () => {
    const limits = { maxRunningPerTenant: 3, maxQueuedPerTenant: 20 };
    const stores = pools.map((pool) => new JobStore({ pool, limits }));
    const inFlight = new Set<string>();
    const perTenant = new Map<string, number>();
    let overlaps = 0;
    let maxPerTenant = 0;

    const runners = stores.map((store, replica) =>
      new JobRunner({ store, name: `replica-${replica}`, concurrency: 3, pollIntervalMs: 50, leaseMs: 15_000, heartbeatMs: 1_000, metrics: false }).register(
        'simulation',
        async (ctx: JobContext) => {
          if (inFlight.has(ctx.jobId)) overlaps++;
          inFlight.add(ctx.jobId);
          const running = (perTenant.get(ctx.tenantId) ?? 0) + 1;
          perTenant.set(ctx.tenantId, running);
          maxPerTenant = Math.max(maxPerTenant, running);
          try {
            await pools[replica].query('INSERT INTO runs (job_id, tenant_id, replica) VALUES ($1, $2, $3)', [ctx.jobId, ctx.tenantId, replica]);
            await new Promise((r) => setTimeout(r, 5 + Math.random() * 35));
            return { replica };
          } finally {
            inFlight.delete(ctx.jobId);
            perTenant.set(ctx.tenantId, (perTenant.get(ctx.tenantId) ?? 1) - 1);
          }
        },
      ),
    );
    runners.forEach((r) => r.start());
    try {
      for (let i = 0; i < 60; i++) {
        await stores[i % 2].submit({ tenantId: `tenant-${i % 6}`, kind: 'simulation', concurrencyKey: `project-${i}`, payload: { i } });
      }
      await waitFor(
        async () => (await pools[0].query(`SELECT count(*)::int AS n FROM jobs WHERE state = 'succeeded'`)).rows[0].n === 60,
        { timeoutMs: 30_000, what: '60 jobs succeeded' },
      );
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }

    expect(overlaps).toBe(0);
    expect(maxPerTenant).toBeLessThanOrEqual(3);
    const runs = await pools[0].query<{ job_id: string; n: number }>('SELECT job_id, count(*)::int AS n FROM runs GROUP BY job_id');
    expect(runs.rows).toHaveLength(60);
    expect(runs.rows.every((r) => r.n === 1)).toBe(true);
    const byReplica = await pools[0].query<{ replica: number; n: number }>('SELECT replica, count(*)::int AS n FROM runs GROUP BY replica ORDER BY replica');
    expect(byReplica.rows.map((r) => r.replica)).toEqual([0, 1]);
    expect((await pools[0].query(`SELECT count(*)::int AS n FROM jobs WHERE attempts <> 1`)).rows[0].n).toBe(0);
  });
});
