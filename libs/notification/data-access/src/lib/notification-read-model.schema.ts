import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the notification service (ADR 0401), every row keyed by tenant:
 * - `notification_inbox`: one row per in-app notification; `seq` numbers a recipient's rows 1, 2, 3… in commit order
 *   (the head row below is locked to take the next one), so the SSE stream resumes after `Last-Event-ID` with no gap
 *   and no repeat.
 * - `notification_inbox_heads`: per recipient, the last `seq`, the mark-all-read watermark and the unread count.
 * - `notification_directory`: who has which role where, as the events and the callers' tokens told us.
 * - `notification_subscribers`: people with subscriptions of their own, so they are asked even when no role names them.
 * - `notification_stream_tickets`: single-use tickets that open an SSE stream, stored as SHA-256 hashes only.
 */
export class NotificationReadModelSchema1764500000000 implements MigrationInterface {
  name = 'NotificationReadModelSchema1764500000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_inbox (
        tenant_id       text        NOT NULL,
        notification_id uuid        NOT NULL,
        recipient_id    text        NOT NULL,
        seq             bigint      NOT NULL,
        source_event_id uuid        NOT NULL,
        event_type      text        NOT NULL,
        severity        text        NOT NULL,
        subject         jsonb       NOT NULL,
        project_id      uuid,
        title           text        NOT NULL,
        reason          jsonb       NOT NULL,
        created_at      timestamptz NOT NULL,
        read_at         timestamptz,
        archived_at     timestamptz,
        PRIMARY KEY (tenant_id, notification_id)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS notification_inbox_by_seq ON notification_inbox (tenant_id, recipient_id, seq);
      CREATE TABLE IF NOT EXISTS notification_inbox_heads (
        tenant_id    text        NOT NULL,
        recipient_id text        NOT NULL,
        last_seq     bigint      NOT NULL DEFAULT 0,
        read_up_to   timestamptz,
        unread       integer     NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, recipient_id)
      );
      CREATE TABLE IF NOT EXISTS notification_directory (
        tenant_id  text NOT NULL,
        user_id    text NOT NULL,
        role       text NOT NULL,
        -- '' for a role held tenant-wide (a token's roles); a project id for what an event said (its manager).
        project_id text NOT NULL DEFAULT '',
        source     text NOT NULL,
        PRIMARY KEY (tenant_id, project_id, user_id, role)
      );
      CREATE TABLE IF NOT EXISTS notification_subscribers (
        tenant_id       text NOT NULL,
        user_id         text NOT NULL,
        subscription_id text NOT NULL,
        PRIMARY KEY (tenant_id, user_id, subscription_id)
      );
      CREATE TABLE IF NOT EXISTS notification_stream_tickets (
        ticket_hash    bytea       PRIMARY KEY,
        tenant_id      text        NOT NULL,
        user_id        text        NOT NULL,
        roles          text[]      NOT NULL,
        expires_at     timestamptz NOT NULL,
        session_ends_at timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS notification_stream_tickets_expiry ON notification_stream_tickets (expires_at);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS notification_stream_tickets, notification_subscribers, notification_directory, notification_inbox_heads, notification_inbox');
  }
}
