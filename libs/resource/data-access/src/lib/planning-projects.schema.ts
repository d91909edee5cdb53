import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Projects planning announced (pm.planning.ProjectCreated): their priority is levelling's default task priority. */
export class ResourcePlanningProjectsSchema1764200002000 implements MigrationInterface {
  name = 'ResourcePlanningProjectsSchema1764200002000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_projects (
        tenant_id  text NOT NULL,
        project_id uuid NOT NULL,
        name       text NOT NULL,
        priority   text NOT NULL,
        PRIMARY KEY (tenant_id, project_id)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS planning_projects');
  }
}
