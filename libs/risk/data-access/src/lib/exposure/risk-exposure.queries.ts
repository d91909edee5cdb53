import type { Pool } from 'pg';
import type { ProjectRiskExposureChangedV2 } from '@pm/contracts';

export type ExposureFiguresRow = Omit<ProjectRiskExposureChangedV2, 'calculatedAt'>;
type MoneyByCurrency = Array<{ currency: string; amountMinor: number }>;

/** Open: neither closed nor occurred (an occurred threat is an issue now, counted there). */
const OPEN = `status NOT IN ('closed', 'occurred')`;
/** The assessment the register shows: the residual one when there is one, else the inherent one. */
const CURRENT = `COALESCE(residual, inherent)`;

/** One kind's EMV per currency, by currency code; a zero sum (a cost impact so small that its EMV rounds to 0) is left out. */
function byCurrency(rows: ReadonlyArray<{ kind: string; currency: string; amount: string }>, kind: 'threat' | 'opportunity'): MoneyByCurrency {
  return rows.filter((r) => r.kind === kind && Number(r.amount) > 0).map((r) => ({ currency: r.currency, amountMinor: Number(r.amount) }));
}

export interface DirtyProject {
  readonly tenantId: string;
  readonly projectId: string;
  /** The newest mark seen: marks up to it are answered by the figures read after it. */
  readonly lastMark: string;
}

/** A project's exposure figures from the register's rows (ADR 0304); every query is scoped to the tenant and project. */
export class RiskExposureQueries {
  constructor(
    private readonly pool: Pool,
    private readonly topRisks = 10,
  ) {}

  async figures(tenantId: string, projectId: string): Promise<ExposureFiguresRow> {
    const key = [tenantId, projectId];
    const [cost, money, open, top, cells, issues, simulation] = await Promise.all([
      this.pool.query<{ score: string | null; threats: string }>(
        `SELECT sum(((${CURRENT} -> 'dimensions' -> 'cost' ->> 'score'))::int) AS score, count(*) AS threats FROM risk_register
         WHERE tenant_id = $1 AND project_id = $2 AND ${OPEN} AND kind = 'threat' AND jsonb_typeof(${CURRENT} -> 'dimensions' -> 'cost') = 'object'`,
        key,
      ),
      // EMV per kind and currency: each currency is summed apart, never converted (ADR 0304).
      this.pool.query<{ kind: string; currency: string; amount: string }>(
        `SELECT kind, cost_currency AS currency, sum(expected_cost_minor)::text AS amount FROM risk_register
         WHERE tenant_id = $1 AND project_id = $2 AND ${OPEN} AND expected_cost_minor IS NOT NULL GROUP BY 1, 2 ORDER BY 2`,
        key,
      ),
      this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM risk_register WHERE tenant_id = $1 AND project_id = $2 AND ${OPEN}`, key),
      this.pool.query(
        `SELECT risk_id, kind, title, cell_probability, cell_impact, COALESCE(residual_score, inherent_score) AS score, rating FROM risk_register
         WHERE tenant_id = $1 AND project_id = $2 AND ${OPEN} AND cell_probability IS NOT NULL
         ORDER BY COALESCE(residual_score, inherent_score) DESC, risk_id LIMIT $3`,
        [...key, this.topRisks],
      ),
      this.pool.query<{ p: number; i: number; n: string }>(
        `SELECT cell_probability AS p, cell_impact AS i, count(*) AS n FROM risk_register
         WHERE tenant_id = $1 AND project_id = $2 AND ${OPEN} AND cell_probability IS NOT NULL GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC`,
        key,
      ),
      this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM issue_log WHERE tenant_id = $1 AND project_id = $2 AND status <> 'resolved'`, key),
      this.pool.query(
        `SELECT simulation_id, to_char(p80_finish, 'YYYY-MM-DD') AS p80_finish, simulated_at FROM risk_schedule_latest WHERE tenant_id = $1 AND project_id = $2`,
        key,
      ),
    ]);
    const sim = simulation.rows[0];
    return {
      projectId,
      costExposure: {
        score: Number(cost.rows[0]?.score ?? 0),
        threats: Number(cost.rows[0]?.threats ?? 0),
        expected: byCurrency(money.rows, 'threat'),
        expectedOpportunity: byCurrency(money.rows, 'opportunity'),
      },
      openRisks: Number(open.rows[0]?.n ?? 0),
      topRisks: top.rows.map((r) => ({ riskId: r.risk_id, kind: r.kind, title: r.title, probability: r.cell_probability, impact: r.cell_impact, score: r.score, rating: r.rating })),
      cells: cells.rows.map((r) => ({ probability: r.p, impact: r.i, count: Number(r.n) })),
      openIssues: Number(issues.rows[0]?.n ?? 0),
      scheduleRisk: sim ? { simulationId: sim.simulation_id, p80Finish: sim.p80_finish, simulatedAt: (sim.simulated_at as Date).toISOString() } : null,
    };
  }

  /** Marked projects, oldest mark first, across tenants (a bounded batch: one busy tenant cannot hold the others). */
  async dirty(limit: number): Promise<DirtyProject[]> {
    const res = await this.pool.query(
      `SELECT tenant_id, project_id, max(mark_id)::text AS last_mark FROM risk_exposure_marks GROUP BY tenant_id, project_id ORDER BY min(mark_id) LIMIT $1`,
      [limit],
    );
    return res.rows.map((r) => ({ tenantId: r.tenant_id, projectId: r.project_id, lastMark: r.last_mark as string }));
  }

  /** Deletes the marks the decision answered; a mark added since stays, and that change is decided on the next round. */
  async clear(mark: DirtyProject): Promise<void> {
    await this.pool.query('DELETE FROM risk_exposure_marks WHERE tenant_id = $1 AND project_id = $2 AND mark_id <= $3', [mark.tenantId, mark.projectId, mark.lastMark]);
  }
}
