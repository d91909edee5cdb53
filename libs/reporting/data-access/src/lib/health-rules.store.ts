import type { Pool } from 'pg';
import { DEFAULT_HEALTH_RULES } from '@pm/reporting/domain';
import type { HealthRules } from '@pm/reporting/domain';

/** The rules a tenant's health was (or is) decided by at an instant; revision 0: the defaults, never set. */
export interface TenantHealthRules {
  readonly rules: HealthRules;
  readonly revision: number;
  /** Null for the defaults (in force since before the first event). */
  readonly validFrom: string | null;
  readonly setBy: string | null;
}

const DEFAULTS: TenantHealthRules = { rules: DEFAULT_HEALTH_RULES, revision: 0, validFrom: null, setBy: null };

interface Row {
  rules: HealthRules;
  revision: number;
  valid_from: Date;
  set_by: string;
}

function fromRow(row: Row | undefined): TenantHealthRules {
  return row ? { rules: row.rules, revision: row.revision, validFrom: row.valid_from.toISOString(), setBy: row.set_by } : DEFAULTS;
}

/**
 * A tenant's RAG thresholds as rows valid from / to (ADR 0503), the same shape as the portfolio facts (ADR 0500):
 * setting rules closes the current row at the database's `now()` and opens the next, so a read as of T uses the rules
 * in force at T and a past portfolio's health stays what it showed.
 */
export class HealthRulesStore {
  constructor(private readonly pool: Pool) {}

  async inForce(tenantId: string, asOf: Date | null): Promise<TenantHealthRules> {
    const res = await this.pool.query<Row>({
      name: asOf ? 'reporting_health_rules_as_of' : 'reporting_health_rules_now',
      text: asOf
        ? 'SELECT rules, revision, valid_from, set_by FROM reporting_health_rules WHERE tenant_id = $1 AND valid_from <= $2 AND $2 < valid_to'
        : "SELECT rules, revision, valid_from, set_by FROM reporting_health_rules WHERE tenant_id = $1 AND valid_to = 'infinity'",
      values: asOf ? [tenantId, asOf] : [tenantId],
    });
    return fromRow(res.rows[0]);
  }

  /**
   * Replaces the rules in force from now on. `expectedRevision` (when given) must be the current one, else null is
   * answered and nothing changes: two admins editing at once do not overwrite each other unseen.
   */
  async replace(tenantId: string, rules: HealthRules, setBy: string, expectedRevision?: number): Promise<TenantHealthRules | null> {
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN');
      // One writer per tenant at a time: the current row (or, before the first, the tenant's key) is locked.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`reporting_health_rules:${tenantId}`]);
      const current = await tx.query<{ revision: number }>(
        "SELECT revision FROM reporting_health_rules WHERE tenant_id = $1 AND valid_to = 'infinity'",
        [tenantId],
      );
      const revision = current.rows[0]?.revision ?? 0;
      if (expectedRevision !== undefined && expectedRevision !== revision) {
        await tx.query('ROLLBACK');
        return null;
      }
      // Within one tenant, validity never runs backwards (a clock step back on this server): clamp like the facts do.
      const res = await tx.query<Row>(
        `WITH closed AS (
           UPDATE reporting_health_rules SET valid_to = greatest(now(), valid_from)
            WHERE tenant_id = $1 AND valid_to = 'infinity' RETURNING valid_to
         )
         INSERT INTO reporting_health_rules (tenant_id, revision, rules, set_by, valid_from)
         SELECT $1, $2, $3::jsonb, $4, coalesce((SELECT valid_to FROM closed), now())
         RETURNING rules, revision, valid_from, set_by`,
        [tenantId, revision + 1, JSON.stringify(rules), setBy],
      );
      await tx.query('COMMIT');
      return fromRow(res.rows[0]);
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      tx.release();
    }
  }
}
