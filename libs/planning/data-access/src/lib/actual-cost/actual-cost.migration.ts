import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Actual cost reported by the resource service (ADR 0106). `planning_actual_costs` holds each CostIncurred,
 * split per task and day where the approved timesheet says how; `planning_timesheet_cost_lines` keeps the
 * priced lines of approved timesheets only to make that split. `task_key` '' means "no task" (project level).
 */
export class PlanningActualCostsSchema1764200000200 implements MigrationInterface {
  name = 'PlanningActualCostsSchema1764200000200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_timesheet_cost_lines (
        tenant_id    text   NOT NULL,
        timesheet_id text   NOT NULL,
        project_id   text   NOT NULL,
        task_key     text   NOT NULL,
        incurred_on  date   NOT NULL,
        currency     text   NOT NULL,
        amount_minor bigint NOT NULL,
        PRIMARY KEY (tenant_id, timesheet_id, project_id, task_key, incurred_on, currency)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_actual_costs (
        tenant_id    text        NOT NULL,
        project_id   text        NOT NULL,
        cost_id      text        NOT NULL,
        task_key     text        NOT NULL,
        incurred_on  date        NOT NULL,
        currency     text        NOT NULL,
        amount_minor bigint      NOT NULL,
        source_kind  text        NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, cost_id, task_key, incurred_on)
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS planning_actual_costs_project ON planning_actual_costs (tenant_id, project_id)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS planning_actual_costs');
    await q.query('DROP TABLE IF EXISTS planning_timesheet_cost_lines');
  }
}
