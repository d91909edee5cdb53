import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The risk service's copy of each plan (ADR 0300, 0304): what a Monte Carlo run needs to rebuild the scheduling
 * engine's input, projected from pm.planning.events. Rows per entity, keyed by tenant and project; every column is
 * the value the last event set, so applying an event twice leaves the same rows.
 */
export class RiskPlanSchema1764600000001 implements MigrationInterface {
  name = 'RiskPlanSchema1764600000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS risk_plan_projects (
        tenant_id     text  NOT NULL,
        project_id    uuid  NOT NULL,
        project_start date  NOT NULL,
        status_date   date,
        calendar      jsonb NOT NULL,
        PRIMARY KEY (tenant_id, project_id)
      );
      CREATE TABLE IF NOT EXISTS risk_plan_tasks (
        tenant_id      text    NOT NULL,
        project_id     uuid    NOT NULL,
        task_id        text    NOT NULL,
        kind           text    NOT NULL,
        duration_days  numeric NOT NULL,
        optimistic     numeric,
        most_likely    numeric,
        pessimistic    numeric,
        cost_budget    numeric,
        task_constraint jsonb,
        actual_start   date,
        actual_finish  date,
        remaining_days numeric,
        PRIMARY KEY (tenant_id, project_id, task_id)
      );
      CREATE TABLE IF NOT EXISTS risk_plan_links (
        tenant_id     text    NOT NULL,
        project_id    uuid    NOT NULL,
        dependency_id text    NOT NULL,
        predecessor_id text   NOT NULL,
        successor_id  text    NOT NULL,
        link_type     text    NOT NULL,
        lag_days      numeric NOT NULL,
        PRIMARY KEY (tenant_id, project_id, dependency_id)
      );
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS risk_plan_links, risk_plan_tasks, risk_plan_projects');
  }
}
