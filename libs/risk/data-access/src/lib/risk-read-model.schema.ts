import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the risk service, projected from its own event store (rows per entity, ADR 0302): one row per risk
 * (with the cell of the matrix its current assessment sits in), per response, per mitigation action, per secondary
 * link and per issue. Every row carries the tenant; the parent row's stream version guards every change.
 */
export class RiskReadModelSchema1764400000000 implements MigrationInterface {
  name = 'RiskReadModelSchema1764400000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS risk_register (
        tenant_id        text    NOT NULL,
        risk_id          uuid    NOT NULL,
        project_id       uuid    NOT NULL,
        kind             text    NOT NULL,
        title            text    NOT NULL,
        cause            text    NOT NULL,
        event            text    NOT NULL,
        effect           text    NOT NULL,
        category_id      text    NOT NULL,
        owner_id         text,
        proximity        date,
        triggers         jsonb   NOT NULL DEFAULT '[]',
        status           text    NOT NULL,
        inherent         jsonb,
        residual         jsonb,
        inherent_score   integer,
        residual_score   integer,
        rating           text,
        matrix_revision  integer,
        -- The cell of the current assessment (residual, else inherent): the worst dimension's probability and impact.
        cell_probability integer,
        cell_impact      integer,
        review_on        date,
        review_overdue   boolean NOT NULL DEFAULT false,
        occurred_on      date,
        identified_by    text    NOT NULL,
        identified_at    timestamptz NOT NULL,
        stream_version   integer NOT NULL,
        PRIMARY KEY (tenant_id, risk_id)
      );
      CREATE INDEX IF NOT EXISTS risk_register_by_project ON risk_register (tenant_id, project_id, risk_id);
      CREATE TABLE IF NOT EXISTS risk_responses (
        tenant_id   text NOT NULL,
        risk_id     uuid NOT NULL,
        response_id text NOT NULL,
        strategy    text NOT NULL,
        description text NOT NULL,
        planned_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, risk_id, response_id)
      );
      CREATE TABLE IF NOT EXISTS risk_actions (
        tenant_id    text    NOT NULL,
        risk_id      uuid    NOT NULL,
        action_id    text    NOT NULL,
        response_id  text    NOT NULL,
        description  text    NOT NULL,
        owner_id     text    NOT NULL,
        due_on       date    NOT NULL,
        cost         jsonb,
        completed    boolean NOT NULL DEFAULT false,
        overdue      boolean NOT NULL DEFAULT false,
        PRIMARY KEY (tenant_id, risk_id, action_id)
      );
      CREATE TABLE IF NOT EXISTS risk_secondary_links (
        tenant_id         text NOT NULL,
        risk_id           uuid NOT NULL,
        secondary_risk_id uuid NOT NULL,
        response_id       text NOT NULL,
        PRIMARY KEY (tenant_id, risk_id, secondary_risk_id)
      );
      CREATE TABLE IF NOT EXISTS issue_log (
        tenant_id          text    NOT NULL,
        issue_id           uuid    NOT NULL,
        project_id         uuid    NOT NULL,
        title              text    NOT NULL,
        description        text    NOT NULL,
        severity           text    NOT NULL,
        owner_id           text,
        due_on             date,
        source_risk_id     uuid,
        status             text    NOT NULL,
        resolution         text,
        change_request_ids uuid[]  NOT NULL DEFAULT '{}',
        raised_by          text    NOT NULL,
        raised_at          timestamptz NOT NULL,
        stream_version     integer NOT NULL,
        PRIMARY KEY (tenant_id, issue_id)
      );
      CREATE INDEX IF NOT EXISTS issue_log_by_project ON issue_log (tenant_id, project_id, issue_id);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS issue_log, risk_secondary_links, risk_actions, risk_responses, risk_register');
  }
}
