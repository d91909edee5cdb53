import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';

/**
 * Summary roll-ups kept on the summary rows (`rollup`), so a read of a page costs the page whatever the plan's size
 * (ADR 0010). Each figure is decomposable, so a summary's roll-up is the aggregate of its direct children: a child
 * summary brings its own roll-up, a work package its own figures. A change recomputes only the summaries above the
 * rows it touched, deepest first; an edit of one leaf under three summaries recomputes three rows.
 */
const contribution = (field: string, leaf: string, cast = ''): string => `(CASE WHEN c.kind = 'summary' THEN (c.rollup->>'${field}')${cast} ELSE ${leaf} END)`;

const ROLLUP = `jsonb_build_object(
    'start', min(${contribution('start', "c.published->>'start'")}),
    'finish', max(${contribution('finish', "c.published->>'finish'")}),
    'earlyStart', min(${contribution('earlyStart', "c.published->>'earlyStart'")}),
    'earlyFinish', max(${contribution('earlyFinish', "c.published->>'earlyFinish'")}),
    'lateStart', min(${contribution('lateStart', "c.published->>'lateStart'")}),
    'lateFinish', max(${contribution('lateFinish', "c.published->>'lateFinish'")}),
    'totalFloat', min(${contribution('totalFloat', "(c.published->>'totalFloat')::float8", '::float8')}),
    'freeFloat', min(${contribution('freeFloat', "(c.published->>'freeFloat')::float8", '::float8')}),
    'critical', bool_or(${contribution('critical', "(c.published->>'critical')::boolean", '::boolean')}),
    'dated', coalesce(sum(${contribution('dated', '(c.published IS NOT NULL)::int', '::int')}), 0),
    'days', coalesce(sum(${contribution('days', 'c.duration_days', '::float8')}), 0),
    'weightedPercent', coalesce(sum(${contribution('weightedPercent', 'c.duration_days * c.percent_complete', '::float8')}), 0),
    'workHours', sum(${contribution('workHours', 'c.work_hours', '::float8')}),
    'costBudget', sum(${contribution('costBudget', 'c.cost_budget', '::float8')}),
    'actualCost', coalesce(sum(${contribution('actualCost', 'c.actual_cost', '::float8')}), 0))`;

/** A summary with no children: nothing dated, nothing summed. */
const EMPTY_ROLLUP = `'{"start":null,"finish":null,"earlyStart":null,"earlyFinish":null,"lateStart":null,"lateFinish":null,"totalFloat":null,"freeFloat":null,"critical":null,"dated":0,"days":0,"weightedPercent":0,"workHours":null,"costBudget":null,"actualCost":0}'::jsonb`;

/**
 * One level of summaries rolled up in two set-based statements (one grouped pass over their children, whatever the
 * planner's statistics say about a project whose rows were just bulk-written): summaries without children first.
 */
async function rollUpLevel(tx: Queryable, tenantId: string, projectId: string, ids: readonly string[]): Promise<void> {
  await tx.query(
    `UPDATE planning_schedule_tasks s SET rollup = ${EMPTY_ROLLUP} WHERE s.tenant_id = $1 AND s.project_id = $2 AND s.task_id = ANY($3::text[])`,
    [tenantId, projectId, ids],
  );
  await tx.query(
    `UPDATE planning_schedule_tasks s SET rollup = agg.rollup
       FROM (SELECT c.parent_id, ${ROLLUP} AS rollup FROM planning_schedule_tasks c
              WHERE c.tenant_id = $1 AND c.project_id = $2 AND c.parent_id = ANY($3::text[]) GROUP BY c.parent_id) agg
      WHERE s.tenant_id = $1 AND s.project_id = $2 AND s.task_id = agg.parent_id`,
    [tenantId, projectId, ids],
  );
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** The summaries at or above the given tasks, by depth, deepest first. */
const SUMMARIES_ABOVE = `WITH RECURSIVE up (task_id, parent_id) AS (
    SELECT task_id, parent_id FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND task_id = ANY($3::text[])
    UNION
    SELECT t.task_id, t.parent_id FROM planning_schedule_tasks t JOIN up ON t.task_id = up.parent_id WHERE t.tenant_id = $1 AND t.project_id = $2
  )
  SELECT array_length(t.wbs_path, 1) AS depth, array_agg(t.task_id) AS ids
    FROM planning_schedule_tasks t JOIN up USING (task_id)
   WHERE t.tenant_id = $1 AND t.project_id = $2 AND t.kind = 'summary'
   GROUP BY 1 ORDER BY 1 DESC`;

/** Recomputes the roll-ups of every summary at or above the given tasks (ids of rows written, moved from or removed from). */
export async function recomputeRollupsAbove(tx: PoolClient, tenantId: string, projectId: string, taskIds: Iterable<string>): Promise<void> {
  const ids = [...taskIds];
  if (ids.length === 0) return;
  const levels = await tx.query<{ depth: number; ids: string[] }>(SUMMARIES_ABOVE, [tenantId, projectId, ids]);
  for (const level of levels.rows) await rollUpLevel(tx, tenantId, projectId, level.ids);
}

/** The summaries of one project, by depth, deepest first. */
const SUMMARIES_OF_PROJECT = `SELECT array_length(wbs_path, 1) AS depth, array_agg(task_id) AS ids FROM planning_schedule_tasks
   WHERE tenant_id = $1 AND project_id = $2 AND kind = 'summary' GROUP BY 1 ORDER BY 1 DESC`;

/**
 * Every summary of one project rolled up, deepest level first: after a bulk load (an import's rows), where rolling
 * up after each batch would redo the upper levels every time. The caller ANALYZEs the table first, so the planner
 * knows how many rows the project has (with statistics from before the load it scans the project per summary).
 */
export async function recomputeProjectRollups(tx: Queryable & { query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }> }, tenantId: string, projectId: string): Promise<void> {
  const levels = await tx.query<{ ids: string[] }>(SUMMARIES_OF_PROJECT, [tenantId, projectId]);
  for (const level of levels.rows) await rollUpLevel(tx, tenantId, projectId, level.ids);
}

/** Every summary of every project (the migration that adds the column). */
export async function recomputeAllRollups(q: QueryRunner): Promise<void> {
  await q.query('ANALYZE planning_schedule_tasks');
  const projects = (await q.query(`SELECT DISTINCT tenant_id, project_id FROM planning_schedule_tasks WHERE kind = 'summary'`)) as Array<{ tenant_id: string; project_id: string }>;
  const runner = { query: async <R>(text: string, values?: unknown[]) => ({ rows: (await q.query(text, values)) as R[] }) };
  for (const p of projects) await recomputeProjectRollups(runner, p.tenant_id, p.project_id);
}
