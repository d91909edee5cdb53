import type { Pool, PoolClient } from 'pg';
import type { CostIncurredV1, TimesheetApprovedV1 } from '@pm/contracts';

/** One reported cost as planning keeps it: exact minor units, the task it was booked to (or none), its day. */
export interface ActualCostRow {
  readonly taskId: string | null;
  readonly incurredOn: string;
  readonly currency: string;
  readonly amountMinor: number;
}

const NO_TASK = '';

/** Priced timesheet lines, summed per project, task, day and currency: the key a CostIncurred is split by. */
export async function recordTimesheetLines(tx: PoolClient, tenantId: string, data: TimesheetApprovedV1): Promise<void> {
  const sums = new Map<string, { projectId: string; taskKey: string; date: string; currency: string; amountMinor: number }>();
  for (const line of data.lines) {
    const taskKey = line.taskId ?? NO_TASK;
    const key = JSON.stringify([line.projectId, taskKey, line.date, line.cost.currency]);
    const seen = sums.get(key);
    sums.set(key, { projectId: line.projectId, taskKey, date: line.date, currency: line.cost.currency, amountMinor: (seen?.amountMinor ?? 0) + line.cost.amountMinor });
  }
  for (const s of sums.values()) {
    await tx.query(
      `INSERT INTO planning_timesheet_cost_lines (tenant_id, timesheet_id, project_id, task_key, incurred_on, currency, amount_minor)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [tenantId, data.timesheetId, s.projectId, s.taskKey, s.date, s.currency, s.amountMinor],
    );
  }
}

/**
 * Records a cost once per costId (the inbox already drops a redelivered event; this also drops the same cost
 * published again under a new event id). A timesheet's cost is split by its priced lines when they add up to
 * exactly the amount; otherwise, as for an expense, the whole amount is project-level on its last day. Returns the
 * parts recorded now (none when the cost was recorded before).
 */
export async function recordCostIncurred(tx: PoolClient, tenantId: string, data: CostIncurredV1): Promise<ActualCostRow[]> {
  const { amount } = data;
  let parts: Array<{ taskKey: string; date: string; amountMinor: number }> = [{ taskKey: NO_TASK, date: data.to, amountMinor: amount.amountMinor }];
  if (data.source.kind === 'timesheet') {
    const lines = await tx.query<{ task_key: string; incurred_on: string; amount_minor: string }>(
      `SELECT task_key, to_char(incurred_on, 'YYYY-MM-DD') AS incurred_on, amount_minor FROM planning_timesheet_cost_lines
        WHERE tenant_id = $1 AND timesheet_id = $2 AND project_id = $3 AND currency = $4 AND amount_minor > 0`,
      [tenantId, data.source.id, data.projectId, amount.currency],
    );
    const split = lines.rows.map((r) => ({ taskKey: r.task_key, date: r.incurred_on, amountMinor: Number(r.amount_minor) }));
    if (split.length > 0 && split.reduce((sum, p) => sum + p.amountMinor, 0) === amount.amountMinor) parts = split;
  }
  const recorded: ActualCostRow[] = [];
  for (const p of parts) {
    const inserted = await tx.query(
      `INSERT INTO planning_actual_costs (tenant_id, project_id, cost_id, task_key, incurred_on, currency, amount_minor, source_kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [tenantId, data.projectId, data.costId, p.taskKey, p.date, amount.currency, p.amountMinor, data.source.kind],
    );
    if (inserted.rowCount === 1) recorded.push({ taskId: p.taskKey === NO_TASK ? null : p.taskKey, incurredOn: p.date, currency: amount.currency, amountMinor: p.amountMinor });
  }
  return recorded;
}

/** Every reported cost of one project, per task, day and currency (within the tenant only). */
export async function actualCostsOfProject(pool: Pool, tenantId: string, projectId: string): Promise<ActualCostRow[]> {
  const res = await pool.query<{ task_key: string; incurred_on: string; currency: string; amount_minor: string }>(
    `SELECT task_key, to_char(incurred_on, 'YYYY-MM-DD') AS incurred_on, currency, SUM(amount_minor)::text AS amount_minor
       FROM planning_actual_costs WHERE tenant_id = $1 AND project_id = $2
      GROUP BY task_key, incurred_on, currency ORDER BY incurred_on, task_key, currency`,
    [tenantId, projectId],
  );
  return res.rows.map((r) => ({ taskId: r.task_key === NO_TASK ? null : r.task_key, incurredOn: r.incurred_on, currency: r.currency, amountMinor: Number(r.amount_minor) }));
}
