import type { Pool, PoolClient } from 'pg';

/** A milestone as the latest earned-value figures forecast it against its baseline. */
export interface PortfolioMilestone {
  readonly taskId: string;
  readonly name: string;
  readonly baselineFinish: string;
  readonly forecastFinish: string;
  readonly slipDays: number;
  readonly achieved: boolean;
  readonly overdue: boolean;
}

/** One project of the portfolio at an instant; a null group or figure: no event has published it yet. */
export interface PortfolioProjectFacts {
  readonly projectId: string;
  readonly name: string | null;
  readonly code: string | null;
  readonly status: string | null;
  readonly phase: string | null;
  readonly priority: string | null;
  readonly currency: string | null;
  readonly startDate: string | null;
  readonly targetFinishDate: string | null;
  /** The phase gate requested and not yet decided. */
  readonly pendingGate: { gateId: string; fromPhase: string; toPhase: string; requestedAt: string } | null;
  /** Change requests awaiting a decision (raised or assessed). */
  readonly pendingChangeRequests: number;
  readonly schedule: {
    readonly projectStart: string | null;
    readonly forecastFinish: string | null;
    readonly statusDate: string | null;
    readonly baselineNumber: number | null;
    readonly bac: number | null;
    readonly pv: number | null;
    readonly ev: number | null;
    readonly ac: number | null;
    readonly spi: number | null;
    readonly cpi: number | null;
    readonly eac: number | null;
    readonly milestoneCount: number | null;
    readonly overdueMilestones: number | null;
    readonly milestones: readonly PortfolioMilestone[];
    /** Duration-weighted, as Microsoft Project computes it (ProjectEarnedValueCalculated v3, ADR 0501). */
    readonly percentComplete: number | null;
    readonly baselineStart: string | null;
    readonly baselineFinish: string | null;
    /** Working days from baselineFinish to forecastFinish on the project calendar; negative when early. */
    readonly finishSlipDays: number | null;
  } | null;
  readonly risk: {
    readonly openRisks: number;
    readonly openIssues: number;
    readonly risksByRating: { low: number; medium: number; high: number; critical: number; complete: boolean };
    readonly cells: readonly { probability: number; impact: number; count: number }[];
    readonly topRisks: readonly Record<string, unknown>[];
    readonly costExposureScore: number;
    readonly expectedExposure: readonly { currency: string; amountMinor: number }[];
    readonly expectedOpportunity: readonly { currency: string; amountMinor: number }[];
    readonly p80Finish: string | null;
    readonly simulatedAt: string | null;
  } | null;
}

/** The last event the answer includes: the read model is current up to it. */
export interface PortfolioPosition {
  readonly eventId: string;
  readonly streamVersion: number;
  readonly recordedAt: string;
}

const TABLES = ['portfolio_project_facts', 'portfolio_schedule_facts', 'portfolio_risk_facts', 'portfolio_change_request_facts'] as const;

/** Rows valid at the instant `$2`, or the current rows when it is null (then the partial index of current rows serves). */
function validAt(alias: string, asOf: boolean): string {
  return asOf ? `${alias}.valid_from <= $2 AND $2 < ${alias}.valid_to` : `${alias}.valid_to = 'infinity' AND $2::timestamptz IS NULL`;
}

/**
 * `lean`: without the per-project lists (milestones, risk cells, top risks, exposure per currency), which are most of
 * a row's bytes: what health, filters and sorts read over the whole portfolio. A page then reads its rows in full.
 */
function select(asOf: boolean, where: string, lean = false): string {
  const d = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;
  const full = (col: string, as: string) => (lean ? `NULL::jsonb AS ${as}` : `${col} AS ${as}`);
  return `
    SELECT p.project_id, p.name, p.code, p.status, p.phase, p.priority, p.currency, ${d('p.start_date')} AS start_date,
      ${d('p.target_finish_date')} AS target_finish_date, p.pending_gate,
      (SELECT count(*)::int FROM portfolio_change_request_facts c
        WHERE c.tenant_id = p.tenant_id AND c.project_id = p.project_id AND c.state = 'pending' AND ${validAt('c', asOf)}) AS pending_change_requests,
      s.event_id AS s_event, ${d('s.project_start')} AS project_start, ${d('s.project_finish')} AS project_finish, ${d('s.status_date')} AS status_date,
      s.baseline_number, s.bac::float8 AS bac, s.pv::float8 AS pv, s.ev::float8 AS ev, s.ac::float8 AS ac, s.spi, s.cpi, s.eac::float8 AS eac,
      s.milestone_count, s.overdue_milestone_count, ${full('s.milestones', 'milestones')},
      s.percent_complete, ${d('s.baseline_start')} AS baseline_start, ${d('s.baseline_finish')} AS baseline_finish, s.finish_slip_days,
      r.event_id AS r_event, r.open_risks, r.open_issues, r.risks_by_rating, ${full('r.cells', 'cells')}, ${full('r.top_risks', 'top_risks')},
      r.cost_exposure_score, ${full('r.expected_exposure', 'expected_exposure')}, ${full('r.expected_opportunity', 'expected_opportunity')},
      ${d('r.p80_finish')} AS p80_finish, r.simulated_at
    FROM portfolio_project_facts p
    LEFT JOIN portfolio_schedule_facts s ON s.tenant_id = p.tenant_id AND s.project_id = p.project_id AND ${validAt('s', asOf)}
    LEFT JOIN portfolio_risk_facts r ON r.tenant_id = p.tenant_id AND r.project_id = p.project_id AND ${validAt('r', asOf)}
    WHERE p.tenant_id = $1 AND ${validAt('p', asOf)} ${where}
    ORDER BY p.project_id`;
}

/** Every query is scoped to one tenant, the one of the verified token. */
export class PortfolioQueries {
  constructor(private readonly pool: Pick<Pool, 'query'>) {}

  /**
   * Several reads that must agree (a page's lean rows, its full rows and the position it is current to) in one
   * read-only REPEATABLE READ transaction: one snapshot, so a fact committed between them cannot make a row disagree
   * with the health it was filtered and sorted by, or the answer with its `currentTo`.
   */
  static async snapshot<T>(pool: Pool, work: (queries: PortfolioQueries) => Promise<T>): Promise<T> {
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work(new PortfolioQueries(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Every project of the tenant as it stood at `asOf` (now when null). `lean`: without the lists (milestones, risk
   * cells, top risks, exposure per currency), left empty: enough to decide health, filter and sort (see `some`).
   */
  async all(tenantId: string, asOf: Date | null, options: { lean?: boolean } = {}): Promise<PortfolioProjectFacts[]> {
    const res = await this.pool.query<Row>(select(asOf !== null, '', options.lean), [tenantId, asOf]);
    return res.rows.map(toFacts);
  }

  /** These projects in full (a page of the portfolio), in no particular order. */
  async some(tenantId: string, projectIds: readonly string[], asOf: Date | null): Promise<PortfolioProjectFacts[]> {
    if (projectIds.length === 0) return [];
    const res = await this.pool.query<Row>(select(asOf !== null, 'AND p.project_id = ANY($3::uuid[])'), [tenantId, asOf, [...projectIds]]);
    return res.rows.map(toFacts);
  }

  async one(tenantId: string, projectId: string, asOf: Date | null): Promise<PortfolioProjectFacts | null> {
    const res = await this.pool.query<Row>(select(asOf !== null, 'AND p.project_id = $3'), [tenantId, asOf, projectId]);
    return res.rows.length ? toFacts(res.rows[0]) : null;
  }

  /** The last event of the tenant's portfolio applied, as of the instant: what the answer is current up to. */
  async position(tenantId: string, asOf: Date | null): Promise<PortfolioPosition | null> {
    const parts = TABLES.map(
      (t) => `(SELECT event_id, stream_version, valid_from FROM ${t} WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR valid_from <= $2) ORDER BY valid_from DESC, event_id DESC LIMIT 1)`,
    );
    const res = await this.pool.query<{ event_id: string; stream_version: number; valid_from: Date }>(
      `SELECT * FROM (${parts.join(' UNION ALL ')}) AS last ORDER BY valid_from DESC, event_id DESC LIMIT 1`,
      [tenantId, asOf],
    );
    const row = res.rows[0];
    return row ? { eventId: row.event_id, streamVersion: row.stream_version, recordedAt: row.valid_from.toISOString() } : null;
  }
}

interface Row {
  project_id: string;
  name: string | null;
  code: string | null;
  status: string | null;
  phase: string | null;
  priority: string | null;
  currency: string | null;
  start_date: string | null;
  target_finish_date: string | null;
  pending_gate: PortfolioProjectFacts['pendingGate'];
  pending_change_requests: number;
  s_event: string | null;
  project_start: string | null;
  project_finish: string | null;
  status_date: string | null;
  baseline_number: number | null;
  bac: number | null;
  pv: number | null;
  ev: number | null;
  ac: number | null;
  spi: number | null;
  cpi: number | null;
  eac: number | null;
  milestone_count: number | null;
  overdue_milestone_count: number | null;
  milestones: PortfolioMilestone[] | null;
  percent_complete: number | null;
  baseline_start: string | null;
  baseline_finish: string | null;
  finish_slip_days: number | null;
  r_event: string | null;
  open_risks: number;
  open_issues: number;
  risks_by_rating: NonNullable<PortfolioProjectFacts['risk']>['risksByRating'];
  cells: NonNullable<PortfolioProjectFacts['risk']>['cells'] | null;
  top_risks: Record<string, unknown>[] | null;
  cost_exposure_score: number;
  expected_exposure: NonNullable<PortfolioProjectFacts['risk']>['expectedExposure'] | null;
  expected_opportunity: NonNullable<PortfolioProjectFacts['risk']>['expectedOpportunity'] | null;
  p80_finish: string | null;
  simulated_at: Date | null;
}

function toFacts(r: Row): PortfolioProjectFacts {
  return {
    projectId: r.project_id,
    name: r.name,
    code: r.code,
    status: r.status,
    phase: r.phase,
    priority: r.priority,
    currency: r.currency?.trim() ?? null,
    startDate: r.start_date,
    targetFinishDate: r.target_finish_date,
    pendingGate: r.pending_gate,
    pendingChangeRequests: r.pending_change_requests,
    schedule: r.s_event
      ? {
          projectStart: r.project_start,
          forecastFinish: r.project_finish,
          statusDate: r.status_date,
          baselineNumber: r.baseline_number,
          bac: r.bac,
          pv: r.pv,
          ev: r.ev,
          ac: r.ac,
          spi: r.spi,
          cpi: r.cpi,
          eac: r.eac,
          milestoneCount: r.milestone_count,
          overdueMilestones: r.overdue_milestone_count,
          milestones: r.milestones ?? [],
          percentComplete: r.percent_complete,
          baselineStart: r.baseline_start,
          baselineFinish: r.baseline_finish,
          finishSlipDays: r.finish_slip_days,
        }
      : null,
    risk: r.r_event
      ? {
          openRisks: r.open_risks,
          openIssues: r.open_issues,
          risksByRating: r.risks_by_rating,
          cells: r.cells ?? [],
          topRisks: r.top_risks ?? [],
          costExposureScore: r.cost_exposure_score,
          expectedExposure: r.expected_exposure ?? [],
          expectedOpportunity: r.expected_opportunity ?? [],
          p80Finish: r.p80_finish,
          simulatedAt: r.simulated_at?.toISOString() ?? null,
        }
      : null,
  };
}
