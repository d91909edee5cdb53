import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { fairSelectionSql, withTransaction } from '@pm/platform/scheduler';
import { JOB_COLUMNS, toJob } from './job.rows';
import type { JobRow } from './job.rows';
import type { Job, JobState } from './job.types';

export interface ClaimedJob {
  readonly job: Job;
  /** Fences every write of this run (heartbeat, progress, checkpoint, outcome). */
  readonly token: string;
  /** An earlier run had started the job. */
  readonly resumed: boolean;
  readonly checkpoint: Job['payload'] | null;
}

export interface ClaimRequest {
  readonly kinds: readonly string[];
  readonly now: Date;
  readonly owner: string;
  readonly leaseMs: number;
  readonly maxRunningPerTenant: number;
}

/** Oldest queued job of each tenant below its running limit, least busy tenants first. */
const CANDIDATES_SQL = fairSelectionSql({
  table: 'jobs',
  active: (a) => `${a}.state = 'queued'`,
  ready: (a) => `${a}.run_after <= $1 AND ${a}.kind = ANY($2::text[])`,
  columns: ['id'],
  order: 'created_at',
  perTenant: '1',
  limit: '$4',
  tenantLoad: (f) => `SELECT count(*) FROM jobs r WHERE r.tenant_id = ${f}.tenant_id AND r.state = 'running'`,
  maxLoad: '$3',
});

const CANDIDATES_PER_CLAIM = 8;

/**
 * Claims one queued job in one transaction: lock a candidate (SKIP LOCKED: another runner is claiming it), take
 * the tenant's claim lock (try: a tenant being claimed for elsewhere is skipped, never waited for), re-count its
 * running jobs under that lock so runners together never exceed the per-tenant limit, then mark it running
 * with a fresh lease token.
 */
export async function claimNext(pool: Pool, request: ClaimRequest): Promise<ClaimedJob | undefined> {
  if (request.kinds.length === 0) return undefined;
  return withTransaction(pool, async (tx) => {
    const { now } = request;
    const candidates = await tx.query<{ id: string; tenant_id: string }>(CANDIDATES_SQL, [
      now,
      request.kinds,
      request.maxRunningPerTenant,
      CANDIDATES_PER_CLAIM,
    ]);
    for (const c of candidates.rows) {
      const locked = await tx.query<{ started_at: Date | null; checkpoint: Job['payload'] | null }>(
        `SELECT started_at, checkpoint FROM jobs WHERE id = $1 AND state = 'queued' AND run_after <= $2 FOR UPDATE SKIP LOCKED`,
        [c.id, now],
      );
      if (!locked.rows.length) continue;
      const tenantLock = await tx.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended('pm_jobs_claim:' || $1, 0)) AS ok`, [
        c.tenant_id,
      ]);
      if (!tenantLock.rows[0].ok) continue;
      const running = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1 AND state = 'running'`, [c.tenant_id]);
      if (running.rows[0].n >= request.maxRunningPerTenant) continue;
      const token = randomUUID();
      const claimed = await tx.query<JobRow>(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_token = $2, lease_owner = $3, lease_expires_at = $4,
           heartbeat_at = $5, started_at = coalesce(started_at, $5), error_code = NULL, error_message = NULL, updated_at = $5
         WHERE id = $1 RETURNING ${JOB_COLUMNS}`,
        [c.id, token, request.owner, new Date(now.getTime() + request.leaseMs), now],
      );
      const row = locked.rows[0];
      return { job: toJob(claimed.rows[0]), token, resumed: row.started_at !== null, checkpoint: row.checkpoint };
    }
    return undefined;
  });
}

export interface ReapedJob {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly state: JobState;
  readonly attempts: number;
}

/**
 * Jobs whose runner stopped heartbeating (process died, machine gone, partitioned away): back to the queue to be
 * resumed by any runner, or failed once their attempts are used up, or cancelled if that was asked. SKIP LOCKED:
 * a job whose handler transaction is still writing its checkpoint is not taken from under it.
 */
export async function reapExpiredLeases(pool: Pool, now: Date, limit = 100): Promise<ReapedJob[]> {
  const res = await pool.query<{ id: string; tenant_id: string; kind: string; state: JobState; attempts: number }>(
    `UPDATE jobs j SET
       state = CASE WHEN j.cancel_requested THEN 'cancelled' WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'queued' END,
       error_code = CASE WHEN j.cancel_requested THEN 'JOB_CANCELLED' WHEN j.attempts >= j.max_attempts THEN 'JOB_ABANDONED' ELSE 'JOB_LEASE_EXPIRED' END,
       error_message = CASE WHEN j.cancel_requested THEN 'Cancelled while running'
         WHEN j.attempts >= j.max_attempts THEN 'The job''s runner stopped responding on every attempt'
         ELSE 'The job''s runner stopped responding; the job will be resumed' END,
       finished_at = CASE WHEN j.cancel_requested OR j.attempts >= j.max_attempts THEN $1 ELSE NULL END,
       lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, run_after = $1, updated_at = $1
     WHERE j.id IN (
       SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < $1 ORDER BY lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     RETURNING j.id, j.tenant_id, j.kind, j.state, j.attempts`,
    [now, limit],
  );
  return res.rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, kind: r.kind, state: r.state, attempts: r.attempts }));
}
