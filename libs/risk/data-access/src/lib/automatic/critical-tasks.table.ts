import type { PoolClient } from 'pg';

/** Planning's latest word on whether a task is critical (TaskScheduleChanged), kept as a row per critical task. True when the task just became critical. */
export async function recordTaskCriticality(tx: PoolClient, tenantId: string, projectId: string, taskId: string, critical: boolean): Promise<boolean> {
  if (critical) {
    const res = await tx.query('INSERT INTO risk_critical_tasks (tenant_id, project_id, task_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tenantId, projectId, taskId]);
    return (res.rowCount ?? 0) > 0;
  }
  await tx.query('DELETE FROM risk_critical_tasks WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3', [tenantId, projectId, taskId]);
  return false;
}

/** A resource's latest over-allocation finding (ResourceOverallocated's data) and the event that carried it. */
export interface ResourceFinding<D> {
  readonly eventId: string;
  readonly eventType: string;
  readonly finding: D;
}

/** Keeps the resource's latest finding (null: nothing over-allocated any more). */
export async function recordResourceFinding<D extends { readonly resourceId: string }>(tx: PoolClient, tenantId: string, resourceId: string, found: ResourceFinding<D> | null): Promise<void> {
  if (found === null) {
    await tx.query('DELETE FROM risk_resource_findings WHERE tenant_id = $1 AND resource_id = $2', [tenantId, resourceId]);
    return;
  }
  await tx.query(
    `INSERT INTO risk_resource_findings (tenant_id, resource_id, event_id, event_type, finding) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, resource_id) DO UPDATE SET event_id = EXCLUDED.event_id, event_type = EXCLUDED.event_type, finding = EXCLUDED.finding`,
    [tenantId, resourceId, found.eventId, found.eventType, JSON.stringify(found.finding)],
  );
}

/** The latest findings that name the task in one of their periods. */
export async function findingsWithTask<D>(tx: PoolClient, tenantId: string, taskId: string): Promise<Array<ResourceFinding<D>>> {
  const res = await tx.query<{ event_id: string; event_type: string; finding: D }>(
    `SELECT event_id, event_type, finding FROM risk_resource_findings WHERE tenant_id = $1 AND finding -> 'periods' @> jsonb_build_array(jsonb_build_object('taskIds', jsonb_build_array($2::text)))`,
    [tenantId, taskId],
  );
  return res.rows.map((r) => ({ eventId: r.event_id, eventType: r.event_type, finding: r.finding }));
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
