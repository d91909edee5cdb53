import type { Pool } from 'pg';
import type { RegisterRisk, RiskTaskDelay } from '@pm/risk/domain';

/** At most this many of the register's linked threats join one run, the highest current score first (then id). */
export const MAX_REGISTER_RISK_EVENTS = 1000;

type Level = { probability: number } | null;
type StoredAssessment = { dimensions: { schedule: Level } } | null;

/** Reads for the risk ↔ task link (ADR 0305); every query is scoped to the tenant and the project. */
export class RegisterRiskQueries {
  constructor(private readonly pool: Pool) {}

  /**
   * Which of `taskIds` are work tasks (not summaries) of the project's plan copy; null when no schedule of the project
   * has reached the risk service (yet), and then nothing can be checked.
   */
  async knownTaskIds(tenantId: string, projectId: string, taskIds: readonly string[]): Promise<string[] | null> {
    const res = await this.pool.query<{ task_id: string | null }>(
      `SELECT t.task_id FROM risk_plan_projects p
       LEFT JOIN risk_plan_tasks t ON t.tenant_id = p.tenant_id AND t.project_id = p.project_id AND t.kind <> 'summary' AND t.task_id = ANY($3::text[])
       WHERE p.tenant_id = $1 AND p.project_id = $2`,
      [tenantId, projectId, [...taskIds]],
    );
    if (res.rows.length === 0) return null;
    return res.rows.flatMap((r) => (r.task_id === null ? [] : [r.task_id]));
  }

  /** Open threats (not closed, not occurred) with a task link, highest current score first. */
  async linkedOpenThreats(tenantId: string, projectId: string): Promise<RegisterRisk[]> {
    const res = await this.pool.query(
      `SELECT risk_id, inherent, residual, cost_impact_minor::text AS cost_impact_minor, cost_currency, schedule_impact FROM risk_register
       WHERE tenant_id = $1 AND project_id = $2 AND kind = 'threat' AND status NOT IN ('closed', 'occurred') AND jsonb_array_length(schedule_impact) > 0
       ORDER BY coalesce(residual_score, inherent_score, 0) DESC, risk_id LIMIT $3`,
      [tenantId, projectId, MAX_REGISTER_RISK_EVENTS],
    );
    return res.rows.map((r) => {
      const current = (r.residual ?? r.inherent) as StoredAssessment;
      return {
        riskId: r.risk_id as string,
        scheduleProbability: current?.dimensions.schedule?.probability ?? null,
        costImpact: r.cost_impact_minor === null ? null : { amountMinor: Number(r.cost_impact_minor), currency: r.cost_currency as string },
        tasks: r.schedule_impact as RiskTaskDelay[],
      };
    });
  }
}
