import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection } from '@pm/platform/projections';
import { causeOf, markAssigneesOfTask } from './allocation-dirty';
import type { TracedProjectionEvent } from './allocation-dirty';

const T = {
  projectCreated: 'pm.planning.ProjectCreated',
  added: 'pm.planning.TaskAddedToWbs',
  renamed: 'pm.planning.TaskRenamed',
  scheduled: 'pm.planning.TaskScheduleChanged',
  unscheduled: 'pm.planning.TaskUnscheduled',
  removed: 'pm.planning.TaskRemovedFromWbs',
  linked: 'pm.planning.DependencyLinked',
  lag: 'pm.planning.DependencyLagAdjusted',
  unlinked: 'pm.planning.DependencyUnlinked',
} as const;

const UPSERT_TASK = `
  INSERT INTO planning_tasks AS t (tenant_id, project_id, task_id, name, start_date, finish_date, duration_days, total_float, critical, removed, stream_version)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (tenant_id, project_id, task_id) DO UPDATE SET
    name = COALESCE(EXCLUDED.name, t.name), start_date = EXCLUDED.start_date, finish_date = EXCLUDED.finish_date,
    duration_days = EXCLUDED.duration_days, total_float = EXCLUDED.total_float, critical = EXCLUDED.critical,
    removed = EXCLUDED.removed, stream_version = EXCLUDED.stream_version
  WHERE t.stream_version <= EXCLUDED.stream_version`;

/**
 * The resource service's own copy of what it needs from the plan: which tasks exist, their dates and floats,
 * and the links between them (for levelling). Guarded by planning's schedule stream version, so replayed older
 * events change nothing. The guard lets an event of the row's own version through: the events of a committed
 * import all carry its commit's version (ADR 0009) and are applied in order, and a redelivery is skipped by the
 * consumer's inbox before it gets here. A change of a task's dates marks its assignees for re-evaluation.
 */
export class PlanningTasksProjection implements Projection {
  readonly name = 'planning-tasks';
  readonly handles: readonly string[] = Object.values(T);

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE planning_tasks, planning_links, planning_projects');
  }

  /** Given the CloudEvent's trace context, the re-evaluations a date change causes continue its trace. */
  async apply(event: TracedProjectionEvent, tx: PoolClient): Promise<void> {
    const { tenantId: tenant, streamVersion: v } = event;
    switch (event.type) {
      case T.projectCreated: {
        const d = parseEventData(T.projectCreated, event.schemaVersion, event.data).data;
        await tx.query('INSERT INTO planning_projects (tenant_id, project_id, name, priority) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [tenant, d.projectId, d.name, d.priority]);
        return;
      }
      case T.added: {
        const d = parseEventData(T.added, event.schemaVersion, event.data).data;
        if (d.kind === 'summary') return;
        await tx.query(
          `INSERT INTO planning_tasks (tenant_id, project_id, task_id, name, stream_version) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (tenant_id, project_id, task_id) DO UPDATE SET removed = false, name = EXCLUDED.name, stream_version = EXCLUDED.stream_version
           WHERE planning_tasks.stream_version <= EXCLUDED.stream_version`,
          [tenant, d.projectId, d.taskId, d.name, v],
        );
        return;
      }
      case T.renamed: {
        const d = parseEventData(T.renamed, event.schemaVersion, event.data).data;
        await tx.query('UPDATE planning_tasks SET name = $4, stream_version = $5 WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3 AND stream_version <= $5', [tenant, d.projectId, d.taskId, d.name, v]);
        return;
      }
      case T.scheduled: {
        const d = parseEventData(T.scheduled, event.schemaVersion, event.data).data;
        const res = await tx.query(UPSERT_TASK, [tenant, d.projectId, d.taskId, d.name, d.start, d.finish, d.durationDays, d.totalFloat, d.critical, false, v]);
        if (res.rowCount) await markAssigneesOfTask(tx, tenant, d.projectId, d.taskId, causeOf(event));
        return;
      }
      case T.unscheduled:
      case T.removed: {
        const d = parseEventData(event.type, event.schemaVersion, event.data).data as { projectId: string; taskId: string };
        const removed = event.type === T.removed;
        const res = await tx.query(
          `UPDATE planning_tasks SET start_date = NULL, finish_date = NULL, removed = $4 OR removed, stream_version = $5
           WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3 AND stream_version <= $5`,
          [tenant, d.projectId, d.taskId, removed, v],
        );
        if (res.rowCount) await markAssigneesOfTask(tx, tenant, d.projectId, d.taskId, causeOf(event));
        return;
      }
      case T.linked: {
        const d = parseEventData(T.linked, event.schemaVersion, event.data).data;
        await tx.query(
          `INSERT INTO planning_links (tenant_id, project_id, dependency_id, predecessor_id, successor_id, link_type, lag_days, stream_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [tenant, d.projectId, d.dependencyId, d.predecessorId, d.successorId, d.dependencyType, d.lagDays, v],
        );
        return;
      }
      case T.lag: {
        const d = parseEventData(T.lag, event.schemaVersion, event.data).data;
        await tx.query('UPDATE planning_links SET lag_days = $4, stream_version = $5 WHERE tenant_id = $1 AND project_id = $2 AND dependency_id = $3 AND stream_version <= $5', [tenant, d.projectId, d.dependencyId, d.lagDays, v]);
        return;
      }
      case T.unlinked: {
        const d = parseEventData(T.unlinked, event.schemaVersion, event.data).data;
        await tx.query('UPDATE planning_links SET removed = true, stream_version = $4 WHERE tenant_id = $1 AND project_id = $2 AND dependency_id = $3 AND stream_version <= $4', [tenant, d.projectId, d.dependencyId, v]);
        return;
      }
      default:
        return;
    }
  }
}
