import type { Pool } from 'pg';
import type { PortfolioPosition } from './portfolio.queries';

export type UtilisationBy = 'resource' | 'role' | 'department';
export type HeatMapInterval = 'week' | 'month';

/** One group (a resource, a role, a department) in one period, summed over the weeks the resource service published. */
export interface UtilisationGroupPeriod {
  /** The resource id, the role or the department; null: resources without a role or department. */
  readonly key: string | null;
  /** The resource's name (by resource); otherwise the key. */
  readonly name: string | null;
  readonly kind: string | null;
  readonly role: string | null;
  readonly department: string | null;
  readonly periodStart: string;
  readonly capacityMinutes: number;
  readonly demandMinutes: number;
  readonly resources: number;
  /** Resources (not placeholders) with a week in the period whose demand exceeds their capacity. */
  readonly overAllocatedResources: number;
}

export interface OpenRiskCell {
  readonly probability: number;
  readonly impact: number;
  readonly count: number;
}

export interface PortfolioRiskRow {
  readonly riskId: string;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly kind: string | null;
  readonly title: string | null;
  readonly status: string | null;
  readonly ownerId: string | null;
  readonly probability: number | null;
  readonly impact: number | null;
  readonly score: number | null;
  readonly rating: string | null;
}

/** Rows valid at the instant `$2`, or the current rows when it is null (ADR 0500). */
function validAt(alias: string, asOf: boolean): string {
  return asOf ? `${alias}.valid_from <= $2 AND $2 < ${alias}.valid_to` : `${alias}.valid_to = 'infinity' AND $2::timestamptz IS NULL`;
}

const OPEN = "f.status NOT IN ('closed', 'occurred')";

/**
 * A week belongs to the month of its Thursday (the ISO 8601 rule for the week's year): a month cell sums the 4 or 5
 * whole weeks the resource service published, never a share of a week (that would redo its calendars, ADR 0502).
 */
const PERIOD = { week: 'u.week_start', month: "date_trunc('month', u.week_start + 3)::date" } as const;
const RANGE = {
  week: "u.week_start BETWEEN date_trunc('week', $3::date)::date AND $4::date",
  month: "u.week_start + 3 BETWEEN date_trunc('month', $3::date)::date AND (date_trunc('month', $4::date) + interval '1 month - 1 day')::date",
} as const;
const GROUP = {
  resource: { key: 'r.resource_id::text', extra: 'r.name, r.kind, r.role, r.department', group: 'r.resource_id, r.name, r.kind, r.role, r.department' },
  role: { key: 'r.role', extra: 'NULL AS name, NULL AS kind, r.role, NULL AS department', group: 'r.role' },
  department: { key: 'r.department', extra: 'NULL AS name, NULL AS kind, NULL AS role, r.department', group: 'r.department' },
} as const;

/** What each view's answer is made of; the risk list names projects as the portfolio showed them. */
const POSITION_TABLES = { utilisation: ['portfolio_resource_facts'], risk: ['portfolio_risk_register_facts', 'portfolio_project_facts'] } as const;

/** Every query is scoped to one tenant, the one of the verified token. */
export class PortfolioHeatMapQueries {
  constructor(private readonly pool: Pool) {}

  async utilisation(tenantId: string, asOf: Date | null, q: { by: UtilisationBy; interval: HeatMapInterval; from: string; to: string }): Promise<UtilisationGroupPeriod[]> {
    const g = GROUP[q.by];
    const period = PERIOD[q.interval];
    const res = await this.pool.query<Omit<UtilisationGroupPeriod, 'capacityMinutes' | 'demandMinutes'> & { c: string; d: string }>(
      `SELECT ${g.key} AS key, ${g.extra}, to_char(${period}, 'YYYY-MM-DD') AS "periodStart",
         sum(u.capacity_minutes)::text AS c, sum(u.demand_minutes)::text AS d, count(DISTINCT u.resource_id)::int AS resources,
         count(DISTINCT u.resource_id) FILTER (WHERE u.demand_minutes > u.capacity_minutes AND r.kind <> 'generic')::int AS "overAllocatedResources"
       FROM portfolio_utilisation_facts u
       JOIN portfolio_resource_facts r ON r.tenant_id = u.tenant_id AND r.resource_id = u.resource_id AND ${validAt('r', asOf !== null)}
       WHERE u.tenant_id = $1 AND ${validAt('u', asOf !== null)} AND ${RANGE[q.interval]}
       GROUP BY ${g.group}, ${period}
       ORDER BY 1 NULLS LAST, 2, ${period}`,
      [tenantId, asOf, q.from, q.to],
    );
    return res.rows.map(({ c, d, ...row }) => ({ ...row, name: row.name ?? row.key, capacityMinutes: Number(c), demandMinutes: Number(d) }));
  }

  /** Open, assessed risks per matrix cell (empty cells left out), and how many open risks are not assessed yet. */
  async riskCells(tenantId: string, asOf: Date | null, projectId: string | null): Promise<{ cells: OpenRiskCell[]; unassessed: number }> {
    const res = await this.pool.query<{ probability: number | null; impact: number | null; count: number }>(
      `SELECT f.probability, f.impact, count(*)::int AS count FROM portfolio_risk_register_facts f
       WHERE f.tenant_id = $1 AND ${validAt('f', asOf !== null)} AND ${OPEN} AND ($3::uuid IS NULL OR f.project_id = $3)
       GROUP BY 1, 2`,
      [tenantId, asOf, projectId],
    );
    const cells = res.rows.filter((r): r is OpenRiskCell => r.probability !== null && r.impact !== null);
    return { cells, unassessed: res.rows.filter((r) => r.probability === null).reduce((n, r) => n + r.count, 0) };
  }

  /** Open risks, highest score first (then id), optionally of one cell or project; `total` before paging. */
  async risks(
    tenantId: string,
    asOf: Date | null,
    q: { probability?: number; impact?: number; projectId?: string; limit: number; offset: number },
  ): Promise<{ total: number; items: PortfolioRiskRow[] }> {
    const res = await this.pool.query<PortfolioRiskRow & { total: number }>(
      `SELECT f.risk_id AS "riskId", f.project_id AS "projectId", p.name AS "projectName", f.kind, f.title, f.status, f.owner_id AS "ownerId",
         f.probability, f.impact, f.score, f.rating, count(*) OVER ()::int AS total
       FROM portfolio_risk_register_facts f
       LEFT JOIN portfolio_project_facts p ON p.tenant_id = f.tenant_id AND p.project_id = f.project_id AND ${validAt('p', asOf !== null)}
       WHERE f.tenant_id = $1 AND ${validAt('f', asOf !== null)} AND ${OPEN}
         AND ($3::int IS NULL OR f.probability = $3) AND ($4::int IS NULL OR f.impact = $4) AND ($5::uuid IS NULL OR f.project_id = $5)
       ORDER BY f.score DESC NULLS LAST, f.risk_id
       LIMIT $6 OFFSET $7`,
      [tenantId, asOf, q.probability ?? null, q.impact ?? null, q.projectId ?? null, q.limit, q.offset],
    );
    const total = res.rows[0]?.total ?? (q.offset > 0 ? await this.countRisks(tenantId, asOf, q) : 0);
    return { total, items: res.rows.map(({ total: _, ...row }) => row) };
  }

  private async countRisks(tenantId: string, asOf: Date | null, q: { probability?: number; impact?: number; projectId?: string }): Promise<number> {
    const res = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM portfolio_risk_register_facts f WHERE f.tenant_id = $1 AND ${validAt('f', asOf !== null)} AND ${OPEN}
         AND ($3::int IS NULL OR f.probability = $3) AND ($4::int IS NULL OR f.impact = $4) AND ($5::uuid IS NULL OR f.project_id = $5)`,
      [tenantId, asOf, q.probability ?? null, q.impact ?? null, q.projectId ?? null],
    );
    return res.rows[0].n;
  }

  /**
   * The last event of the view's tables the tenant's answer includes, as of the instant (ADR 0500, freshness): the
   * newest row of each table by the `(tenant_id, valid_from, …)` index, then the newest of those.
   */
  async position(tenantId: string, asOf: Date | null, view: 'utilisation' | 'risk'): Promise<PortfolioPosition | null> {
    const newest = (table: string) =>
      `SELECT event_id, stream_version, valid_from FROM ${table} WHERE tenant_id = $1 AND valid_from <= COALESCE($2::timestamptz, 'infinity') ORDER BY valid_from DESC, event_id DESC LIMIT 1`;
    const sql = POSITION_TABLES[view].map((table) => `(${newest(table)})`).join(' UNION ALL ');
    const res = await this.pool.query<{ event_id: string; stream_version: number; valid_from: Date }>(`SELECT * FROM (${sql}) AS newest ORDER BY valid_from DESC, event_id DESC LIMIT 1`, [tenantId, asOf]);
    return res.rows.map((r) => ({ eventId: r.event_id, streamVersion: r.stream_version, recordedAt: r.valid_from.toISOString() }))[0] ?? null;
  }
}
