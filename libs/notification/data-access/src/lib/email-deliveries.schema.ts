import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail read models (ADR 0402), keyed by tenant:
 * - `notification_email_deliveries`: one row per e-mail notification — what the message says (title, severity,
 *   subject, when it happened), how it goes (now, at the end of quiet hours, in the digest) and where it stands
 *   (scheduled, retrying, sent, failed, with the last SMTP reply code). The digest collects its items here; the
 *   recipient reads their delivery status here.
 * - `notification_recipients`: the address and locale each person's token carried the last time they called this
 *   service (the directory's way of learning, ADR 0401), so an e-mail has somewhere to go.
 */
export class NotificationEmailSchema1764600000000 implements MigrationInterface {
  name = 'NotificationEmailSchema1764600000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_email_deliveries (
        tenant_id       text        NOT NULL,
        notification_id uuid        NOT NULL,
        recipient_id    text        NOT NULL,
        mode            text        NOT NULL,
        due_at          timestamptz,
        event_type      text        NOT NULL,
        severity        text        NOT NULL,
        subject         jsonb       NOT NULL,
        title           text        NOT NULL,
        occurred_at     timestamptz NOT NULL,
        created_at      timestamptz NOT NULL,
        status          text        NOT NULL DEFAULT 'scheduled',
        email_id        uuid,
        attempts        integer     NOT NULL DEFAULT 0,
        last_reply_code integer,
        next_attempt_at timestamptz,
        failure_reason  text,
        settled_at      timestamptz,
        PRIMARY KEY (tenant_id, notification_id)
      );
      CREATE INDEX IF NOT EXISTS notification_email_deliveries_by_recipient ON notification_email_deliveries (tenant_id, recipient_id, created_at DESC);
      CREATE INDEX IF NOT EXISTS notification_email_deliveries_digest ON notification_email_deliveries (tenant_id, recipient_id, created_at) WHERE mode = 'digest' AND status IN ('scheduled', 'retrying');
      CREATE TABLE IF NOT EXISTS notification_recipients (
        tenant_id  text        NOT NULL,
        user_id    text        NOT NULL,
        email      text,
        locale     text,
        learnt_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, user_id)
      );
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS notification_recipients, notification_email_deliveries');
  }
}
