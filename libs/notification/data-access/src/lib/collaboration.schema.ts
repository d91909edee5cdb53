import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Collaboration read models (ADR 0404), every row keyed by tenant:
 * - `notification_comments`: one row per comment with its latest body (null once deleted); `seq` orders a thread in
 *   commit order. Earlier bodies are the comment stream's events, read from the store for the history.
 * - `notification_activity`: one row per planning, resource or risk event of a project ("who changed what"), newest
 *   first by when it happened; the event id is the key, so a redelivered event adds nothing.
 */
export class NotificationCollaborationSchema1764700000000 implements MigrationInterface {
  name = 'NotificationCollaborationSchema1764700000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_comments (
        tenant_id   text        NOT NULL,
        comment_id  uuid        NOT NULL,
        seq         bigserial   NOT NULL,
        project_id  uuid        NOT NULL,
        target_kind text        NOT NULL,
        target_id   text        NOT NULL,
        reply_to    uuid,
        author      text        NOT NULL,
        body        text,
        mentions    jsonb       NOT NULL,
        revision    integer     NOT NULL,
        posted_at   timestamptz NOT NULL,
        edited_at   timestamptz,
        deleted_at  timestamptz,
        deleted_by  text,
        PRIMARY KEY (tenant_id, comment_id)
      );
      CREATE INDEX IF NOT EXISTS notification_comments_thread ON notification_comments (tenant_id, project_id, target_kind, target_id, seq);
      CREATE TABLE IF NOT EXISTS notification_activity (
        tenant_id    text        NOT NULL,
        event_id     uuid        NOT NULL,
        seq          bigserial   NOT NULL,
        project_id   uuid        NOT NULL,
        event_type   text        NOT NULL,
        actor        text        NOT NULL,
        subject_kind text        NOT NULL,
        subject_id   text        NOT NULL,
        summary      text        NOT NULL,
        occurred_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, event_id)
      );
      CREATE INDEX IF NOT EXISTS notification_activity_feed ON notification_activity (tenant_id, project_id, occurred_at DESC, seq DESC);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS notification_activity; DROP TABLE IF EXISTS notification_comments');
  }
}
