import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exposure for reporting (ADR 0304): projects whose register changed since their exposure was last decided (a mark
 * appended in the same transaction as the register's rows, deleted once the figures are decided), and the latest
 * Monte Carlo run of each project, whose P80 finish the exposure carries.
 */
export class RiskExposureSchema1764600000000 implements MigrationInterface {
  name = 'RiskExposureSchema1764600000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Append-only marks: a command and the store-fed runner marking the same project never wait for each other.
      CREATE TABLE IF NOT EXISTS risk_exposure_marks (
        mark_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id  text   NOT NULL,
        project_id uuid   NOT NULL
      );
      CREATE INDEX IF NOT EXISTS risk_exposure_marks_by_project ON risk_exposure_marks (tenant_id, project_id, mark_id);
      CREATE TABLE IF NOT EXISTS risk_schedule_latest (
        tenant_id     text        NOT NULL,
        project_id    uuid        NOT NULL,
        simulation_id text        NOT NULL,
        p80_finish    date        NOT NULL,
        simulated_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, project_id)
      );
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS risk_schedule_latest, risk_exposure_marks');
  }
}
