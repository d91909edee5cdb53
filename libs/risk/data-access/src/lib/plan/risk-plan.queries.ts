import type { Pool } from 'pg';
import type { SimulationLink, SimulationTask } from '@pm/risk/domain';
import type { CalendarSpec, ConstraintType, LinkType } from '@pm/shared/scheduling';

/** The plan as the simulation takes it, without the run's own settings (iterations, seed, target, risk events). */
export interface RiskPlan {
  readonly projectStart: string;
  readonly statusDate?: string;
  readonly calendar: CalendarSpec;
  readonly tasks: SimulationTask[];
  readonly links: SimulationLink[];
}

interface StoredCalendar {
  readonly workingWeekdays: number[];
  readonly hoursPerDay: number;
  readonly holidays: Array<{ date: string }>;
  readonly exceptions: Array<{ date: string; working: boolean; hours: number | null }>;
}

const calendarOf = (c: StoredCalendar): CalendarSpec => ({
  workingWeekdays: c.workingWeekdays,
  hoursPerDay: c.hoursPerDay,
  holidays: c.holidays.map((h) => h.date),
  exceptions: c.exceptions.map((e) => (e.hours === null ? { date: e.date, working: e.working } : { date: e.date, working: e.working, hours: e.hours })),
});

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function taskOf(r: Record<string, unknown>): SimulationTask {
  const optimistic = num(r['optimistic']);
  const mostLikely = num(r['most_likely']);
  const pessimistic = num(r['pessimistic']);
  const constraint = r['task_constraint'] as { type: string; date: string } | null;
  const actualStart = r['actual_start'] as string | null;
  const actualFinish = r['actual_finish'] as string | null;
  const remaining = num(r['remaining_days']);
  const cost = num(r['cost_budget']);
  return {
    id: r['task_id'] as string,
    duration: Number(r['duration_days']),
    ...(optimistic !== null && mostLikely !== null && pessimistic !== null ? { estimate: { optimistic, mostLikely, pessimistic } } : {}),
    ...(constraint && constraint.type !== 'ASAP' && constraint.type !== 'ALAP' ? { constraint: { type: constraint.type as ConstraintType, date: constraint.date } } : {}),
    ...(actualStart !== null || actualFinish !== null
      ? { progress: { ...(actualStart ? { actualStart } : {}), ...(actualFinish ? { actualFinish } : {}), ...(remaining !== null && !actualFinish ? { remainingDuration: remaining } : {}) } }
      : {}),
    // Planning's task budget comes from work × rate: it scales with the time the task takes.
    ...(cost !== null ? { cost: { timeDependent: cost } } : {}),
  };
}

/** Reads a project's plan copy; every query is scoped to the tenant and the project. */
export class RiskPlanQueries {
  constructor(private readonly pool: Pool) {}

  /** Null when no ScheduleOpened of the project has reached the risk service (yet). Summary tasks roll up and are left out, with their links. */
  async plan(tenantId: string, projectId: string): Promise<RiskPlan | null> {
    const key = [tenantId, projectId];
    const head = await this.pool.query(
      `SELECT to_char(project_start, 'YYYY-MM-DD') AS project_start, to_char(status_date, 'YYYY-MM-DD') AS status_date, calendar FROM risk_plan_projects
       WHERE tenant_id = $1 AND project_id = $2`,
      key,
    );
    if (head.rows.length === 0) return null;
    const [tasks, links] = await Promise.all([
      this.pool.query(
        `SELECT task_id, duration_days, optimistic, most_likely, pessimistic, cost_budget, task_constraint,
           to_char(actual_start, 'YYYY-MM-DD') AS actual_start, to_char(actual_finish, 'YYYY-MM-DD') AS actual_finish, remaining_days
         FROM risk_plan_tasks WHERE tenant_id = $1 AND project_id = $2 AND kind <> 'summary' ORDER BY task_id`,
        key,
      ),
      this.pool.query(
        `SELECT l.predecessor_id, l.successor_id, l.link_type, l.lag_days FROM risk_plan_links l
         JOIN risk_plan_tasks p ON p.tenant_id = l.tenant_id AND p.project_id = l.project_id AND p.task_id = l.predecessor_id AND p.kind <> 'summary'
         JOIN risk_plan_tasks s ON s.tenant_id = l.tenant_id AND s.project_id = l.project_id AND s.task_id = l.successor_id AND s.kind <> 'summary'
         WHERE l.tenant_id = $1 AND l.project_id = $2 ORDER BY l.dependency_id`,
        key,
      ),
    ]);
    const row = head.rows[0] as { project_start: string; status_date: string | null; calendar: StoredCalendar };
    return {
      projectStart: row.project_start,
      ...(row.status_date ? { statusDate: row.status_date } : {}),
      calendar: calendarOf(row.calendar),
      tasks: tasks.rows.map(taskOf),
      links: links.rows.map((r) => ({ from: r.predecessor_id, to: r.successor_id, type: r.link_type as LinkType, lag: Number(r.lag_days) })),
    };
  }

  /** Tasks in the copy: what a test waits for. */
  async taskCount(tenantId: string, projectId: string): Promise<number> {
    const res = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM risk_plan_tasks WHERE tenant_id = $1 AND project_id = $2', [tenantId, projectId]);
    return Number(res.rows[0]?.n ?? 0);
  }
}
