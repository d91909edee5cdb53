import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { InvalidScheduleRequest, checkId, systemClock, withTransaction } from '@pm/platform/scheduler';
import type { Clock, JsonValue } from '@pm/platform/scheduler';
import { InvalidJobRequest, JobAlreadyActive, JobAlreadyFinished, JobNotFound, JobQueueFull } from './job.errors';
import { JOB_COLUMNS, isJobId, toJob } from './job.rows';
import type { JobRow } from './job.rows';
import type { Job, JobLimits, ListJobsFilter, SubmitJob } from './job.types';

export interface JobStoreOptions {
  /** The using service's own database, migrated with JOBS_MIGRATIONS. */
  readonly pool: Pool;
  readonly clock?: Clock;
  readonly limits?: Partial<JobLimits>;
  /** Runs of a job before it is failed (runner deaths and retryable failures count); default 3. */
  readonly maxAttempts?: number;
}

export const DEFAULT_JOB_LIMITS: JobLimits = { maxQueuedPerTenant: 20, maxRunningPerTenant: 2 };
const MAX_PAYLOAD_CHARS = 64 * 1024;
const MAX_LIST = 200;
const UNIQUE_VIOLATION = '23505';

type Listener = (job: Job) => void;

/** Submits, reads and cancels jobs; the runners (JobRunner) execute them. */
export class JobStore {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly limits: JobLimits;
  private readonly maxAttempts: number;
  private readonly submittedListeners = new Set<Listener>();
  private readonly cancelListeners = new Set<Listener>();

  constructor(options: JobStoreOptions) {
    this.pool = options.pool;
    this.clock = options.clock ?? systemClock;
    this.limits = { ...DEFAULT_JOB_LIMITS, ...options.limits };
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /**
   * Queues a job. Throws JobAlreadyActive when (tenant, kind, key) already has a queued or running job, and
   * JobQueueFull when the tenant has maxQueuedPerTenant queued jobs. Pass `tx` to submit in the caller's
   * transaction (the job then exists only if that commits).
   */
  async submit<P extends JsonValue>(request: SubmitJob<P>, options: { tx?: PoolClient } = {}): Promise<Job<P>> {
    const { tenantId, kind, concurrencyKey } = checkSubmit(request);
    const payload = JSON.stringify(request.payload ?? null);
    if (payload.length > MAX_PAYLOAD_CHARS) throw new InvalidJobRequest(`payload must be JSON of at most ${MAX_PAYLOAD_CHARS} characters`);
    const maxAttempts = Math.min(Math.max(1, Math.trunc(request.maxAttempts ?? this.maxAttempts)), 100);
    const job = await this.inTransaction(options.tx, async (tx) => {
      // Serialises one tenant's submits only, so the queued count and the one-active-per-key check hold.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('pm_jobs_submit:' || $1, 0))`, [tenantId]);
      const active = await tx.query<{ id: string }>(
        `SELECT id FROM jobs WHERE tenant_id = $1 AND kind = $2 AND concurrency_key = $3 AND state IN ('queued', 'running')`,
        [tenantId, kind, concurrencyKey],
      );
      if (active.rows.length) throw new JobAlreadyActive(tenantId, kind, concurrencyKey, active.rows[0].id);
      const queued = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1 AND state = 'queued'`, [tenantId]);
      if (queued.rows[0].n >= this.limits.maxQueuedPerTenant) throw new JobQueueFull(tenantId, this.limits.maxQueuedPerTenant);
      const now = this.clock.now();
      const res = await tx
        .query<JobRow>(
          `INSERT INTO jobs (id, tenant_id, kind, concurrency_key, state, payload, max_attempts, requested_by, run_after, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'queued', $5::jsonb, $6, $7, $8, $8, $8) RETURNING ${JOB_COLUMNS}`,
          [randomUUID(), tenantId, kind, concurrencyKey, payload, maxAttempts, request.requestedBy ?? null, now],
        )
        .catch((error: unknown) => {
          // The partial unique index is the last guard (e.g. a submit inside a caller's longer transaction).
          if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new JobAlreadyActive(tenantId, kind, concurrencyKey, null);
          throw error;
        });
      return toJob(res.rows[0]);
    });
    for (const listener of this.submittedListeners) listener(job);
    return job as Job<P>;
  }

  /** The job, if it exists and belongs to the tenant (another tenant's job is simply not found). */
  async get(tenantId: string, jobId: string): Promise<Job | undefined> {
    if (!isJobId(jobId)) return undefined;
    const res = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND tenant_id = $2`, [jobId, tenantId]);
    return res.rows.length ? toJob(res.rows[0]) : undefined;
  }

  /** The tenant's jobs, newest first. */
  async list(tenantId: string, filter: ListJobsFilter = {}): Promise<Job[]> {
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), MAX_LIST);
    const res = await this.pool.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE tenant_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR state = $3)
         AND ($4::text IS NULL OR concurrency_key = $4) ORDER BY created_at DESC, id LIMIT $5`,
      [tenantId, filter.kind ?? null, filter.state ?? null, filter.concurrencyKey ?? null, limit],
    );
    return res.rows.map(toJob);
  }

  /**
   * A queued job is cancelled at once; a running one is asked to stop (its signal aborts, through this process
   * directly or through the next heartbeat elsewhere) and ends `cancelled` when its handler gives up.
   * Cancelling a cancelled job is a no-op; a succeeded or failed one is JobAlreadyFinished.
   */
  async cancel(tenantId: string, jobId: string): Promise<Job> {
    if (!isJobId(jobId)) throw new JobNotFound(String(jobId).slice(0, 100));
    const now = this.clock.now();
    const res = await this.pool.query<JobRow>(
      `UPDATE jobs SET cancel_requested = true, updated_at = $3,
         state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
         finished_at = CASE WHEN state = 'queued' THEN $3 ELSE finished_at END,
         error_code = CASE WHEN state = 'queued' THEN 'JOB_CANCELLED' ELSE error_code END,
         error_message = CASE WHEN state = 'queued' THEN 'Cancelled before it started' ELSE error_message END
       WHERE id = $1 AND tenant_id = $2 AND state IN ('queued', 'running') RETURNING ${JOB_COLUMNS}`,
      [jobId, tenantId, now],
    );
    if (res.rows.length) {
      const job = toJob(res.rows[0]);
      if (job.state === 'running') for (const listener of this.cancelListeners) listener(job);
      return job;
    }
    const job = await this.get(tenantId, jobId);
    if (!job) throw new JobNotFound(jobId);
    if (job.state === 'cancelled') return job;
    throw new JobAlreadyFinished(jobId, job.state);
  }

  /** Runners in this process hear about submits (to start at once) and cancellations (to abort at once). */
  onSubmitted(listener: Listener): () => void {
    this.submittedListeners.add(listener);
    return () => this.submittedListeners.delete(listener);
  }

  onCancelRequested(listener: Listener): () => void {
    this.cancelListeners.add(listener);
    return () => this.cancelListeners.delete(listener);
  }

  /** Queued and running jobs per kind (metrics). */
  async counts(): Promise<Array<{ kind: string; state: string; n: number }>> {
    const res = await this.pool.query<{ kind: string; state: string; n: number }>(
      `SELECT kind, state, count(*)::int AS n FROM jobs WHERE state IN ('queued', 'running') GROUP BY kind, state`,
    );
    return res.rows;
  }

  private async inTransaction<T>(outer: PoolClient | undefined, work: (tx: PoolClient) => Promise<T>): Promise<T> {
    return outer ? work(outer) : withTransaction(this.pool, work);
  }
}

function checkSubmit(request: SubmitJob<JsonValue>): { tenantId: string; kind: string; concurrencyKey: string } {
  try {
    return {
      tenantId: checkId('tenantId', request.tenantId),
      kind: checkId('kind', request.kind, 100),
      concurrencyKey: checkId('concurrencyKey', request.concurrencyKey),
    };
  } catch (error) {
    if (error instanceof InvalidScheduleRequest) throw new InvalidJobRequest(error.message);
    throw error;
  }
}
