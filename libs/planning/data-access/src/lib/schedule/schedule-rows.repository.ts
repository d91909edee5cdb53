import type { Pool } from 'pg';
import { childrenKey, openedSchedule, publishedEntry } from '@pm/planning/domain';
import type { BaselineTask, Dependency, OpenedSchedule, ProjectCalculation, ProjectCalendar, WbsTask } from '@pm/planning/domain';
import { TASK_COLUMNS, toTaskRow, toWbsTask } from './schedule-task-row';
import type { TaskRecord, TaskRow } from './schedule-task-row';

export interface ScheduleHeader {
  readonly projectId: string;
  readonly version: number;
  readonly projectStart: string;
  readonly calendar: ProjectCalendar;
  readonly statusDate: string | null;
  readonly progressDate: string | null;
  readonly lastCalculation: ProjectCalculation | null;
}

/** What a summary rolls up from the work packages under it (see buildScheduleView). */
export interface SummaryRollup {
  readonly start: string | null;
  readonly finish: string | null;
  readonly earlyStart: string | null;
  readonly earlyFinish: string | null;
  readonly lateStart: string | null;
  readonly lateFinish: string | null;
  readonly totalFloat: number | null;
  readonly freeFloat: number | null;
  readonly critical: boolean | null;
  readonly dated: number;
  readonly days: number;
  readonly weightedPercent: number;
  readonly workHours: number | null;
  readonly costBudget: number | null;
  readonly actualCost: number;
}

const SCOPE = 'tenant_id = $1 AND project_id = $2';

/** Reads of the schedule rows; always within one tenant, so another tenant's project is simply absent. */
export class ScheduleRowsRepository {
  constructor(private readonly pool: Pool) {}

  async header(tenantId: string, projectId: string): Promise<ScheduleHeader | null> {
    const res = await this.pool.query<{ stream_version: number; project_start: string; calendar: ProjectCalendar; status_date: string | null; progress_date: string | null; last_calculation: ProjectCalculation | null }>(
      `SELECT stream_version, project_start, calendar, status_date, progress_date, last_calculation FROM planning_schedule_projects WHERE ${SCOPE}`,
      [tenantId, projectId],
    );
    const r = res.rows[0];
    if (!r) return null;
    return { projectId, version: r.stream_version, projectStart: r.project_start, calendar: r.calendar, statusDate: r.status_date, progressDate: r.progress_date, lastCalculation: r.last_calculation };
  }

  /** Tasks in WBS order after the path `after` (from the start without one), at most `limit` of them. */
  async tasks(tenantId: string, projectId: string, page: { after?: readonly number[]; limit?: number } = {}): Promise<TaskRow[]> {
    const res = await this.pool.query<TaskRecord>(
      `SELECT ${TASK_COLUMNS} FROM planning_schedule_tasks
        WHERE ${SCOPE} AND ($3::integer[] IS NULL OR wbs_path > $3::integer[])
        ORDER BY wbs_path LIMIT $4`,
      [tenantId, projectId, page.after ?? null, page.limit ?? null],
    );
    return res.rows.map(toTaskRow);
  }

  /** Roll-ups of the given summaries over the work packages of their subtrees, as the projection keeps them on their rows. */
  async rollups(tenantId: string, projectId: string, summaryIds: readonly string[]): Promise<Map<string, SummaryRollup>> {
    if (summaryIds.length === 0) return new Map();
    const res = await this.pool.query<{ task_id: string; rollup: SummaryRollup }>(
      `SELECT task_id, rollup FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND task_id = ANY($3::text[]) AND rollup IS NOT NULL`,
      [tenantId, projectId, [...summaryIds]],
    );
    return new Map(res.rows.map(({ task_id, rollup }) => [task_id, rollup]));
  }

  /** Every link of the project, or those touching the given tasks (one index lookup from each end). */
  async links(tenantId: string, projectId: string, touching?: readonly string[]): Promise<Dependency[]> {
    const columns = `dependency_id AS "dependencyId", predecessor_id AS "predecessorId", successor_id AS "successorId",
              dependency_type AS "dependencyType", lag_days AS "lagDays" FROM planning_schedule_links WHERE ${SCOPE}`;
    const res = touching
      ? await this.pool.query<Dependency>(
          `SELECT ${columns} AND predecessor_id = ANY($3::text[]) UNION SELECT ${columns} AND successor_id = ANY($3::text[]) ORDER BY "dependencyId"`,
          [tenantId, projectId, [...touching]],
        )
      : await this.pool.query<Dependency>(`SELECT ${columns} ORDER BY dependency_id`, [tenantId, projectId]);
    return res.rows;
  }

  /**
   * The whole schedule as the fold's state, for the reports that need all of it (variance, earned value, the
   * MSPDI export). Retired ids and levelling decisions are the write side's business and are left empty.
   */
  async state(tenantId: string, projectId: string): Promise<{ version: number; state: OpenedSchedule } | null> {
    const header = await this.header(tenantId, projectId);
    if (!header) return null;
    const state = openedSchedule(projectId, header.projectStart, header.calendar);
    state.statusDate = header.statusDate;
    state.progressDate = header.progressDate;
    state.lastCalculation = header.lastCalculation;
    for (const row of await this.tasks(tenantId, projectId)) {
      const task: WbsTask = toWbsTask(row);
      state.tasks.set(task.taskId, task);
      if (row.published) state.published.set(task.taskId, publishedEntry(row.published));
      const key = childrenKey(task.parentId);
      const siblings = state.children.get(key);
      if (siblings) siblings.push(task.taskId);
      else state.children.set(key, [task.taskId]);
    }
    for (const link of await this.links(tenantId, projectId)) state.dependencies.set(link.dependencyId, link);
    const baselines = await this.pool.query<{ baseline_number: number; saved_at: string; entries: BaselineTask[] | null }>(
      `SELECT b.baseline_number, b.saved_at, (SELECT jsonb_agg(t.entry ORDER BY t.task_id) FROM planning_schedule_baseline_tasks t
          WHERE t.tenant_id = b.tenant_id AND t.project_id = b.project_id AND t.baseline_number = b.baseline_number) AS entries
         FROM planning_schedule_baselines b WHERE b.tenant_id = $1 AND b.project_id = $2 ORDER BY b.baseline_number`,
      [tenantId, projectId],
    );
    for (const b of baselines.rows) {
      state.baselines.set(b.baseline_number, { baselineNumber: b.baseline_number, savedAt: b.saved_at, tasks: new Map((b.entries ?? []).map((t) => [t.taskId, t])) });
    }
    return { version: header.version, state };
  }

  /** Projects of the tenant whose schedule runs on the tenant's default calendar (none of its own). */
  async projectsFollowingTenantCalendar(tenantId: string, calendarId: string): Promise<string[]> {
    const res = await this.pool.query<{ project_id: string }>(
      `SELECT project_id FROM planning_schedule_projects WHERE tenant_id = $1 AND calendar->>'calendarId' = $2 AND project_id NOT LIKE 'import:%' ORDER BY project_id`,
      [tenantId, calendarId],
    );
    return res.rows.map((r) => r.project_id);
  }
}

/** A whole schedule rebuilt from its rows, and the stream version it reflects. */
export type StoredScheduleView = NonNullable<Awaited<ReturnType<ScheduleRowsRepository['state']>>>;
