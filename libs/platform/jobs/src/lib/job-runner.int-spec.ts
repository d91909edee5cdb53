import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { ManualClock } from '@pm/platform/scheduler';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { JobFailure, JobLeaseLost } from './job.errors';
import { JobRunner } from './job-runner';
import type { JobRunnerOptions } from './job-runner';
import { JobStore } from './job-store';
import type { JobContext, JobLimits } from './job.types';
import { JOBS_MIGRATIONS } from './jobs.schema';
import { toJobResource } from './jobs.http';

const T0 = new Date('2031-03-01T08:00:00.000Z');

/** Handlers that run until the test lets them finish (or their signal aborts). */
class Gates {
  readonly started: JobContext[] = [];
  private readonly open = new Map<string, (value: unknown) => void>();
  handler = async (ctx: JobContext) => {
    this.started.push(ctx);
    await new Promise((resolve, reject) => {
      this.open.set(ctx.jobId, resolve);
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
    });
    return { finishedBy: ctx.attempt };
  };
  release(jobId: string): void {
    this.open.get(jobId)?.(undefined);
  }
  startedTenants(): string[] {
    return this.started.map((c) => c.tenantId);
  }
}

describe('JobRunner (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let clock: ManualClock;
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('job_runner');
    await runMigrations(db.url, JOBS_MIGRATIONS);
    pool = createPgPool(db.url);
  });
  beforeEach(async () => {
    clock = new ManualClock(T0);
    await pool.query('TRUNCATE jobs');
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop({ graceMs: 100 })));
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  function setup(limits: Partial<JobLimits> = {}, options: Partial<JobRunnerOptions> = {}, store = new JobStore({ pool, clock, limits: { maxQueuedPerTenant: 50, ...limits } })) {
    const runner = new JobRunner({ store, name: 'test-runner', concurrency: 2, metrics: false, ...options });
    runners.push(runner);
    return { store, runner };
  }
  const submit = (store: JobStore, tenantId: string, key: string, maxAttempts?: number) =>
    store.submit({ tenantId, kind: 'simulation', concurrencyKey: key, payload: { key }, maxAttempts });

  it('takes a job from queued through running to succeeded, with progress visible while it runs', async () => {
    const { store, runner } = setup();
    runner.register('simulation', async (ctx) => {
      ctx.reportProgress({ total: 200, done: 100, counters: { iterations: 100 } });
      await waitFor(async () => (await store.get(ctx.tenantId, ctx.jobId))?.progress.done === 100, { what: 'progress stored' });
      const running = (await store.get(ctx.tenantId, ctx.jobId))!;
      expect(running).toMatchObject({ state: 'running', attempts: 1, startedAt: T0, progress: { total: 200, counters: { iterations: 100 } } });
      expect(toJobResource(running).progress.percent).toBe(50);
      ctx.reportProgress({ done: 200, counters: { iterations: 200 } });
      return { p80Days: 42 };
    });
    const job = await submit(store, 't1', 'p1');
    expect(await runner.tick()).toBe(1);
    await runner.whenIdle();
    expect(await store.get('t1', job.id)).toMatchObject({
      state: 'succeeded',
      result: { p80Days: 42 },
      progress: { done: 200, total: 200, counters: { iterations: 200 } },
      error: null,
      finishedAt: T0,
    });
  });

  it('writes progress at most once per interval however often the handler reports it', async () => {
    const { store, runner } = setup({}, { progressFlushMs: 200 });
    const query = jest.spyOn(pool, 'query');
    runner.register('simulation', async (ctx) => {
      for (let batch = 0; batch < 10; batch++) {
        for (let i = 1; i <= 1000; i++) ctx.reportProgress({ done: batch * 1000 + i, total: 10_000 });
        await new Promise((r) => setTimeout(r, 50));
      }
      return null;
    });
    const job = await submit(store, 't1', 'p1');
    await runner.tick();
    await runner.whenIdle();
    const progressWrites = query.mock.calls.filter(([sql]) => typeof sql === 'string' && sql.includes('progress_done = coalesce')).length;
    query.mockRestore();
    expect(progressWrites).toBeGreaterThanOrEqual(1);
    expect(progressWrites).toBeLessThanOrEqual(5);
    expect((await store.get('t1', job.id))!.progress).toEqual({ done: 10_000, total: 10_000, counters: {} });
  });

  it('fails a job with the handler\'s coded error, and hides an unexpected one behind a generic code', async () => {
    const { store, runner } = setup();
    runner.register('simulation', async (ctx) => {
      const { key } = ctx.payload as { key: string };
      if (key === 'bad-file') throw new JobFailure('MSPDI_INVALID', 'The file is not a Project XML document');
      if (key === 'leaky') throw Object.assign(new Error('Event data holds text PostgreSQL cannot store (22P05)'), { code: 'INVALID_APPEND', kind: 'invalid' });
      throw new Error('relation "secret_table" does not exist');
    });
    const coded = await submit(store, 't1', 'bad-file');
    const unexpected = await submit(store, 't2', 'other');
    const leaky = await submit(store, 't3', 'leaky');
    await runner.tick();
    await runner.whenIdle();
    await runner.tick();
    await runner.whenIdle();
    // A coded error keeps its code, but a message quoting the database shows the code's title instead.
    expect(await store.get('t3', leaky.id)).toMatchObject({ state: 'failed', error: { code: 'INVALID_APPEND', message: 'Invalid append.' } });
    expect(await store.get('t1', coded.id)).toMatchObject({ state: 'failed', error: { code: 'MSPDI_INVALID', message: 'The file is not a Project XML document' } });
    expect(await store.get('t2', unexpected.id)).toMatchObject({ state: 'failed', error: { code: 'JOB_FAILED' }, attempts: 1 });
  });

  it('re-runs a retryable failure after its backoff, as a resume', async () => {
    const { store, runner } = setup({}, { retry: { baseMs: 10_000, maxMs: 60_000 } });
    const seen: Array<{ attempt: number; resumed: boolean }> = [];
    runner.register('simulation', async (ctx) => {
      seen.push({ attempt: ctx.attempt, resumed: ctx.resumed });
      if (ctx.attempt === 1) throw new JobFailure('ENGINE_BUSY', 'The engine was busy', true);
      return 'ok';
    });
    const job = await submit(store, 't1', 'p1');
    await runner.tick();
    await runner.whenIdle();
    expect(await store.get('t1', job.id)).toMatchObject({ state: 'queued', attempts: 1, error: { code: 'ENGINE_BUSY' } });
    expect(await runner.tick()).toBe(0);
    clock.advance(10_000);
    expect(await runner.tick()).toBe(1);
    await runner.whenIdle();
    expect(await store.get('t1', job.id)).toMatchObject({ state: 'succeeded', attempts: 2, result: 'ok', error: null });
    expect(seen).toEqual([{ attempt: 1, resumed: false }, { attempt: 2, resumed: true }]);
  });

  it('is fair across tenants: a tenant with a long queue does not hold back another tenant\'s job', async () => {
    const { store, runner } = setup({ maxRunningPerTenant: 5 }, { concurrency: 2 });
    const gates = new Gates();
    runner.register('simulation', gates.handler);
    for (let i = 0; i < 6; i++) {
      await submit(store, 'big', `p${i}`);
      clock.advance(1);
    }
    await submit(store, 'small', 'p0');
    expect(await runner.tick()).toBe(2);
    expect(gates.startedTenants().sort()).toEqual(['big', 'small']);
  });

  it('never runs more than the per-tenant limit, even with two runners claiming at once', async () => {
    const store = new JobStore({ pool, clock, limits: { maxRunningPerTenant: 2, maxQueuedPerTenant: 50 } });
    const gates = new Gates();
    const a = setup({}, { concurrency: 4 }, store).runner.register('simulation', gates.handler);
    const b = setup({}, { concurrency: 4 }, store).runner.register('simulation', gates.handler);
    for (let i = 0; i < 6; i++) await submit(store, 't1', `p${i}`);
    await submit(store, 't2', 'p0');
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    expect(gates.startedTenants().sort()).toEqual(['t1', 't1', 't2']);
    // A finished job frees the tenant's slot for its next one.
    gates.release(gates.started.find((c) => c.tenantId === 't1')!.jobId);
    await waitFor(async () => (await store.list('t1', { state: 'succeeded' })).length === 1, { what: 'one job done' });
    await a.tick();
    await b.tick();
    expect(gates.startedTenants().filter((t) => t === 't1')).toHaveLength(3);
    expect((await store.list('t1', { state: 'running' })).length).toBe(2);
  });

  it('resumes a job whose runner stopped heartbeating from its checkpoint, and fences the old runner out', async () => {
    const store = new JobStore({ pool, clock });
    let releaseZombie: () => void = () => undefined;
    let zombieCheckpoint: Promise<unknown> = Promise.resolve();
    // A runner that hangs (no heartbeats: process frozen or partitioned away) after saving a checkpoint.
    const zombie = setup({}, { leaseMs: 30_000, heartbeatMs: 3_600_000 }, store).runner.register('simulation', async (ctx) => {
      const tx = await pool.connect();
      await tx.query('BEGIN');
      await ctx.saveCheckpoint(tx, { tasksStored: 500 });
      await tx.query('COMMIT');
      tx.release();
      await new Promise<void>((resolve) => (releaseZombie = resolve));
      zombieCheckpoint = (async () => {
        const late = await pool.connect();
        try {
          await late.query('BEGIN');
          return await ctx.saveCheckpoint(late, { tasksStored: 999 }).catch((e: unknown) => e);
        } finally {
          await late.query('ROLLBACK');
          late.release();
        }
      })();
      await zombieCheckpoint;
      return { by: 'zombie' };
    });
    const seen: Array<Pick<JobContext, 'attempt' | 'resumed' | 'checkpoint'>> = [];
    const survivor = setup({}, { leaseMs: 30_000 }, store).runner.register('simulation', async (ctx) => {
      seen.push({ attempt: ctx.attempt, resumed: ctx.resumed, checkpoint: ctx.checkpoint });
      return { by: 'survivor' };
    });
    const job = await submit(store, 't1', 'p1');
    expect(await zombie.tick()).toBe(1);
    await waitFor(async () => (await pool.query('SELECT checkpoint FROM jobs')).rows[0].checkpoint !== null, { what: 'checkpoint saved' });

    clock.advance(29_999);
    expect(await survivor.tick()).toBe(0);
    clock.advance(2);
    expect(await survivor.tick()).toBe(1);
    await survivor.whenIdle();
    expect(seen).toEqual([{ attempt: 2, resumed: true, checkpoint: { tasksStored: 500 } }]);
    expect(await store.get('t1', job.id)).toMatchObject({ state: 'succeeded', result: { by: 'survivor' }, attempts: 2 });

    releaseZombie();
    await zombie.whenIdle();
    expect(await zombieCheckpoint).toBeInstanceOf(JobLeaseLost);
    expect(await store.get('t1', job.id)).toMatchObject({ state: 'succeeded', result: { by: 'survivor' } });
  });

  it('fails a job whose runners keep dying once its attempts are used up', async () => {
    const { store, runner } = setup({}, { leaseMs: 1_000, heartbeatMs: 3_600_000 });
    const gates = new Gates();
    runner.register('simulation', gates.handler);
    const job = await submit(store, 't1', 'p1', 1);
    await runner.tick();
    clock.advance(1_001);
    const other = setup({}, {}, store).runner.register('simulation', gates.handler);
    expect(await other.tick()).toBe(0);
    expect(await store.get('t1', job.id)).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'JOB_ABANDONED' }, finishedAt: clock.now() });
  });

  it('cancels a running job: at once in this process, through the heartbeat from another replica', async () => {
    const { store, runner } = setup({}, { heartbeatMs: 100, concurrency: 4 });
    const gates = new Gates();
    runner.register('simulation', gates.handler);
    const local = await submit(store, 't1', 'local');
    const remote = await submit(store, 't2', 'remote');
    await runner.tick();
    expect(gates.started).toHaveLength(2);

    expect((await store.cancel('t1', local.id)).cancelRequested).toBe(true);
    await waitFor(async () => (await store.get('t1', local.id))?.state === 'cancelled', { timeoutMs: 5_000, what: 'local cancel' });
    // Another replica's store: no in-process notification, so the runner learns it from its next heartbeat.
    await new JobStore({ pool, clock }).cancel('t2', remote.id);
    await waitFor(async () => (await store.get('t2', remote.id))?.state === 'cancelled', { timeoutMs: 5_000, what: 'remote cancel' });
    expect(await store.get('t2', remote.id)).toMatchObject({ error: { code: 'JOB_CANCELLED' }, cancelRequested: true });
  });

  it('shuts down gracefully: running jobs go back to the queue without losing an attempt, and resume elsewhere', async () => {
    const { store, runner } = setup();
    const gates = new Gates();
    runner.register('simulation', async (ctx) => {
      ctx.reportProgress({ done: 7, total: 10 });
      await ctx.heartbeat();
      return gates.handler(ctx);
    });
    const cooperative = await submit(store, 't1', 'p1');
    await runner.tick();
    await waitFor(async () => (await store.get('t1', cooperative.id))?.progress.done === 7, { what: 'progress' });
    await runner.stop({ graceMs: 5_000 });
    expect(await store.get('t1', cooperative.id)).toMatchObject({ state: 'queued', attempts: 0, progress: { done: 7, total: 10 }, error: null });

    // A handler that ignores its signal is handed back once the grace is over.
    const stubborn = setup({}, {}, store).runner.register('simulation', () => new Promise<null>(() => undefined));
    await stubborn.tick();
    await stubborn.stop({ graceMs: 50 });
    expect(await store.get('t1', cooperative.id)).toMatchObject({ state: 'queued', attempts: 0 });

    const next = setup({}, {}, store).runner.register('simulation', async (ctx) => ({ resumed: ctx.resumed, done: ctx.attempt }));
    await next.tick();
    await next.whenIdle();
    expect(await store.get('t1', cooperative.id)).toMatchObject({ state: 'succeeded', result: { resumed: true, done: 1 } });
  });
});
