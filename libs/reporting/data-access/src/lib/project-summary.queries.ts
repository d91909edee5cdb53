import type { Pool } from 'pg';

export interface ProjectSummary {
  readonly projectId: string;
  readonly name: string;
  readonly code: string | null;
  readonly description: string | null;
  readonly status: string;
  readonly priority: string;
  readonly startDate: string | null;
  readonly targetFinishDate: string | null;
  readonly sponsor: string | null;
  readonly managerId: string | null;
  readonly currency: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ProjectSummaryPage {
  readonly items: ProjectSummary[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

interface Row {
  project_id: string;
  name: string;
  code: string | null;
  description: string | null;
  status: string;
  priority: string;
  start_date: string | null;
  target_finish_date: string | null;
  sponsor: string | null;
  manager_id: string | null;
  currency: string;
  created_at: Date;
  updated_at: Date;
  total: string;
}

/** Every query is scoped to one tenant: the tenant comes from the verified token, never from the request body. */
export class ProjectSummaryQueries {
  constructor(private readonly pool: Pool) {}

  async list(tenantId: string, page: { limit: number; offset: number; status?: string }): Promise<ProjectSummaryPage> {
    const params: unknown[] = [tenantId, page.limit, page.offset];
    let statusFilter = '';
    if (page.status) {
      params.push(page.status);
      statusFilter = 'AND status = $4';
    }
    // One statement, so one snapshot: the total and the page always agree (two statements could count a row the page
    // had not seen: total 1 with no items). The count's row stays when the page is empty (LEFT JOIN ... ON true).
    const res = await this.pool.query<Row | (Partial<Row> & { project_id: null; total: string })>(
      `SELECT t.total, p.* FROM
         (SELECT count(*)::text AS total FROM project_summaries WHERE tenant_id = $1 ${statusFilter}) t
       LEFT JOIN LATERAL (
         SELECT project_id, name, code, description, status, priority, to_char(start_date, 'YYYY-MM-DD') AS start_date,
           to_char(target_finish_date, 'YYYY-MM-DD') AS target_finish_date, sponsor, manager_id, currency, created_at, updated_at
         FROM project_summaries WHERE tenant_id = $1 ${statusFilter}
         ORDER BY lower(name), project_id LIMIT $2 OFFSET $3) p ON true
       ORDER BY lower(p.name), p.project_id`,
      params,
    );
    return {
      items: res.rows.filter((r): r is Row => r.project_id !== null).map(toSummary),
      total: Number(res.rows[0].total),
      limit: page.limit,
      offset: page.offset,
    };
  }
}

function toSummary(r: Row): ProjectSummary {
  return {
    projectId: r.project_id,
    name: r.name,
    code: r.code,
    description: r.description,
    status: r.status,
    priority: r.priority,
    startDate: r.start_date,
    targetFinishDate: r.target_finish_date,
    sponsor: r.sponsor,
    managerId: r.manager_id,
    currency: r.currency,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
