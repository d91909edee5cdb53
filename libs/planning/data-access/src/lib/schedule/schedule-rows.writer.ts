import type { PoolClient } from 'pg';
import { childrenKey, evolveSchedule, initialScheduleState, openedSchedule, publishedEntry, publishedOf } from '@pm/planning/domain';
import type { Dependency, ProjectCalculation, ProjectCalendar, ScheduleState, ScheduleStreamEvent, WritableSchedule } from '@pm/planning/domain';
import { TASK_COLUMNS, TASK_RECORDSET, toTaskRecord, toTaskRow } from './schedule-task-row';
import type { TaskRecord } from './schedule-task-row';
import { WbsPaths } from './schedule-wbs-paths';
import { applyBaselineEvent, isBaselineEvent } from './schedule-baseline-rows';
import { recomputeRollupsAbove } from './schedule-rollups';

const ROWS_PER_STATEMENT = 1000;
/** Past this many cached tasks a long import writes what it has and starts a fresh cache (bounded memory). */
const CACHE_LIMIT = 20_000;

interface ProjectRecord {
  project_start: string;
  calendar: ProjectCalendar;
  status_date: string | null;
  progress_date: string | null;
  last_calculation: ProjectCalculation | null;
}

/**
 * Applies one project's events to its rows. The state it folds is sparse: the project row plus only the tasks and
 * links the events name, loaded in one query per batch, folded by the write side's own `evolveSchedule` (so the rows
 * mean what the aggregate means) and written back in multi-row statements. WBS positions (insert, move, remove) are
 * set-based updates of paths (WbsPaths). A change that moves 3 tasks writes those 3 task rows, the summaries above
 * them (their roll-ups, schedule-rollups.ts) and the project row.
 */
export class ScheduleRowWriter {
  private state: ScheduleState;
  private readonly loaded = new Set<string>();
  private readonly loadedLinks = new Set<string>();
  private readonly paths = new Map<string, number[]>();
  private readonly childCounts = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private readonly dirtyLinks = new Set<string>();
  /** Rows written, moved or removed under: the summaries above them roll up again at the next flush. */
  private readonly rollupsDue = new Set<string>();
  private projectDirty = false;
  private readonly wbs: WbsPaths;
  /** Task rows written so far (inserted or updated), for metrics and specs. */
  tasksWritten = 0;

  private constructor(
    private readonly tx: PoolClient,
    private readonly tenantId: string,
    private readonly projectId: string,
    project: ProjectRecord | undefined,
    private readonly deferRollups: boolean,
  ) {
    this.wbs = new WbsPaths(tx, tenantId, projectId);
    if (!project) {
      this.state = initialScheduleState();
      return;
    }
    const opened = openedSchedule(projectId, project.project_start, project.calendar);
    opened.statusDate = project.status_date;
    opened.progressDate = project.progress_date;
    opened.lastCalculation = project.last_calculation;
    this.state = opened;
  }

  /** `deferRollups`: a bulk load (an import's rows) rolls its summaries up once at the end (recomputeProjectRollups). */
  static async open(tx: PoolClient, tenantId: string, projectId: string, options: { deferRollups?: boolean } = {}): Promise<ScheduleRowWriter> {
    const res = await tx.query<ProjectRecord>(
      `SELECT project_start, calendar, status_date, progress_date, last_calculation FROM planning_schedule_projects
        WHERE tenant_id = $1 AND project_id = $2`,
      [tenantId, projectId],
    );
    return new ScheduleRowWriter(tx, tenantId, projectId, res.rows[0], options.deferRollups ?? false);
  }

  private get sparse(): WritableSchedule | null {
    return this.state.status === 'open' ? (this.state as WritableSchedule) : null;
  }

  /**
   * Loads the tasks and links a run of events names that are not cached yet: one query each. A task or link the run
   * itself adds (TaskAddedToWbs, DependencyLinked) is not looked for: its fold needs no earlier row (ids are never
   * reused, the deciders refuse that) and its row is written whole. An import names 100,000 new tasks: looking
   * them up cost about 4 s of its 15 s of row building.
   */
  private async prefetch(events: readonly ScheduleStreamEvent[]): Promise<void> {
    const state = this.sparse;
    if (!state) return;
    const taskIds = new Set<string>();
    const linkIds = new Set<string>();
    const addedTasks = new Set<string>();
    const addedLinks = new Set<string>();
    for (const event of events) {
      if (event.type === 'TaskAddedToWbs' && !this.loaded.has(event.data.taskId)) addedTasks.add(event.data.taskId);
      if (event.type === 'DependencyLinked' && !this.loadedLinks.has(event.data.dependencyId)) addedLinks.add(event.data.dependencyId);
      const d = event.data as { taskId?: string; parentId?: string | null; toParentId?: string | null; dependencyId?: string };
      for (const id of [d.taskId, d.parentId, d.toParentId]) if (typeof id === 'string' && !this.loaded.has(id) && !addedTasks.has(id)) taskIds.add(id);
      if (typeof d.dependencyId === 'string' && !this.loadedLinks.has(d.dependencyId) && !addedLinks.has(d.dependencyId)) linkIds.add(d.dependencyId);
    }
    for (const id of addedTasks) this.loaded.add(id);
    for (const id of addedLinks) this.loadedLinks.add(id);
    if (taskIds.size > 0) {
      const res = await this.tx.query<TaskRecord>(
        `SELECT ${TASK_COLUMNS} FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND task_id = ANY($3::text[])`,
        [this.tenantId, this.projectId, [...taskIds]],
      );
      for (const record of res.rows) {
        const { wbsPath, published, ...task } = toTaskRow(record);
        state.tasks.set(task.taskId, task);
        if (published) state.published.set(task.taskId, publishedEntry(published));
        this.paths.set(task.taskId, [...wbsPath]);
      }
      for (const id of taskIds) this.loaded.add(id);
    }
    if (linkIds.size > 0) {
      const res = await this.tx.query<Dependency>(
        `SELECT dependency_id AS "dependencyId", predecessor_id AS "predecessorId", successor_id AS "successorId",
                dependency_type AS "dependencyType", lag_days AS "lagDays"
           FROM planning_schedule_links WHERE tenant_id = $1 AND project_id = $2 AND dependency_id = ANY($3::text[])`,
        [this.tenantId, this.projectId, [...linkIds]],
      );
      for (const link of res.rows) state.dependencies.set(link.dependencyId, link);
      for (const id of linkIds) this.loadedLinks.add(id);
    }
  }

  /**
   * Folds a run of events, loading what the rest of the run names in one query whenever the schedule is open: at the
   * start, and again right after an event of the run opens it. (An import's first chunk opens the schedule and then
   * adds every task: prefetched only at the start, each of its events asked for its own rows, one query per task.)
   */
  async applyRun(events: readonly ScheduleStreamEvent[]): Promise<void> {
    let i = 0;
    while (i < events.length) {
      const open = this.sparse !== null;
      if (open) await this.prefetch(events.slice(i));
      for (; i < events.length; i++) {
        await this.apply(events[i]);
        if (!open && this.sparse !== null) {
          i++;
          break;
        }
      }
    }
  }

  /** Folds one event (its tasks prefetched) into the sparse state and notes which rows it changed. */
  async apply(event: ScheduleStreamEvent): Promise<void> {
    const wasOpen = this.state.status === 'open';
    if (isBaselineEvent(event)) {
      if (wasOpen) await applyBaselineEvent(this.tx, this.tenantId, this.projectId, event);
      return;
    }
    // What a renumbering made the cache forget is loaded again (a no-op when the run's prefetch still holds it).
    if (wasOpen) await this.prefetch([event]);
    if (event.type === 'TaskAddedToWbs' && wasOpen) await this.placeNewTask(event.data.taskId, event.data.parentId, event.data.position);
    if (event.type === 'TaskMovedInWbs' || event.type === 'TaskRemovedFromWbs') {
      if (wasOpen) await this.restructure(event);
      return;
    }
    this.state = evolveSchedule(this.state, event);
    if (this.state.status !== 'open') return;
    // Child order lives in the paths; the fold's own list would only grow.
    if (event.type === 'TaskAddedToWbs') this.sparse?.children.clear();
    if (!wasOpen || !('taskId' in event.data) || event.type === 'TaskStarted' || event.type === 'TaskProgressRecorded' || event.type === 'TaskFinished' || event.type === 'TaskActualCostRecorded') {
      this.projectDirty = true;
    }
    if ('dependencyId' in event.data) this.dirtyLinks.add(event.data.dependencyId);
    else if ('taskId' in event.data) this.dirty.add(event.data.taskId);
  }

  /** The index a new task takes among its siblings; a task inserted before others renumbers them first. */
  private async placeNewTask(taskId: string, parentId: string | null, position: number): Promise<void> {
    const parentPath = parentId === null ? [] : this.paths.get(parentId);
    if (!parentPath) return;
    const key = childrenKey(parentId);
    const count = this.childCounts.get(key) ?? (await this.wbs.childCount(parentId));
    const index = Math.min(position, count) + 1;
    if (index <= count) {
      await this.flush();
      await this.wbs.shift(parentPath, index, 1);
      this.forgetPaths();
    }
    this.paths.set(taskId, [...parentPath, index]);
    this.childCounts.set(key, count + 1);
    this.childCounts.set(childrenKey(taskId), 0);
    this.loaded.add(taskId);
  }

  private async restructure(event: Extract<ScheduleStreamEvent, { type: 'TaskMovedInWbs' | 'TaskRemovedFromWbs' }>): Promise<void> {
    // The parent it leaves and the one it joins roll up again at the next flush (the task itself may be gone).
    const parentId = this.sparse?.tasks.get(event.data.taskId)?.parentId ?? null;
    const due = [parentId, ...(event.type === 'TaskMovedInWbs' ? [event.data.taskId, event.data.toParentId] : [])];
    await this.flush();
    if (event.type === 'TaskMovedInWbs') {
      await this.wbs.move(event.data.taskId, event.data.toParentId, event.data.position);
    } else {
      const path = await this.wbs.pathOf(event.data.taskId);
      if (path) await this.wbs.remove(path);
    }
    this.forgetPaths();
    for (const id of due) if (id !== null) this.rollupsDue.add(id);
  }

  /** After a set-based renumbering the cached tasks and paths are stale: they are reloaded when next named. */
  private forgetPaths(): void {
    const state = this.sparse;
    state?.tasks.clear();
    state?.published.clear();
    this.paths.clear();
    this.childCounts.clear();
    this.loaded.clear();
  }

  /** Writes what a long run has changed and drops the cache once it grows past its limit. */
  async checkpoint(): Promise<void> {
    if (this.loaded.size < CACHE_LIMIT) return;
    await this.flush();
    const counts = new Map(this.childCounts);
    this.forgetPaths();
    // Child counts stay valid (nothing was renumbered) and spare an import a count per parent.
    for (const [key, n] of counts) this.childCounts.set(key, n);
  }

  async flush(version?: number): Promise<void> {
    const state = this.sparse;
    if (!state) return;
    const records: TaskRecord[] = [];
    for (const id of this.dirty) {
      const task = state.tasks.get(id);
      const path = this.paths.get(id);
      if (task && path) records.push(toTaskRecord({ ...task, wbsPath: path, published: publishedOf(state, id) ?? null }));
    }
    this.dirty.clear();
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      await this.tx.query(
        `INSERT INTO planning_schedule_tasks (tenant_id, project_id, ${TASK_COLUMNS})
         SELECT $1, $2, ${TASK_COLUMNS} FROM jsonb_to_recordset($3::jsonb) AS r(${TASK_RECORDSET})
         ON CONFLICT (tenant_id, project_id, task_id) DO UPDATE SET ${TASK_COLUMNS.split(', ').slice(1).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
        [this.tenantId, this.projectId, JSON.stringify(records.slice(i, i + ROWS_PER_STATEMENT))],
      );
    }
    this.tasksWritten += records.length;
    if (!this.deferRollups) {
      for (const record of records) this.rollupsDue.add(record.task_id);
      await recomputeRollupsAbove(this.tx, this.tenantId, this.projectId, this.rollupsDue);
    }
    this.rollupsDue.clear();
    await this.flushLinks(state);
    if (this.projectDirty || version !== undefined) await this.flushProject(state, version);
  }

  private async flushLinks(state: WritableSchedule): Promise<void> {
    const links = [...this.dirtyLinks].flatMap((id) => state.dependencies.get(id) ?? []);
    const gone = [...this.dirtyLinks].filter((id) => !state.dependencies.has(id));
    this.dirtyLinks.clear();
    if (gone.length > 0) {
      await this.tx.query('DELETE FROM planning_schedule_links WHERE tenant_id = $1 AND project_id = $2 AND dependency_id = ANY($3::text[])', [this.tenantId, this.projectId, gone]);
    }
    for (let i = 0; i < links.length; i += ROWS_PER_STATEMENT) {
      await this.tx.query(
        `INSERT INTO planning_schedule_links (tenant_id, project_id, dependency_id, predecessor_id, successor_id, dependency_type, lag_days)
         SELECT $1, $2, r."dependencyId", r."predecessorId", r."successorId", r."dependencyType", r."lagDays"
           FROM jsonb_to_recordset($3::jsonb) AS r("dependencyId" text, "predecessorId" text, "successorId" text, "dependencyType" text, "lagDays" double precision)
         ON CONFLICT (tenant_id, project_id, dependency_id) DO UPDATE SET predecessor_id = EXCLUDED.predecessor_id,
           successor_id = EXCLUDED.successor_id, dependency_type = EXCLUDED.dependency_type, lag_days = EXCLUDED.lag_days`,
        [this.tenantId, this.projectId, JSON.stringify(links.slice(i, i + ROWS_PER_STATEMENT))],
      );
    }
  }

  private async flushProject(state: WritableSchedule, version: number | undefined): Promise<void> {
    await this.tx.query(
      `INSERT INTO planning_schedule_projects (tenant_id, project_id, stream_version, project_start, calendar, status_date, progress_date, last_calculation)
       VALUES ($1, $2, COALESCE($3, 0), $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, project_id) DO UPDATE SET stream_version = COALESCE($3, planning_schedule_projects.stream_version),
         project_start = EXCLUDED.project_start, calendar = EXCLUDED.calendar, status_date = EXCLUDED.status_date,
         progress_date = EXCLUDED.progress_date, last_calculation = EXCLUDED.last_calculation, updated_at = now()`,
      [this.tenantId, this.projectId, version ?? null, state.projectStart, JSON.stringify(state.calendar), state.statusDate, state.progressDate, state.lastCalculation && JSON.stringify(state.lastCalculation)],
    );
    this.projectDirty = false;
  }
}
