import type { PoolClient } from 'pg';

/** Planning's latest word on whether a task is critical (TaskScheduleChanged), kept as a row per critical task. */
export async function recordTaskCriticality(tx: PoolClient, tenantId: string, projectId: string, taskId: string, critical: boolean): Promise<void> {
  if (critical) {
    await tx.query('INSERT INTO risk_critical_tasks (tenant_id, project_id, task_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tenantId, projectId, taskId]);
  } else {
    await tx.query('DELETE FROM risk_critical_tasks WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3', [tenantId, projectId, taskId]);
  }
}

/** The critical tasks among these ids, in every project of the tenant (task ids are unique per project only). */
export async function criticalTasksAmong(tx: PoolClient, tenantId: string, taskIds: readonly string[]): Promise<Array<{ projectId: string; taskId: string }>> {
  if (taskIds.length === 0) return [];
  const res = await tx.query<{ project_id: string; task_id: string }>('SELECT project_id, task_id FROM risk_critical_tasks WHERE tenant_id = $1 AND task_id = ANY($2::text[])', [
    tenantId,
    [...new Set(taskIds)],
  ]);
  return res.rows.map((r) => ({ projectId: r.project_id, taskId: r.task_id }));
}
