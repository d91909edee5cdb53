import type { PoolClient } from 'pg';
import type { BaselineCleared, BaselineExtended, BaselineSaved } from '@pm/planning/domain';

export type BaselineEvent = BaselineSaved | BaselineExtended | BaselineCleared;

export const isBaselineEvent = (event: { type: string }): event is BaselineEvent =>
  event.type === 'BaselineSaved' || event.type === 'BaselineExtended' || event.type === 'BaselineCleared';

/** A baseline is a header row and an entry row per task; saving one replaces its entries, as the fold does. */
export async function applyBaselineEvent(tx: PoolClient, tenantId: string, projectId: string, event: BaselineEvent): Promise<void> {
  const key = [tenantId, projectId, event.data.baselineNumber];
  const where = 'tenant_id = $1 AND project_id = $2 AND baseline_number = $3';
  if (event.type !== 'BaselineExtended') {
    await tx.query(`DELETE FROM planning_schedule_baseline_tasks WHERE ${where}`, key);
    await tx.query(`DELETE FROM planning_schedule_baselines WHERE ${where}`, key);
  }
  if (event.type === 'BaselineCleared') return;
  if (event.type === 'BaselineSaved') {
    await tx.query('INSERT INTO planning_schedule_baselines (tenant_id, project_id, baseline_number, saved_at) VALUES ($1, $2, $3, $4)', [...key, event.data.savedAt]);
  }
  // An extension of a baseline that is not there changes nothing (the fold ignores it too).
  await tx.query(
    `INSERT INTO planning_schedule_baseline_tasks (tenant_id, project_id, baseline_number, task_id, entry)
     SELECT $1, $2, $3, e->>'taskId', e FROM jsonb_array_elements($4::jsonb) AS e
      WHERE EXISTS (SELECT 1 FROM planning_schedule_baselines WHERE ${where})
     ON CONFLICT (tenant_id, project_id, baseline_number, task_id) DO UPDATE SET entry = EXCLUDED.entry`,
    [...key, JSON.stringify(event.data.tasks)],
  );
}
