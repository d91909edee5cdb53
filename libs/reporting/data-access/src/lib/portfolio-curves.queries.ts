import type { Pool } from 'pg';
import { MAX_TREND_STATUS_DATES } from '@pm/reporting/domain';
import type { CurveInterval, PlannedValueCurve, PortfolioProjectCurve, StatusFigures, StatusMilestones } from '@pm/reporting/domain';

/** A project of the portfolio at an instant with its currency and the baseline PV curve of the schedule row valid then. */
export interface ProjectCurveFacts {
  readonly projectId: string;
  readonly currency: string | null;
  readonly curve: PlannedValueCurve;
}

/** Rows valid at `$2` (ADR 0500), or the current rows when it is null. */
const validAt = (alias: string): string => `(($2::timestamptz IS NULL AND ${alias}.valid_to = 'infinity') OR (${alias}.valid_from <= $2 AND $2 < ${alias}.valid_to))`;

interface CurveRow {
  project_id: string;
  currency: string | null;
  curve_interval: CurveInterval | null;
  pv_curve: PlannedValueCurve['points'] | null;
}

const toCurve = (r: CurveRow): ProjectCurveFacts => ({
  projectId: r.project_id,
  currency: r.currency?.trim() ?? null,
  curve: { interval: r.curve_interval, points: r.pv_curve ?? [] },
});

/**
 * The rows behind S-curves and milestone trends (ADR 0501). The PV line is the curve of the schedule row valid at the
 * instant; EV, AC and milestone forecasts come from the project's history of schedule rows recorded (valid from) up to
 * it, one per status date: the latest recorded for that date. Every query is scoped to the tenant of the token.
 */
export class PortfolioCurveQueries {
  constructor(private readonly pool: Pool) {}

  /** Null when the project is not in the tenant's portfolio at the instant. */
  async curve(tenantId: string, projectId: string, asOf: Date | null): Promise<ProjectCurveFacts | null> {
    const res = await this.pool.query<CurveRow>(
      `SELECT p.project_id, p.currency, s.curve_interval, s.pv_curve
       FROM portfolio_project_facts p
       LEFT JOIN portfolio_schedule_facts s ON s.tenant_id = p.tenant_id AND s.project_id = p.project_id AND ${validAt('s')}
       WHERE p.tenant_id = $1 AND p.project_id = $3 AND ${validAt('p')}`,
      [tenantId, asOf, projectId],
    );
    return res.rows.length ? toCurve(res.rows[0]) : null;
  }

  /** EV and AC at each status date of one project, or of every project of the tenant (keyed by project), by status date. */
  async figures(tenantId: string, projectId: string | null, asOf: Date | null): Promise<Map<string, StatusFigures[]>> {
    const res = await this.pool.query<{ project_id: string; status_date: string; ev: number; ac: number }>(
      `SELECT DISTINCT ON (project_id, status_date) project_id, to_char(status_date, 'YYYY-MM-DD') AS status_date, ev::float8 AS ev, ac::float8 AS ac
       FROM portfolio_schedule_facts
       WHERE tenant_id = $1 AND ($3::uuid IS NULL OR project_id = $3) AND status_date IS NOT NULL AND ($2::timestamptz IS NULL OR valid_from <= $2)
       ORDER BY project_id, status_date, valid_from DESC, event_id DESC`,
      [tenantId, asOf, projectId],
    );
    const byProject = new Map<string, StatusFigures[]>();
    for (const r of res.rows) {
      const list = byProject.get(r.project_id) ?? [];
      list.push({ statusDate: r.status_date, ev: r.ev, ac: r.ac });
      byProject.set(r.project_id, list);
    }
    return byProject;
  }

  /** Every project of the tenant at the instant with its currency and curve and its EV/AC history. */
  async portfolio(tenantId: string, asOf: Date | null): Promise<PortfolioProjectCurve[]> {
    const [curves, figures] = await Promise.all([
      this.pool.query<CurveRow>(
        `SELECT p.project_id, p.currency, s.curve_interval, s.pv_curve
         FROM portfolio_project_facts p
         LEFT JOIN portfolio_schedule_facts s ON s.tenant_id = p.tenant_id AND s.project_id = p.project_id AND ${validAt('s')}
         WHERE p.tenant_id = $1 AND ${validAt('p')}
         ORDER BY p.project_id`,
        [tenantId, asOf],
      ),
      this.figures(tenantId, null, asOf),
    ]);
    return curves.rows
      .map(toCurve)
      .filter((c): c is ProjectCurveFacts & { currency: string } => c.currency !== null)
      .map((c) => ({ currency: c.currency, curve: c.curve, history: figures.get(c.projectId) ?? [] }));
  }

  /** The milestones at each status date of one project, the latest MAX_TREND_STATUS_DATES dates, by status date. */
  async milestones(tenantId: string, projectId: string, asOf: Date | null): Promise<{ history: StatusMilestones[]; truncated: boolean }> {
    const res = await this.pool.query<{ status_date: string; milestones: StatusMilestones['milestones'] | null }>(
      `SELECT status_date, milestones FROM (
         SELECT DISTINCT ON (status_date) to_char(status_date, 'YYYY-MM-DD') AS status_date, milestones
         FROM portfolio_schedule_facts
         WHERE tenant_id = $1 AND project_id = $3 AND status_date IS NOT NULL AND ($2::timestamptz IS NULL OR valid_from <= $2)
         ORDER BY status_date DESC, valid_from DESC, event_id DESC
         LIMIT $4
       ) latest ORDER BY status_date`,
      [tenantId, asOf, projectId, MAX_TREND_STATUS_DATES + 1],
    );
    const truncated = res.rows.length > MAX_TREND_STATUS_DATES;
    const rows = truncated ? res.rows.slice(1) : res.rows;
    return { history: rows.map((r) => ({ statusDate: r.status_date, milestones: r.milestones ?? [] })), truncated };
  }
}
