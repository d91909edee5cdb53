import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money on risks (ADR 0304, `RiskAssessed` v2): a risk row keeps its cost impact and the expected monetary value of its
 * current assessment, so the exposure sums EMV per currency without parsing events. Null for risks assessed without
 * a cost impact and for v1 assessments (upcast with none).
 */
export class RiskMoneySchema1765000000001 implements MigrationInterface {
  name = 'RiskMoneySchema1765000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE risk_register
        ADD COLUMN IF NOT EXISTS cost_impact_minor   bigint,
        ADD COLUMN IF NOT EXISTS cost_currency       text,
        ADD COLUMN IF NOT EXISTS expected_cost_minor bigint;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE risk_register DROP COLUMN IF EXISTS expected_cost_minor, DROP COLUMN IF EXISTS cost_currency, DROP COLUMN IF EXISTS cost_impact_minor');
  }
}
