import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each tenant's default working calendar as planning last published it (`pm.planning.DefaultCalendarSet`, ADR 0104),
 * and the tenant's time zone for due dates (risk settings). Read when a due item is scheduled and when it fires
 * (ADR 0302, "Due moment"); a tenant without a row runs on the standard calendar in UTC.
 */
export class RiskTenantCalendarSchema1765000000000 implements MigrationInterface {
  name = 'RiskTenantCalendarSchema1765000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS risk_tenant_calendars (
        tenant_id   text        PRIMARY KEY,
        calendar    jsonb,
        event_id    text,
        set_at      timestamptz,
        time_zone   text
      );
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS risk_tenant_calendars');
  }
}
