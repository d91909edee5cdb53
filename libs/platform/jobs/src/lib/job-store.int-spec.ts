import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { toProblem } from '@pm/platform/http';
import { ManualClock } from '@pm/platform/scheduler';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { InvalidJobRequest, JobAlreadyActive, JobAlreadyFinished, JobNotFound, JobQueueFull } from './job.errors';
import { JobStore } from './job-store';
import { JOBS_MIGRATIONS } from './jobs.schema';
import { jobLocation, jobResourceSchema, toJobProblem, toJobResource } from './jobs.http';

const T0 = new Date('2031-03-01T08:00:00.000Z');

describe('JobStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: JobStore;

  beforeAll(async () => {
    db = await createTestDatabase('job_store');
    await runMigrations(db.url, JOBS_MIGRATIONS);
    pool = createPgPool(db.url);
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE jobs');
    store = new JobStore({ pool, clock: new ManualClock(T0), limits: { maxQueuedPerTenant: 3, maxRunningPerTenant: 2 } });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const importOf = (tenantId: string, projectId: string) => ({
    tenantId,
    kind: 'mspdi-import',
    concurrencyKey: projectId,
    payload: { uploadId: `upload-${projectId}` },
    requestedBy: 'user:ann',
  });

  it('queues a job and shows it as a job resource', async () => {
    const job = await store.submit(importOf('t1', 'p1'));
    expect(job).toMatchObject({
      tenantId: 't1',
      kind: 'mspdi-import',
      concurrencyKey: 'p1',
      state: 'queued',
      payload: { uploadId: 'upload-p1' },
      progress: { done: 0, total: null, counters: {} },
      attempts: 0,
      maxAttempts: 3,
      error: null,
      result: null,
      createdAt: T0,
      startedAt: null,
      requestedBy: 'user:ann',
    });
    expect(await store.get('t1', job.id)).toEqual(job);
    const resource = toJobResource(job);
    expect(jobResourceSchema.parse(resource)).toEqual(resource);
    expect(resource).toMatchObject({ state: 'queued', progress: { done: 0, total: null, percent: null }, createdAt: T0.toISOString() });
    expect(resource).not.toHaveProperty('payload');
    expect(jobLocation('/projects/p1/imports/', job)).toBe(`/projects/p1/imports/${job.id}`);
  });

  it('keeps tenants apart: another tenant neither sees nor cancels the job; a malformed id names no job', async () => {
    const job = await store.submit(importOf('t1', 'p1'));
    expect(await store.get('t2', job.id)).toBeUndefined();
    await expect(store.cancel('t2', job.id)).rejects.toBeInstanceOf(JobNotFound);
    expect(await store.get('t1', 'not-a-uuid')).toBeUndefined();
    expect((await store.list('t1')).map((j) => j.id)).toEqual([job.id]);
    expect(await store.list('t2')).toEqual([]);
  });

  it('refuses a second active job for the same (tenant, kind, key), naming the active one; others are free', async () => {
    const first = await store.submit(importOf('t1', 'p1'));
    const conflict = await store.submit(importOf('t1', 'p1')).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(JobAlreadyActive);
    expect((conflict as JobAlreadyActive).details).toEqual({ kind: 'mspdi-import', concurrencyKey: 'p1', activeJobId: first.id });
    await store.submit(importOf('t1', 'p2'));
    await store.submit(importOf('t2', 'p1'));
    await store.submit({ ...importOf('t1', 'p1'), kind: 'export' });
    // Once the first is no longer active, the key is free again.
    await store.cancel('t1', first.id);
    expect((await store.submit(importOf('t1', 'p1'))).state).toBe('queued');
  });

  it('lets exactly one of ten concurrent submits for one key through', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.submit(importOf('t1', 'p1'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof JobAlreadyActive)).toBe(true);
  });

  it('refuses submits beyond the per-tenant queued limit, also under concurrency, without affecting other tenants', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.submit(importOf('t1', `p${i}`))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.every((r) => r.reason instanceof JobQueueFull)).toBe(true);
    expect((await store.submit(importOf('t2', 'p0'))).state).toBe('queued');
  });

  it('submits inside the caller transaction: rolled back with it', async () => {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      const job = await store.submit(importOf('t1', 'p1'), { tx });
      await tx.query('ROLLBACK');
      expect(await store.get('t1', job.id)).toBeUndefined();
    } finally {
      tx.release();
    }
  });

  it('cancels a queued job at once; cancelling again is a no-op; refuses what it cannot store', async () => {
    const job = await store.submit(importOf('t1', 'p1'));
    const cancelled = await store.cancel('t1', job.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelRequested: true, finishedAt: T0, error: { code: 'JOB_CANCELLED' } });
    expect(await store.cancel('t1', job.id)).toEqual(cancelled);
    await expect(store.submit({ ...importOf('t1', 'p\u0000'), concurrencyKey: 'p\u0000' })).rejects.toBeInstanceOf(InvalidJobRequest);
    await expect(store.submit({ ...importOf('t1', 'p9'), payload: { blob: 'x'.repeat(70_000) } })).rejects.toBeInstanceOf(InvalidJobRequest);
  });

  it('refuses to cancel a finished job', async () => {
    const job = await store.submit(importOf('t1', 'p1'));
    await pool.query(`UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE id = $1`, [job.id]);
    await expect(store.cancel('t1', job.id)).rejects.toBeInstanceOf(JobAlreadyFinished);
  });

  it('maps its errors to problem+json: 409 conflict, 429 with Retry-After for a full queue, 404, 422', async () => {
    const ctx = { instance: '/projects/p1/imports' };
    const queueFull = toProblem(toJobProblem(new JobQueueFull('t1', 3)), ctx);
    expect(queueFull.problem).toMatchObject({ status: 429, code: 'JOB_QUEUE_FULL', details: { maxQueued: 3 } });
    expect(queueFull.headers).toEqual({ 'Retry-After': '30' });
    const conflict = toProblem(toJobProblem(new JobAlreadyActive('t1', 'mspdi-import', 'p1', 'j1')), ctx);
    expect(conflict.problem).toMatchObject({ status: 409, code: 'JOB_ALREADY_ACTIVE', details: { activeJobId: 'j1' } });
    expect(toProblem(toJobProblem(new JobNotFound('j1')), ctx).problem.status).toBe(404);
    expect(toProblem(toJobProblem(new InvalidJobRequest('bad')), ctx).problem.status).toBe(422);
    expect(toJobProblem(new Error('other'))).toBeUndefined();
    // Without the helper, the platform's problem filter still answers 409 for the conflict (DomainErrorLike).
    expect(toProblem(new JobAlreadyActive('t1', 'k', 'p1', null), ctx).problem.status).toBe(409);
  });
});
