import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the resource service. `resource_pool` and `resource_assignments` are projections of its own
 * event store; `planning_tasks` and `planning_links` are its local copy of pm.planning.events (it never calls
 * planning). `allocation_dirty` is the durable to-do list of resources whose over-allocation must be
 * re-evaluated, written in the same transaction as whatever changed their demand or capacity.
 */
export class ResourceReadModelSchema1764200000000 implements MigrationInterface {
  name = 'ResourceReadModelSchema1764200000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS resource_pool (
        tenant_id            text    NOT NULL,
        resource_id          uuid    NOT NULL,
        kind                 text    NOT NULL,
        name                 text    NOT NULL,
        role                 text,
        department           text,
        user_id              text,
        calendar             jsonb,
        availability_percent integer NOT NULL DEFAULT 100,
        skills               jsonb   NOT NULL DEFAULT '{}',
        leave                jsonb   NOT NULL DEFAULT '[]',
        stream_version       integer NOT NULL,
        PRIMARY KEY (tenant_id, resource_id)
      );
      CREATE INDEX IF NOT EXISTS resource_pool_by_department ON resource_pool (tenant_id, department);
      CREATE TABLE IF NOT EXISTS resource_assignments (
        tenant_id      text    NOT NULL,
        assignment_id  uuid    NOT NULL,
        resource_id    uuid    NOT NULL,
        project_id     uuid    NOT NULL,
        task_id        text    NOT NULL,
        load           jsonb   NOT NULL,
        active         boolean NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, assignment_id)
      );
      CREATE INDEX IF NOT EXISTS resource_assignments_by_resource ON resource_assignments (tenant_id, resource_id) WHERE active;
      CREATE INDEX IF NOT EXISTS resource_assignments_by_task ON resource_assignments (tenant_id, project_id, task_id) WHERE active;
      CREATE TABLE IF NOT EXISTS planning_tasks (
        tenant_id      text    NOT NULL,
        project_id     uuid    NOT NULL,
        task_id        text    NOT NULL,
        name           text,
        start_date     date,
        finish_date    date,
        duration_days  integer,
        total_float    integer,
        critical       boolean,
        removed        boolean NOT NULL DEFAULT false,
        -- Version of planning's schedule stream last applied to this row: stale redeliveries change nothing.
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, project_id, task_id)
      );
      CREATE TABLE IF NOT EXISTS planning_links (
        tenant_id      text    NOT NULL,
        project_id     uuid    NOT NULL,
        dependency_id  text    NOT NULL,
        predecessor_id text    NOT NULL,
        successor_id   text    NOT NULL,
        link_type      text    NOT NULL,
        lag_days       numeric NOT NULL,
        removed        boolean NOT NULL DEFAULT false,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, project_id, dependency_id)
      );
      CREATE TABLE IF NOT EXISTS allocation_dirty (
        tenant_id   text   NOT NULL,
        resource_id uuid   NOT NULL,
        mark        bigint NOT NULL,
        PRIMARY KEY (tenant_id, resource_id)
      );
      CREATE SEQUENCE IF NOT EXISTS allocation_dirty_mark;
      CREATE TABLE IF NOT EXISTS resource_utilisation_weekly (
        tenant_id        text    NOT NULL,
        resource_id      uuid    NOT NULL,
        department       text,
        week_start       date    NOT NULL,
        capacity_minutes integer NOT NULL,
        demand_minutes   integer NOT NULL,
        PRIMARY KEY (tenant_id, resource_id, week_start)
      );
      CREATE INDEX IF NOT EXISTS resource_utilisation_by_department ON resource_utilisation_weekly (tenant_id, department, week_start);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS resource_utilisation_weekly, allocation_dirty, planning_links, planning_tasks, resource_assignments, resource_pool;
      DROP SEQUENCE IF EXISTS allocation_dirty_mark`);
  }
}
