import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Long-running jobs of a service (imports, simulations, exports), in the service's own database. */
export class JobsSchema1764100000500 implements MigrationInterface {
  name = 'JobsSchema1764100000500';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS jobs (
        id               uuid PRIMARY KEY,
        tenant_id        text        NOT NULL,
        kind             text        NOT NULL,
        concurrency_key  text        NOT NULL,
        state            text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        payload          jsonb       NOT NULL,
        progress_done    bigint      NOT NULL DEFAULT 0,
        progress_total   bigint,
        counters         jsonb       NOT NULL DEFAULT '{}',
        -- The handler's own resume point, written in the handler's transactions (see JobContext.saveCheckpoint).
        checkpoint       jsonb,
        result           jsonb,
        error_code       text,
        error_message    text,
        attempts         integer     NOT NULL DEFAULT 0,
        max_attempts     integer     NOT NULL,
        cancel_requested boolean     NOT NULL DEFAULT false,
        -- A new token per claim: every write of a runner is fenced on it, so a runner whose lease was taken
        -- over can no longer change the job.
        lease_token      uuid,
        lease_owner      text,
        lease_expires_at timestamptz,
        heartbeat_at     timestamptz,
        run_after        timestamptz NOT NULL,
        requested_by     text,
        created_at       timestamptz NOT NULL,
        started_at       timestamptz,
        finished_at      timestamptz,
        updated_at       timestamptz NOT NULL
      );
      -- One active job per (tenant, kind, key): a second import of the same project is refused (409).
      CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_active_per_key ON jobs (tenant_id, kind, concurrency_key) WHERE state IN ('queued', 'running');
      CREATE INDEX IF NOT EXISTS jobs_queued_by_tenant ON jobs (tenant_id, created_at) WHERE state = 'queued';
      CREATE INDEX IF NOT EXISTS jobs_running_by_tenant ON jobs (tenant_id) WHERE state = 'running';
      CREATE INDEX IF NOT EXISTS jobs_running_by_lease ON jobs (lease_expires_at) WHERE state = 'running';
      CREATE INDEX IF NOT EXISTS jobs_by_tenant ON jobs (tenant_id, created_at DESC);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS jobs');
  }
}

export const JOBS_MIGRATIONS = [JobsSchema1764100000500];
