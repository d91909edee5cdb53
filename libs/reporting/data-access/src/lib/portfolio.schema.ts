import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Portfolio facts as rows valid from / to (ADR 0500): one table per source stream of a project, a row per applied
 * event, valid from the event's recorded time until the next event of the same stream. `valid_to = 'infinity'`
 * marks the current row.
 */
const VERSIONED = `
  tenant_id      text        NOT NULL,
  project_id     uuid        NOT NULL,
  event_id       text        NOT NULL,
  stream_version integer     NOT NULL,
  recorded_at    timestamptz NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz NOT NULL DEFAULT 'infinity',
`;

function indexes(table: string, key = 'project_id'): string {
  return `
    CREATE UNIQUE INDEX IF NOT EXISTS ${table}_event ON ${table} (tenant_id, event_id);
    CREATE UNIQUE INDEX IF NOT EXISTS ${table}_current ON ${table} (tenant_id, ${key}) WHERE valid_to = 'infinity';
    CREATE INDEX IF NOT EXISTS ${table}_as_of ON ${table} (tenant_id, valid_from, valid_to);
  `;
}

export class PortfolioSchema1764800000000 implements MigrationInterface {
  name = 'PortfolioSchema1764800000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS portfolio_project_facts (${VERSIONED}
        name text, code text, status text, phase text, priority text, currency char(3), start_date date, target_finish_date date, pending_gate jsonb,
        PRIMARY KEY (tenant_id, project_id, event_id)
      );
      ${indexes('portfolio_project_facts')}
      CREATE TABLE IF NOT EXISTS portfolio_schedule_facts (${VERSIONED}
        project_start date, project_finish date,
        status_date date, baseline_number integer, bac numeric, pv numeric, ev numeric, ac numeric, spi double precision,
        cpi double precision, eac numeric, milestone_count integer, overdue_milestone_count integer, milestones jsonb,
        PRIMARY KEY (tenant_id, project_id, event_id)
      );
      ${indexes('portfolio_schedule_facts')}
      CREATE TABLE IF NOT EXISTS portfolio_risk_facts (${VERSIONED}
        open_risks integer, open_issues integer, risks_by_rating jsonb, cells jsonb, top_risks jsonb,
        cost_exposure_score integer, expected_exposure jsonb, expected_opportunity jsonb, p80_finish date, simulated_at timestamptz,
        PRIMARY KEY (tenant_id, project_id, event_id)
      );
      ${indexes('portfolio_risk_facts')}
      CREATE TABLE IF NOT EXISTS portfolio_change_request_facts (
        tenant_id text NOT NULL, change_request_id uuid NOT NULL, event_id text NOT NULL, stream_version integer NOT NULL,
        recorded_at timestamptz NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL DEFAULT 'infinity',
        project_id uuid, state text,
        PRIMARY KEY (tenant_id, change_request_id, event_id)
      );
      ${indexes('portfolio_change_request_facts', 'change_request_id')}
      CREATE INDEX IF NOT EXISTS portfolio_change_request_facts_project ON portfolio_change_request_facts (tenant_id, project_id);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS portfolio_project_facts, portfolio_schedule_facts, portfolio_risk_facts, portfolio_change_request_facts');
  }
}
