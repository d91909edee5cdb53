import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The risk ↔ task link (ADR 0305, `RiskScheduleImpactDefined`): a risk row keeps the tasks it delays, so the register
 * shows them and a simulation builds its risk events from the rows without parsing events. Empty until one is defined.
 */
export class RiskScheduleImpactSchema1765100000000 implements MigrationInterface {
  name = 'RiskScheduleImpactSchema1765100000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE risk_register ADD COLUMN IF NOT EXISTS schedule_impact jsonb NOT NULL DEFAULT '[]'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE risk_register DROP COLUMN IF EXISTS schedule_impact');
  }
}
