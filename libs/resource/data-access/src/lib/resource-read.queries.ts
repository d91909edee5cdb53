import type { Pool } from 'pg';
import type { CalendarSpec } from '@pm/shared/scheduling';
import type { AssignmentLoad, ProficiencyLevel, ResourceKind } from '@pm/resource/domain';

export interface PoolEntry {
  readonly resourceId: string;
  readonly kind: ResourceKind;
  readonly name: string;
  readonly role: string | null;
  readonly department: string | null;
  readonly userId: string | null;
  readonly calendar: CalendarSpec | null;
  readonly availabilityPercent: number;
  readonly skills: Readonly<Record<string, ProficiencyLevel>>;
  readonly leave: ReadonlyArray<{ from: string; to: string }>;
}

export interface ScheduledAssignment {
  readonly assignmentId: string;
  readonly resourceId: string;
  readonly projectId: string;
  readonly taskId: string;
  readonly load: AssignmentLoad;
  readonly start: string;
  readonly finish: string;
}

export interface PlannedTask {
  readonly projectId: string;
  readonly taskId: string;
  readonly name: string | null;
  readonly start: string | null;
  readonly finish: string | null;
  readonly durationDays: number | null;
  readonly totalFloat: number | null;
  readonly critical: boolean | null;
}

export interface PoolFilter {
  readonly resourceIds?: readonly string[];
  readonly department?: string;
  readonly role?: string;
  readonly skill?: string;
  readonly minLevel?: number;
}

const POOL_COLUMNS = `resource_id, kind, name, role, department, user_id, calendar, availability_percent, skills, leave`;

interface PoolRow {
  resource_id: string;
  kind: ResourceKind;
  name: string;
  role: string | null;
  department: string | null;
  user_id: string | null;
  calendar: CalendarSpec | null;
  availability_percent: number;
  skills: Record<string, ProficiencyLevel>;
  leave: Array<{ from: string; to: string }>;
}

const toEntry = (r: PoolRow): PoolEntry => ({
  resourceId: r.resource_id,
  kind: r.kind,
  name: r.name,
  role: r.role,
  department: r.department,
  userId: r.user_id,
  calendar: r.calendar,
  availabilityPercent: r.availability_percent,
  skills: r.skills,
  leave: r.leave,
});

/** Every query takes the tenant from the verified token; nothing here crosses tenants. */
export class ResourceReadQueries {
  constructor(private readonly pool: Pool) {}

  /** The tenant's defaults; nulls where the tenant has set none. */
  async tenantSettings(tenantId: string): Promise<{ calendar: CalendarSpec | null; thresholdPercent: number | null }> {
    const res = await this.pool.query<{ calendar: CalendarSpec | null; threshold_percent: number | null }>('SELECT calendar, threshold_percent FROM tenant_settings WHERE tenant_id = $1', [tenantId]);
    return { calendar: res.rows[0]?.calendar ?? null, thresholdPercent: res.rows[0]?.threshold_percent ?? null };
  }

  async poolEntry(tenantId: string, resourceId: string): Promise<PoolEntry | null> {
    const res = await this.pool.query<PoolRow>(`SELECT ${POOL_COLUMNS} FROM resource_pool WHERE tenant_id = $1 AND resource_id = $2`, [tenantId, resourceId]);
    return res.rows[0] ? toEntry(res.rows[0]) : null;
  }

  async listPool(tenantId: string, filter: PoolFilter = {}): Promise<PoolEntry[]> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.resourceIds) add('resource_id = ANY(?::uuid[])', filter.resourceIds);
    if (filter.department) add('department = ?', filter.department);
    if (filter.role) add('role = ?', filter.role);
    if (filter.skill) add(`COALESCE((skills ->> ?)::int, 0) >= ${Number(filter.minLevel ?? 1)}`, filter.skill.trim().toLowerCase());
    const res = await this.pool.query<PoolRow>(`SELECT ${POOL_COLUMNS} FROM resource_pool WHERE ${where.join(' AND ')} ORDER BY name, resource_id`, params);
    return res.rows.map(toEntry);
  }

  /** Active assignments of the resources whose task has dates, i.e. the demand the plan currently places on them. */
  async scheduledAssignments(tenantId: string, resourceIds: readonly string[]): Promise<ScheduledAssignment[]> {
    const res = await this.pool.query<{ assignment_id: string; resource_id: string; project_id: string; task_id: string; load: AssignmentLoad; s: string; f: string }>(
      `SELECT a.assignment_id, a.resource_id, a.project_id, a.task_id, a.load, to_char(t.start_date, 'YYYY-MM-DD') AS s, to_char(t.finish_date, 'YYYY-MM-DD') AS f
       FROM resource_assignments a JOIN planning_tasks t ON t.tenant_id = a.tenant_id AND t.project_id = a.project_id AND t.task_id = a.task_id
       WHERE a.tenant_id = $1 AND a.resource_id = ANY($2::uuid[]) AND a.active AND NOT t.removed AND t.start_date IS NOT NULL`,
      [tenantId, resourceIds],
    );
    return res.rows.map((r) => ({ assignmentId: r.assignment_id, resourceId: r.resource_id, projectId: r.project_id, taskId: r.task_id, load: r.load, start: r.s, finish: r.f }));
  }

  async task(tenantId: string, projectId: string, taskId: string): Promise<PlannedTask | null> {
    const rows = await this.tasks(tenantId, projectId, taskId);
    return rows[0] ?? null;
  }

  /** Tasks still in the plan; one project, or the whole portfolio when projectId is null. */
  async tasks(tenantId: string, projectId: string | null, taskId?: string): Promise<PlannedTask[]> {
    const res = await this.pool.query<{ project_id: string; task_id: string; name: string | null; s: string | null; f: string | null; duration_days: number | null; total_float: number | null; critical: boolean | null }>(
      `SELECT project_id, task_id, name, to_char(start_date, 'YYYY-MM-DD') AS s, to_char(finish_date, 'YYYY-MM-DD') AS f, duration_days, total_float, critical
       FROM planning_tasks WHERE tenant_id = $1 AND NOT removed AND ($2::uuid IS NULL OR project_id = $2) AND ($3::text IS NULL OR task_id = $3)
       ORDER BY project_id, task_id`,
      [tenantId, projectId, taskId ?? null],
    );
    return res.rows.map((r) => ({ projectId: r.project_id, taskId: r.task_id, name: r.name, start: r.s, finish: r.f, durationDays: r.duration_days, totalFloat: r.total_float, critical: r.critical }));
  }

  /**
   * Those of `projectIds` planning never announced to this tenant (pm.planning.ProjectCreated in the local copy),
   * in the order given. A project id is only ever the caller's tenant's own when planning said so.
   */
  async unknownProjects(tenantId: string, projectIds: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(projectIds)];
    if (wanted.length === 0) return [];
    const res = await this.pool.query<{ project_id: string }>('SELECT project_id FROM planning_projects WHERE tenant_id = $1 AND project_id = ANY($2::uuid[])', [tenantId, wanted]);
    const known = new Set(res.rows.map((r) => r.project_id));
    return wanted.filter((id) => !known.has(id.toLowerCase()));
  }

  /** Priority of each project planning announced (low, medium, high, critical). */
  async projectPriorities(tenantId: string): Promise<Map<string, string>> {
    const res = await this.pool.query<{ project_id: string; priority: string }>('SELECT project_id, priority FROM planning_projects WHERE tenant_id = $1', [tenantId]);
    return new Map(res.rows.map((r) => [r.project_id, r.priority]));
  }

  async links(tenantId: string, projectId: string | null): Promise<Array<{ projectId: string; from: string; to: string; type: string; lagDays: number }>> {
    const res = await this.pool.query<{ project_id: string; predecessor_id: string; successor_id: string; link_type: string; lag_days: string }>(
      `SELECT project_id, predecessor_id, successor_id, link_type, lag_days::text FROM planning_links
       WHERE tenant_id = $1 AND NOT removed AND ($2::uuid IS NULL OR project_id = $2)`,
      [tenantId, projectId],
    );
    return res.rows.map((r) => ({ projectId: r.project_id, from: r.predecessor_id, to: r.successor_id, type: r.link_type, lagDays: Number(r.lag_days) }));
  }

  /** Active assignments on the tasks of a project (or the portfolio), with their resource. */
  async assignmentsOfProject(tenantId: string, projectId: string | null): Promise<Array<{ projectId: string; taskId: string; resourceId: string; load: AssignmentLoad }>> {
    const res = await this.pool.query<{ project_id: string; task_id: string; resource_id: string; load: AssignmentLoad }>(
      'SELECT project_id, task_id, resource_id, load FROM resource_assignments WHERE tenant_id = $1 AND active AND ($2::uuid IS NULL OR project_id = $2)',
      [tenantId, projectId],
    );
    return res.rows.map((r) => ({ projectId: r.project_id, taskId: r.task_id, resourceId: r.resource_id, load: r.load }));
  }
}
