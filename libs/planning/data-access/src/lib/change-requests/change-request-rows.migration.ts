import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A project's change requests as rows (ADR 0604): what a list needs without loading every change-request stream.
 * `seq` orders the list newest first and is its paging cursor; `stream_version` makes applying an event twice a no-op.
 */
export class PlanningChangeRequestRowsSchema1764600000100 implements MigrationInterface {
  name = 'PlanningChangeRequestRowsSchema1764600000100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_change_requests (
        seq               bigserial   NOT NULL,
        tenant_id         text        NOT NULL,
        project_id        text        NOT NULL,
        change_request_id text        NOT NULL,
        title             text        NOT NULL,
        status            text        NOT NULL,
        proposed_changes  integer     NOT NULL,
        rebaseline_as     integer,
        impact            jsonb,
        raised_by         text        NOT NULL,
        raised_at         timestamptz NOT NULL,
        decided_by        text,
        decided_at        timestamptz,
        reason            text,
        stream_version    integer     NOT NULL,
        PRIMARY KEY (tenant_id, change_request_id)
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS planning_change_requests_by_project ON planning_change_requests (tenant_id, project_id, seq DESC)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS planning_change_requests');
  }
}
