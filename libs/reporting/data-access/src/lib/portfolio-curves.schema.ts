import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ProjectEarnedValueCalculated v3 on the schedule facts (ADR 0501): percent complete, the baseline's start and finish,
 * the finish slip and the baseline's planned-value curve. Columns of the same rows valid from / to (ADR 0500): null on
 * rows of events that did not carry them (v2, or ProjectScheduleCalculated before any earned value).
 */
export class PortfolioScheduleProgress1764900500000 implements MigrationInterface {
  name = 'PortfolioScheduleProgress1764900500000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE portfolio_schedule_facts
        ADD COLUMN IF NOT EXISTS percent_complete double precision,
        ADD COLUMN IF NOT EXISTS baseline_start date,
        ADD COLUMN IF NOT EXISTS baseline_finish date,
        ADD COLUMN IF NOT EXISTS finish_slip_days integer,
        ADD COLUMN IF NOT EXISTS curve_interval text,
        ADD COLUMN IF NOT EXISTS pv_curve jsonb;
      CREATE INDEX IF NOT EXISTS portfolio_schedule_facts_status ON portfolio_schedule_facts (tenant_id, project_id, status_date, valid_from);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS portfolio_schedule_facts_status;
      ALTER TABLE portfolio_schedule_facts DROP COLUMN IF EXISTS percent_complete, DROP COLUMN IF EXISTS baseline_start,
        DROP COLUMN IF EXISTS baseline_finish, DROP COLUMN IF EXISTS finish_slip_days, DROP COLUMN IF EXISTS curve_interval, DROP COLUMN IF EXISTS pv_curve;
    `);
  }
}
