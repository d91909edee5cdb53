import type { Pool } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ten years of weeks: one task dated 2049 must not make every resource's rows run to 2049 and beyond. */
export const MAX_HORIZON_DAYS = 520 * 7;

/**
 * The weeks the utilisation read model covers for a tenant: from the Monday of the earliest task start to the
 * Sunday of the latest task finish in the local copy of the plan (capped, see MAX_HORIZON_DAYS). Derived from
 * events only, never from the clock, so a rebuild on any day gives the same rows.
 */
export class ResourceUtilisationHorizonSchema1764200003000 implements MigrationInterface {
  name = 'ResourceUtilisationHorizonSchema1764200003000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS utilisation_horizon (
        tenant_id text PRIMARY KEY,
        from_date date NOT NULL,
        to_date   date NOT NULL
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS utilisation_horizon');
  }
}

/**
 * Recomputes every tenant's horizon from planning_tasks; where it moved (or vanished), marks all of the tenant's
 * resources for re-evaluation in the same statement, so idle people get rows for the new weeks too.
 * Returns the tenants whose horizon changed.
 */
export async function refreshUtilisationHorizons(pool: Pool): Promise<string[]> {
  const res = await pool.query<{ tenant_id: string }>(
    `WITH planned AS (
       SELECT tenant_id,
              date_trunc('week', min(start_date))::date AS from_date,
              LEAST((date_trunc('week', max(finish_date)) + interval '6 days')::date, date_trunc('week', min(start_date))::date + ${MAX_HORIZON_DAYS - 1}) AS to_date
       FROM planning_tasks WHERE NOT removed AND start_date IS NOT NULL AND finish_date IS NOT NULL GROUP BY tenant_id
     ), moved AS (
       INSERT INTO utilisation_horizon AS h (tenant_id, from_date, to_date) SELECT tenant_id, from_date, to_date FROM planned
       ON CONFLICT (tenant_id) DO UPDATE SET from_date = EXCLUDED.from_date, to_date = EXCLUDED.to_date
       WHERE (h.from_date, h.to_date) IS DISTINCT FROM (EXCLUDED.from_date, EXCLUDED.to_date)
       RETURNING tenant_id
     ), gone AS (
       DELETE FROM utilisation_horizon h WHERE NOT EXISTS (SELECT 1 FROM planned p WHERE p.tenant_id = h.tenant_id) RETURNING tenant_id
     ), changed AS (SELECT tenant_id FROM moved UNION SELECT tenant_id FROM gone),
     marked AS (
       INSERT INTO allocation_dirty (tenant_id, resource_id, mark)
       SELECT p.tenant_id, p.resource_id, nextval('allocation_dirty_mark') FROM resource_pool p JOIN changed c ON c.tenant_id = p.tenant_id
       ON CONFLICT (tenant_id, resource_id) DO UPDATE SET mark = EXCLUDED.mark
     )
     SELECT tenant_id FROM changed ORDER BY tenant_id`,
  );
  return res.rows.map((r) => r.tenant_id);
}

/** The tenant's horizon as `YYYY-MM-DD` dates (a Monday and a Sunday), or null while nothing is planned. */
export async function utilisationHorizon(pool: Pool, tenantId: string): Promise<{ from: string; to: string } | null> {
  const res = await pool.query<{ f: string; t: string }>(
    `SELECT to_char(from_date, 'YYYY-MM-DD') AS f, to_char(to_date, 'YYYY-MM-DD') AS t FROM utilisation_horizon WHERE tenant_id = $1`,
    [tenantId],
  );
  const row = res.rows[0];
  return row ? { from: row.f, to: row.t } : null;
}
