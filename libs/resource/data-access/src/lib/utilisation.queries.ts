import type { Pool, PoolClient } from 'pg';

export interface WeekFigures {
  readonly weekStart: string;
  readonly capacityMinutes: number;
  readonly demandMinutes: number;
}

export interface UtilisationRow extends WeekFigures {
  /** The resource id, or the department name for a department roll-up. */
  readonly key: string;
  readonly utilisationPercent: number | null;
}

/**
 * Utilisation per resource and week: every resource in the pool, every week of the tenant's horizon (see
 * utilisation-horizon.ts) widened to the resource's own demand,
 * written by the over-allocation evaluator from the read models (so it is
 * rebuilt by replaying the store and planning's topic), and rolled up per department on read.
 */
export class UtilisationQueries {
  constructor(private readonly pool: Pool) {}

  /**
   * The resource's rows become exactly `weeks` (none when the tenant has no plan and it no demand), so a rebuild gives
   * the same rows. Written in the transaction of the evaluation that computed them, which also clears its mark.
   */
  async replace(tenantId: string, resourceId: string, department: string | null, weeks: readonly WeekFigures[], tx: PoolClient): Promise<void> {
    await tx.query('DELETE FROM resource_utilisation_weekly WHERE tenant_id = $1 AND resource_id = $2', [tenantId, resourceId]);
    await tx.query(
      `INSERT INTO resource_utilisation_weekly (tenant_id, resource_id, department, week_start, capacity_minutes, demand_minutes)
       SELECT $1, $2, $3, w, c, d FROM unnest($4::date[], $5::int[], $6::int[]) AS x(w, c, d)
       ON CONFLICT (tenant_id, resource_id, week_start) DO UPDATE SET capacity_minutes = EXCLUDED.capacity_minutes, demand_minutes = EXCLUDED.demand_minutes, department = EXCLUDED.department`,
      [tenantId, resourceId, department, weeks.map((w) => w.weekStart), weeks.map((w) => w.capacityMinutes), weeks.map((w) => w.demandMinutes)],
    );
  }

  async list(tenantId: string, by: 'resource' | 'department', from: string, to: string): Promise<UtilisationRow[]> {
    const key = by === 'resource' ? 'resource_id::text' : "COALESCE(department, '(none)')";
    const res = await this.pool.query<{ key: string; w: string; c: string; d: string }>(
      `SELECT ${key} AS key, to_char(week_start, 'YYYY-MM-DD') AS w, sum(capacity_minutes)::text AS c, sum(demand_minutes)::text AS d
       FROM resource_utilisation_weekly WHERE tenant_id = $1 AND week_start BETWEEN $2 AND $3 GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenantId, from, to],
    );
    return res.rows.map((r) => {
      const [c, d] = [Number(r.c), Number(r.d)];
      return { key: r.key, weekStart: r.w, capacityMinutes: c, demandMinutes: d, utilisationPercent: c === 0 ? null : Math.round((d * 100) / c) };
    });
  }
}

