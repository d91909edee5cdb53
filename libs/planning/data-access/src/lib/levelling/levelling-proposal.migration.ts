import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Levelling proposals planning heard about on pm.resource.events (ADR 0107), one row per proposal and project:
 * a portfolio proposal is listed, and accepted, under each project it moves. Proposals never change once
 * published, so a row is written once; whether it was accepted or rejected lives on the schedule stream.
 */
export class PlanningLevellingProposalsSchema1764200000300 implements MigrationInterface {
  name = 'PlanningLevellingProposalsSchema1764200000300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_levelling_proposals (
        tenant_id     text        NOT NULL,
        project_id    text        NOT NULL,
        proposal_id   text        NOT NULL,
        portfolio     boolean     NOT NULL,
        moves         jsonb       NOT NULL,
        unresolved    jsonb       NOT NULL,
        finish_before date,
        finish_after  date,
        proposed_by   text        NOT NULL,
        proposed_at   timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, project_id, proposal_id)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS planning_levelling_proposals');
  }
}
