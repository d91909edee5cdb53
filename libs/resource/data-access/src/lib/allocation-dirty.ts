import type { Pool, PoolClient } from 'pg';

/** Marks resources for re-evaluation inside the caller's transaction, so the mark commits with the change. */
export async function markAllocationDirty(tx: PoolClient, tenantId: string, resourceIds: readonly string[]): Promise<void> {
  if (resourceIds.length === 0) return;
  await tx.query(
    `INSERT INTO allocation_dirty (tenant_id, resource_id, mark)
     SELECT $1, r, nextval('allocation_dirty_mark') FROM unnest($2::uuid[]) AS r
     ON CONFLICT (tenant_id, resource_id) DO UPDATE SET mark = EXCLUDED.mark`,
    [tenantId, [...new Set(resourceIds)]],
  );
}

/** Resources with active assignments on a task: its new dates move their demand. */
export async function markAssigneesOfTask(tx: PoolClient, tenantId: string, projectId: string, taskId: string): Promise<void> {
  const res = await tx.query<{ resource_id: string }>(
    'SELECT DISTINCT resource_id FROM resource_assignments WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3 AND active',
    [tenantId, projectId, taskId],
  );
  await markAllocationDirty(tx, tenantId, res.rows.map((r) => r.resource_id));
}

export interface DirtyResource {
  readonly tenantId: string;
  readonly resourceId: string;
  readonly mark: string;
}

export async function takeDirty(pool: Pool, limit = 100): Promise<DirtyResource[]> {
  const res = await pool.query<{ tenant_id: string; resource_id: string; mark: string }>(
    'SELECT tenant_id, resource_id, mark::text AS mark FROM allocation_dirty ORDER BY mark LIMIT $1',
    [limit],
  );
  return res.rows.map((r) => ({ tenantId: r.tenant_id, resourceId: r.resource_id, mark: r.mark }));
}

/** Clears the mark only if nothing re-marked the resource while it was being evaluated. */
export async function clearDirty(pool: Pool, dirty: DirtyResource): Promise<void> {
  await pool.query('DELETE FROM allocation_dirty WHERE tenant_id = $1 AND resource_id = $2 AND mark = $3', [dirty.tenantId, dirty.resourceId, dirty.mark]);
}
