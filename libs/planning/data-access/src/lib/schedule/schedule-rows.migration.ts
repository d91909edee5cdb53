import type { MigrationInterface, QueryRunner } from 'typeorm';
import { recomputeAllRollups } from './schedule-rollups';

/**
 * The schedule read model as rows (ADR 0010): a project row, a row per task, per link and per baseline entry, in
 * place of one document per project (ADR 0101). A task's `wbs_path` is its WBS code as integers (1.2.3 is
 * {1,2,3}): ordering by it is WBS order, and a subtree is one range of the index. The tables start empty and the
 * lane runner builds them from the event log at start (its checkpoint and lanes are new), project by project; a
 * read of a project not yet reached catches that project up first.
 */
export class PlanningScheduleRowsSchema1764400000200 implements MigrationInterface {
  name = 'PlanningScheduleRowsSchema1764400000200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_schedule_projects (
        tenant_id        text        NOT NULL,
        project_id       text        NOT NULL,
        stream_version   integer     NOT NULL,
        project_start    text        NOT NULL,
        calendar         jsonb       NOT NULL,
        status_date      text,
        progress_date    text,
        last_calculation jsonb,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, project_id)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_schedule_tasks (
        tenant_id               text             NOT NULL,
        project_id              text             NOT NULL,
        task_id                 text             NOT NULL,
        parent_id               text,
        wbs_path                integer[]        NOT NULL,
        name                    text             NOT NULL,
        kind                    text             NOT NULL,
        duration_days           double precision NOT NULL,
        work_hours              double precision,
        cost_budget             double precision,
        task_constraint         jsonb            NOT NULL,
        three_point             jsonb,
        actual_start            text,
        actual_finish           text,
        percent_complete        double precision NOT NULL,
        remaining_duration_days double precision,
        actual_cost             double precision NOT NULL,
        published               jsonb,
        PRIMARY KEY (tenant_id, project_id, task_id)
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS planning_schedule_tasks_wbs ON planning_schedule_tasks (tenant_id, project_id, wbs_path)');
    await q.query('CREATE INDEX IF NOT EXISTS planning_schedule_tasks_parent ON planning_schedule_tasks (tenant_id, project_id, parent_id)');
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_schedule_links (
        tenant_id       text             NOT NULL,
        project_id      text             NOT NULL,
        dependency_id   text             NOT NULL,
        predecessor_id  text             NOT NULL,
        successor_id    text             NOT NULL,
        dependency_type text             NOT NULL,
        lag_days        double precision NOT NULL,
        PRIMARY KEY (tenant_id, project_id, dependency_id)
      )`);
    // A page shows the links that touch its tasks: found from either end.
    await q.query('CREATE INDEX IF NOT EXISTS planning_schedule_links_from ON planning_schedule_links (tenant_id, project_id, predecessor_id)');
    await q.query('CREATE INDEX IF NOT EXISTS planning_schedule_links_to ON planning_schedule_links (tenant_id, project_id, successor_id)');
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_schedule_baselines (
        tenant_id       text    NOT NULL,
        project_id      text    NOT NULL,
        baseline_number integer NOT NULL,
        saved_at        text    NOT NULL,
        PRIMARY KEY (tenant_id, project_id, baseline_number)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_schedule_baseline_tasks (
        tenant_id       text    NOT NULL,
        project_id      text    NOT NULL,
        baseline_number integer NOT NULL,
        task_id         text    NOT NULL,
        entry           jsonb   NOT NULL,
        PRIMARY KEY (tenant_id, project_id, baseline_number, task_id)
      )`);
    await q.query('DROP TABLE IF EXISTS planning_schedule_views');
    await q.query(`DELETE FROM projection_checkpoints WHERE projection IN ('planning-schedule-view', 'planning-schedule-rows')`);
    await q.query(`DELETE FROM projection_lanes WHERE projection = 'planning-schedule-rows'`);
  }
  async down(q: QueryRunner): Promise<void> {
    for (const table of ['planning_schedule_baseline_tasks', 'planning_schedule_baselines', 'planning_schedule_links', 'planning_schedule_tasks', 'planning_schedule_projects']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

/**
 * Summary roll-ups kept on the summary rows (schedule-rollups.ts): a page read no longer aggregates each summary's
 * subtree (a 100,000-task plan's top summary is 100,000 rows). Existing rows are rolled up here, deepest first.
 */
export class PlanningScheduleRollupsSchema1764500000100 implements MigrationInterface {
  name = 'PlanningScheduleRollupsSchema1764500000100';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE planning_schedule_tasks ADD COLUMN IF NOT EXISTS rollup jsonb');
    await recomputeAllRollups(q);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE planning_schedule_tasks DROP COLUMN IF EXISTS rollup');
  }
}
