import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectSummarySchema1764100001000 implements MigrationInterface {
  name = 'ProjectSummarySchema1764100001000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS project_summaries (
        tenant_id          text        NOT NULL,
        project_id         uuid        NOT NULL,
        name               text        NOT NULL,
        code               text,
        description        text,
        status             text        NOT NULL,
        priority           text        NOT NULL,
        start_date         date,
        target_finish_date date,
        sponsor            text,
        manager_id         text,
        currency           char(3)     NOT NULL,
        calendar_id        text,
        created_at         timestamptz NOT NULL,
        -- Last stream version applied: makes apply idempotent and ignores stale redeliveries.
        stream_version     integer     NOT NULL,
        updated_at         timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, project_id)
      );
      CREATE INDEX IF NOT EXISTS project_summaries_by_name ON project_summaries (tenant_id, lower(name), project_id);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS project_summaries');
  }
}
