import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The heat maps' facts as rows valid from / to (ADR 0502, on ADR 0500): a resource's profile per
 * `utilisation:<tenant>:<resourceId>` stream, its figures per resource and week (a row per week an event moved), and a
 * risk of the register per `risk:<tenant>:<riskId>` stream. `valid_to = 'infinity'` marks the current row.
 */
const VERSIONED = `
  tenant_id      text        NOT NULL,
  event_id       text        NOT NULL,
  stream_version integer     NOT NULL,
  recorded_at    timestamptz NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz NOT NULL DEFAULT 'infinity',
`;

export class PortfolioHeatMapsSchema1765100000000 implements MigrationInterface {
  name = 'PortfolioHeatMapsSchema1765100000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS portfolio_resource_facts (${VERSIONED}
        resource_id uuid NOT NULL, name text, kind text, role text, department text,
        PRIMARY KEY (tenant_id, resource_id, event_id)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS portfolio_resource_facts_event ON portfolio_resource_facts (tenant_id, event_id);
      CREATE UNIQUE INDEX IF NOT EXISTS portfolio_resource_facts_current ON portfolio_resource_facts (tenant_id, resource_id) WHERE valid_to = 'infinity';
      CREATE INDEX IF NOT EXISTS portfolio_resource_facts_as_of ON portfolio_resource_facts (tenant_id, valid_from, valid_to);

      CREATE TABLE IF NOT EXISTS portfolio_utilisation_facts (${VERSIONED}
        resource_id uuid NOT NULL, week_start date NOT NULL, capacity_minutes integer NOT NULL, demand_minutes integer NOT NULL,
        PRIMARY KEY (tenant_id, resource_id, week_start, event_id)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS portfolio_utilisation_facts_current ON portfolio_utilisation_facts (tenant_id, resource_id, week_start) WHERE valid_to = 'infinity';
      CREATE INDEX IF NOT EXISTS portfolio_utilisation_facts_weeks ON portfolio_utilisation_facts (tenant_id, week_start, valid_from, valid_to);
      CREATE INDEX IF NOT EXISTS portfolio_utilisation_facts_as_of ON portfolio_utilisation_facts (tenant_id, valid_from);

      CREATE TABLE IF NOT EXISTS portfolio_risk_register_facts (${VERSIONED}
        risk_id uuid NOT NULL, project_id uuid, kind text, title text, status text, owner_id text,
        probability integer, impact integer, score integer, rating text,
        PRIMARY KEY (tenant_id, risk_id, event_id)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS portfolio_risk_register_facts_event ON portfolio_risk_register_facts (tenant_id, event_id);
      CREATE UNIQUE INDEX IF NOT EXISTS portfolio_risk_register_facts_current ON portfolio_risk_register_facts (tenant_id, risk_id) WHERE valid_to = 'infinity';
      CREATE INDEX IF NOT EXISTS portfolio_risk_register_facts_as_of ON portfolio_risk_register_facts (tenant_id, valid_from, valid_to);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS portfolio_resource_facts, portfolio_utilisation_facts, portfolio_risk_register_facts');
  }
}
