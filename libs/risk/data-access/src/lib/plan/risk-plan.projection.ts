import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

const T = {
  opened: 'pm.planning.ScheduleOpened',
  start: 'pm.planning.ProjectStartRescheduled',
  calendar: 'pm.planning.WorkingCalendarDefined',
  holiday: 'pm.planning.HolidayDeclared',
  exception: 'pm.planning.CalendarExceptionRecorded',
  statusDate: 'pm.planning.ScheduleStatusDateSet',
  added: 'pm.planning.TaskAddedToWbs',
  removed: 'pm.planning.TaskRemovedFromWbs',
  duration: 'pm.planning.TaskDurationEstimated',
  threePoint: 'pm.planning.TaskThreePointEstimated',
  cost: 'pm.planning.TaskCostBudgeted',
  constrained: 'pm.planning.TaskConstrained',
  started: 'pm.planning.TaskStarted',
  progress: 'pm.planning.TaskProgressRecorded',
  finished: 'pm.planning.TaskFinished',
  linked: 'pm.planning.DependencyLinked',
  lag: 'pm.planning.DependencyLagAdjusted',
  unlinked: 'pm.planning.DependencyUnlinked',
} as const;
type PlanEventType = (typeof T)[keyof typeof T];

type Apply = (tx: PoolClient, tenant: string, data: never) => Promise<unknown>;

const task = (sql: string) => (tx: PoolClient, tenant: string, d: { projectId: string; taskId: string }, values: unknown[]) =>
  tx.query(`UPDATE risk_plan_tasks SET ${sql} WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3`, [tenant, d.projectId, d.taskId, ...values]);
const project = (sql: string) => (tx: PoolClient, tenant: string, d: { projectId: string }, values: unknown[]) =>
  tx.query(`UPDATE risk_plan_projects SET ${sql} WHERE tenant_id = $1 AND project_id = $2`, [tenant, d.projectId, ...values]);

/**
 * pm.planning.events into the risk service's plan copy. Every statement sets values (never adds to them), so a
 * redelivered or replayed event changes nothing; events of one schedule stream arrive in order (one partition).
 */
const APPLY: Record<PlanEventType, Apply> = {
  [T.opened]: (tx, tenant, d: { projectId: string; projectStart: string; calendar: unknown }) =>
    tx.query(
      `INSERT INTO risk_plan_projects (tenant_id, project_id, project_start, calendar) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, project_id) DO UPDATE SET project_start = EXCLUDED.project_start, calendar = EXCLUDED.calendar`,
      [tenant, d.projectId, d.projectStart, JSON.stringify(d.calendar)],
    ),
  [T.start]: (tx, tenant, d: { projectId: string; projectStart: string }) => project('project_start = $3')(tx, tenant, d, [d.projectStart]),
  [T.calendar]: (tx, tenant, d: { projectId: string; calendar: unknown }) => project('calendar = $3')(tx, tenant, d, [JSON.stringify(d.calendar)]),
  [T.holiday]: (tx, tenant, d: { projectId: string; date: string; name: string }) =>
    tx.query(
      `UPDATE risk_plan_projects SET calendar = jsonb_set(calendar, '{holidays}', (calendar -> 'holidays') || $3::jsonb)
       WHERE tenant_id = $1 AND project_id = $2 AND NOT (calendar -> 'holidays') @> $3::jsonb`,
      [tenant, d.projectId, JSON.stringify([{ date: d.date, name: d.name }])],
    ),
  [T.exception]: (tx, tenant, d: { projectId: string; date: string }) => {
    const { projectId: _p, ...exception } = d;
    return project(
      `calendar = jsonb_set(calendar, '{exceptions}', COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(calendar -> 'exceptions') e WHERE e ->> 'date' <> $4), '[]'::jsonb) || $3::jsonb)`,
    )(tx, tenant, d, [JSON.stringify([exception]), d.date]);
  },
  [T.statusDate]: (tx, tenant, d: { projectId: string; statusDate: string }) => project('status_date = $3')(tx, tenant, d, [d.statusDate]),
  [T.added]: (tx, tenant, d: { projectId: string; taskId: string; kind: string; durationDays: number; costBudget: number | null }) =>
    tx.query(
      `INSERT INTO risk_plan_tasks (tenant_id, project_id, task_id, kind, duration_days, cost_budget) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, project_id, task_id) DO UPDATE SET kind = EXCLUDED.kind, duration_days = EXCLUDED.duration_days, cost_budget = EXCLUDED.cost_budget`,
      [tenant, d.projectId, d.taskId, d.kind, d.durationDays, d.costBudget],
    ),
  [T.removed]: async (tx, tenant, d: { projectId: string; taskId: string }) => {
    await tx.query('DELETE FROM risk_plan_tasks WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3', [tenant, d.projectId, d.taskId]);
    await tx.query('DELETE FROM risk_plan_links WHERE tenant_id = $1 AND project_id = $2 AND (predecessor_id = $3 OR successor_id = $3)', [tenant, d.projectId, d.taskId]);
  },
  [T.duration]: (tx, tenant, d: { projectId: string; taskId: string; durationDays: number }) => task('duration_days = $4')(tx, tenant, d, [d.durationDays]),
  [T.threePoint]: (tx, tenant, d: { projectId: string; taskId: string; optimisticDays: number; mostLikelyDays: number; pessimisticDays: number }) =>
    task('optimistic = $4, most_likely = $5, pessimistic = $6')(tx, tenant, d, [d.optimisticDays, d.mostLikelyDays, d.pessimisticDays]),
  [T.cost]: (tx, tenant, d: { projectId: string; taskId: string; costBudget: number }) => task('cost_budget = $4')(tx, tenant, d, [d.costBudget]),
  [T.constrained]: (tx, tenant, d: { projectId: string; taskId: string; constraint: { type: string; date: string | null } }) =>
    task('task_constraint = $4')(tx, tenant, d, [d.constraint.date === null ? null : JSON.stringify(d.constraint)]),
  [T.started]: (tx, tenant, d: { projectId: string; taskId: string; actualStart: string }) => task('actual_start = $4')(tx, tenant, d, [d.actualStart]),
  [T.progress]: (tx, tenant, d: { projectId: string; taskId: string; remainingDurationDays: number }) => task('remaining_days = $4')(tx, tenant, d, [d.remainingDurationDays]),
  [T.finished]: (tx, tenant, d: { projectId: string; taskId: string; actualFinish: string }) => task('actual_finish = $4, remaining_days = 0')(tx, tenant, d, [d.actualFinish]),
  [T.linked]: (tx, tenant, d: { projectId: string; dependencyId: string; predecessorId: string; successorId: string; dependencyType: string; lagDays: number }) =>
    tx.query(
      `INSERT INTO risk_plan_links (tenant_id, project_id, dependency_id, predecessor_id, successor_id, link_type, lag_days) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, project_id, dependency_id) DO UPDATE SET predecessor_id = EXCLUDED.predecessor_id, successor_id = EXCLUDED.successor_id,
         link_type = EXCLUDED.link_type, lag_days = EXCLUDED.lag_days`,
      [tenant, d.projectId, d.dependencyId, d.predecessorId, d.successorId, d.dependencyType, d.lagDays],
    ),
  [T.lag]: (tx, tenant, d: { projectId: string; dependencyId: string; lagDays: number }) =>
    tx.query('UPDATE risk_plan_links SET lag_days = $4 WHERE tenant_id = $1 AND project_id = $2 AND dependency_id = $3', [tenant, d.projectId, d.dependencyId, d.lagDays]),
  [T.unlinked]: (tx, tenant, d: { projectId: string; dependencyId: string }) =>
    tx.query('DELETE FROM risk_plan_links WHERE tenant_id = $1 AND project_id = $2 AND dependency_id = $3', [tenant, d.projectId, d.dependencyId]),
};

export class RiskPlanProjection implements Projection {
  readonly name = 'risk-plan';
  readonly handles: readonly string[] = Object.values(T);

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE risk_plan_projects, risk_plan_tasks, risk_plan_links');
  }

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const type = event.type as PlanEventType;
    if (!Object.hasOwn(APPLY, type)) return;
    const { data } = parseEventData(type, event.schemaVersion, event.data);
    await APPLY[type](tx, event.tenantId, data as never);
  }
}
