import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Due items of the durable scheduler, in the using service's own database. A fired one-shot item is deleted in
 * the transaction of its handler; a recurring one moves to its next due time; a failed one stays, visible.
 */
export class SchedulerSchema1764100000400 implements MigrationInterface {
  name = 'SchedulerSchema1764100000400';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS scheduler_items (
        tenant_id          text        NOT NULL,
        kind               text        NOT NULL,
        key                text        NOT NULL,
        due_at             timestamptz NOT NULL,
        payload            jsonb       NOT NULL,
        state              text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),
        attempts           integer     NOT NULL DEFAULT 0,
        -- Bumped by every schedule(): a firing only completes the version it claimed, so a handler that
        -- reschedules its own key (escalate again later) is not undone by its own completion.
        version            bigint      NOT NULL DEFAULT 1,
        last_error_code    text,
        last_error_message text,
        last_failed_at     timestamptz,
        scheduled_at       timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, kind, key)
      );
      -- The claim's skip scan over tenants and its per-tenant due-order scan.
      CREATE INDEX IF NOT EXISTS scheduler_items_tenant_due ON scheduler_items (tenant_id, due_at) WHERE state = 'pending';
      -- The loop's "when is the next item due" and the backlog gauge.
      CREATE INDEX IF NOT EXISTS scheduler_items_due ON scheduler_items (due_at) WHERE state = 'pending';
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS scheduler_items');
  }
}

export const SCHEDULER_MIGRATIONS = [SchedulerSchema1764100000400];
