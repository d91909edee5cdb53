import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook tables of the notification service (ADR 0403), every row keyed by tenant:
 * - `notification_webhook_endpoints`: each endpoint's configuration as its stream says, plus the worker's count of
 *   failed attempts in a row and `removed_at` (a removed endpoint is disabled, hidden, its secrets destroyed).
 * - `notification_webhook_secrets`: signing secrets, AES-256-GCM ciphertext only (never the plain secret).
 * - `notification_webhook_deliveries`: the queue, one row per (endpoint, event) under its derived id, holding the
 *   CloudEvent to send; `seq` orders a subject's deliveries on an endpoint that asked for order.
 * - `notification_webhook_attempts`: the delivery log, one row per attempt.
 */
export class NotificationWebhooksSchema1764600000000 implements MigrationInterface {
  name = 'NotificationWebhooksSchema1764600000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_webhook_endpoints (
        tenant_id            text        NOT NULL,
        endpoint_id          uuid        NOT NULL,
        url                  text        NOT NULL,
        description          text,
        event_types          text[]      NOT NULL,
        ordered_by_subject   boolean     NOT NULL,
        private_allowed      boolean     NOT NULL,
        status               text        NOT NULL,
        key_id               text        NOT NULL,
        registered_at        timestamptz NOT NULL,
        consecutive_failures integer     NOT NULL DEFAULT 0,
        removed_at           timestamptz,
        PRIMARY KEY (tenant_id, endpoint_id)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_webhook_secrets (
        tenant_id   text        NOT NULL,
        endpoint_id uuid        NOT NULL,
        key_id      text        NOT NULL,
        ciphertext  text        NOT NULL,
        created_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, endpoint_id, key_id)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_webhook_deliveries (
        tenant_id     text        NOT NULL,
        delivery_id   uuid        NOT NULL,
        endpoint_id   uuid        NOT NULL,
        event_id      text        NOT NULL,
        event_type    text        NOT NULL,
        subject       text        NOT NULL,
        seq           bigserial,
        payload       text        NOT NULL,
        status        text        NOT NULL,
        attempts      integer     NOT NULL DEFAULT 0,
        first_attempt_at timestamptz,
        next_attempt_at  timestamptz,
        last_status   integer,
        lease_token   uuid,
        created_at    timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, delivery_id)
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS notification_webhook_deliveries_subject ON notification_webhook_deliveries (tenant_id, endpoint_id, subject, seq) WHERE status IN ('pending', 'waiting', 'paused')`);
    await q.query(`CREATE INDEX IF NOT EXISTS notification_webhook_deliveries_log ON notification_webhook_deliveries (tenant_id, endpoint_id, seq DESC)`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_webhook_attempts (
        tenant_id     text        NOT NULL,
        delivery_id   uuid        NOT NULL,
        attempt       integer     NOT NULL,
        status_code   integer,
        error         text,
        duration_ms   integer     NOT NULL,
        response_body text,
        signed_with   text[]      NOT NULL,
        attempted_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['notification_webhook_attempts', 'notification_webhook_deliveries', 'notification_webhook_secrets', 'notification_webhook_endpoints']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
