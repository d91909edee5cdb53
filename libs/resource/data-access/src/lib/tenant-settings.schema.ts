import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-tenant defaults projected from the tenant-settings stream. */
export class ResourceTenantSettingsSchema1764200001000 implements MigrationInterface {
  name = 'ResourceTenantSettingsSchema1764200001000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS tenant_settings (
        tenant_id         text    PRIMARY KEY,
        calendar          jsonb,
        threshold_percent integer,
        stream_version    integer NOT NULL
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS tenant_settings');
  }
}
