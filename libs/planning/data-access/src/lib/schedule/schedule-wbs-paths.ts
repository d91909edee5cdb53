import type { PoolClient } from 'pg';
import { subtreeEnd } from './schedule-task-row';

/**
 * Set-based renumbering of WBS paths, each one statement over one range of the (tenant, project, wbs_path) index.
 * WBS codes follow from positions, so inserting, moving or removing a task renumbers its later siblings and their
 * subtrees: those rows really change, and only those are written.
 */
export class WbsPaths {
  constructor(
    private readonly tx: PoolClient,
    private readonly tenantId: string,
    private readonly projectId: string,
  ) {}

  async pathOf(taskId: string): Promise<number[] | null> {
    const res = await this.tx.query<{ wbs_path: number[] }>(
      'SELECT wbs_path FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3',
      [this.tenantId, this.projectId, taskId],
    );
    return res.rows[0]?.wbs_path ?? null;
  }

  /** The path under which a parent's children sit; null when the parent is not (or no longer) in the WBS. */
  async parentPath(parentId: string | null): Promise<number[] | null> {
    return parentId === null ? [] : this.pathOf(parentId);
  }

  async childCount(parentId: string | null, except: string | null = null): Promise<number> {
    const res = await this.tx.query<{ n: string }>(
      `SELECT count(*) AS n FROM planning_schedule_tasks
        WHERE tenant_id = $1 AND project_id = $2 AND parent_id IS NOT DISTINCT FROM $3 AND task_id IS DISTINCT FROM $4`,
      [this.tenantId, this.projectId, parentId, except],
    );
    return Number(res.rows[0].n);
  }

  /** Children of `parent` at 1-based index `from` or later (and their subtrees) move by `delta`. */
  async shift(parent: readonly number[], from: number, delta: number): Promise<void> {
    const depth = parent.length + 1;
    const end = subtreeEnd(parent);
    await this.tx.query(
      `UPDATE planning_schedule_tasks SET wbs_path[${depth}] = wbs_path[${depth}] + $5
        WHERE tenant_id = $1 AND project_id = $2 AND wbs_path >= $3::integer[] AND ($4::integer[] IS NULL OR wbs_path < $4::integer[])`,
      [this.tenantId, this.projectId, [...parent, from], end, delta],
    );
  }

  /** Deletes a task's subtree and closes the gap it leaves among its siblings. */
  async remove(path: readonly number[]): Promise<void> {
    await this.tx.query(
      `DELETE FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND wbs_path >= $3::integer[] AND wbs_path < $4::integer[]`,
      [this.tenantId, this.projectId, path, subtreeEnd(path)],
    );
    await this.shift(path.slice(0, -1), path[path.length - 1] + 1, -1);
  }

  /**
   * Moves a subtree: it is parked under the path {0} (real indexes start at 1), the old siblings close up, the new
   * ones open a gap, and the subtree is re-rooted there. Returns false when the task or its new parent is unknown.
   */
  async move(taskId: string, toParentId: string | null, position: number): Promise<boolean> {
    const path = await this.pathOf(taskId);
    if (!path) return false;
    const depth = path.length;
    await this.tx.query(
      `UPDATE planning_schedule_tasks SET wbs_path = ARRAY[0] || wbs_path[${depth + 1}:]
        WHERE tenant_id = $1 AND project_id = $2 AND wbs_path >= $3::integer[] AND wbs_path < $4::integer[]`,
      [this.tenantId, this.projectId, path, subtreeEnd(path)],
    );
    await this.shift(path.slice(0, -1), path[depth - 1] + 1, -1);
    const target = await this.parentPath(toParentId);
    const parked = `wbs_path >= '{0}'::integer[] AND wbs_path < '{1}'::integer[]`;
    if (!target) {
      // Under a parent that is not in the WBS the fold keeps the task out of every WBS walk: so do the rows.
      await this.tx.query(`DELETE FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND ${parked}`, [this.tenantId, this.projectId]);
      return false;
    }
    const index = Math.min(position, await this.childCount(toParentId, taskId)) + 1;
    await this.shift(target, index, 1);
    await this.tx.query(
      `UPDATE planning_schedule_tasks
          SET wbs_path = $3::integer[] || wbs_path[2:], parent_id = CASE WHEN task_id = $4 THEN $5 ELSE parent_id END
        WHERE tenant_id = $1 AND project_id = $2 AND ${parked}`,
      [this.tenantId, this.projectId, [...target, index], taskId, toParentId],
    );
    return true;
  }
}
