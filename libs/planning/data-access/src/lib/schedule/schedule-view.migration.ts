import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The schedule read model: one document per project, the schedule stream folded by the same evolve
 * functions the write side uses (ADR 0101). Rebuildable: truncate and replay.
 */
export class PlanningScheduleViewSchema1764200000100 implements MigrationInterface {
  name = 'PlanningScheduleViewSchema1764200000100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_schedule_views (
        tenant_id      text        NOT NULL,
        project_id     text        NOT NULL,
        stream_version integer     NOT NULL,
        document       jsonb       NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, project_id)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS planning_schedule_views');
  }
}
