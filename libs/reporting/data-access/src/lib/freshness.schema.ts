import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ADR 0503. `reporting_stream_versions`: the highest version of every stream whose events the reporting consumer has
 * applied, upserted once per consumer transaction (read-your-writes waits on it). `reporting_health_rules`: a tenant's
 * RAG thresholds as rows valid from / to, so an `asOf` answer uses the rules in force at that instant.
 */
export class FreshnessSchema1764950000000 implements MigrationInterface {
  name = 'FreshnessSchema1764950000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS reporting_stream_versions (
        tenant_id text NOT NULL, stream_id text NOT NULL, version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, stream_id)
      );
      CREATE TABLE IF NOT EXISTS reporting_health_rules (
        tenant_id text NOT NULL, revision integer NOT NULL, rules jsonb NOT NULL, set_by text NOT NULL,
        valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL DEFAULT 'infinity',
        PRIMARY KEY (tenant_id, revision)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS reporting_health_rules_current ON reporting_health_rules (tenant_id) WHERE valid_to = 'infinity';
      CREATE INDEX IF NOT EXISTS reporting_health_rules_as_of ON reporting_health_rules (tenant_id, valid_from, valid_to);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS reporting_stream_versions, reporting_health_rules');
  }
}
