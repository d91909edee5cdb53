import type { Pool } from 'pg';

export interface RiskFilter {
  readonly status?: string;
  readonly kind?: string;
  readonly rating?: string;
  readonly categoryId?: string;
  readonly ownerId?: string;
  /** `manual` (identified by a person) or `automatic` (raised by a rule, ADR 0303). */
  readonly origin?: string;
  readonly limit: number;
  /** The last risk id of the previous page. */
  readonly after?: string;
}

export interface IssueFilter {
  readonly status?: string;
  readonly severity?: string;
  readonly limit: number;
  readonly after?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly page: { readonly limit: number; readonly next: string | null };
}

const RISK_COLUMNS = `risk_id, project_id, kind, title, cause, event, effect, category_id, owner_id, to_char(proximity, 'YYYY-MM-DD') AS proximity, triggers, status,
  inherent, residual, inherent_score, residual_score, rating, matrix_revision, cell_probability, cell_impact, to_char(review_on, 'YYYY-MM-DD') AS review_on,
  review_overdue, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, identified_by, identified_at, stream_version,
  origin, rule_id, subject, generation, evidence, closure_proposed, cost_impact_minor::text, cost_currency, expected_cost_minor::text, schedule_impact`;

type Row = Record<string, unknown>;

const riskOf = (r: Row) => ({
  riskId: r['risk_id'] as string,
  projectId: r['project_id'] as string,
  kind: r['kind'] as string,
  title: r['title'] as string,
  cause: r['cause'] as string,
  event: r['event'] as string,
  effect: r['effect'] as string,
  categoryId: r['category_id'] as string,
  ownerId: r['owner_id'] as string | null,
  proximity: r['proximity'] as string | null,
  triggers: r['triggers'] as string[],
  status: r['status'] as string,
  rating: r['rating'] as string | null,
  inherentScore: r['inherent_score'] as number | null,
  residualScore: r['residual_score'] as number | null,
  cell: r['cell_probability'] === null ? null : { probability: r['cell_probability'] as number, impact: r['cell_impact'] as number },
  reviewOn: r['review_on'] as string | null,
  reviewOverdue: r['review_overdue'] as boolean,
  occurredOn: r['occurred_on'] as string | null,
  identifiedBy: r['identified_by'] as string,
  identifiedAt: (r['identified_at'] as Date).toISOString(),
  version: r['stream_version'] as number,
  origin: r['origin'] as string,
  automatic:
    r['origin'] === 'automatic'
      ? { ruleId: r['rule_id'] as string, subject: r['subject'] as unknown, generation: r['generation'] as number, closureProposed: r['closure_proposed'] as boolean, evidence: r['evidence'] as unknown }
      : null,
});
export type RiskRow = ReturnType<typeof riskOf>;

const issueOf = (r: Row) => ({
  issueId: r['issue_id'] as string,
  projectId: r['project_id'] as string,
  title: r['title'] as string,
  description: r['description'] as string,
  severity: r['severity'] as string,
  ownerId: r['owner_id'] as string | null,
  dueOn: r['due_on'] as string | null,
  sourceRiskId: r['source_risk_id'] as string | null,
  status: r['status'] as string,
  resolution: r['resolution'] as string | null,
  changeRequestIds: r['change_request_ids'] as string[],
  raisedBy: r['raised_by'] as string,
  raisedAt: (r['raised_at'] as Date).toISOString(),
  version: r['stream_version'] as number,
});
export type IssueRow = ReturnType<typeof issueOf>;

/** Builds a WHERE clause from the filters that are set (`column` or `column <op>`); values always travel as parameters. */
function where(base: string[], params: unknown[], filters: ReadonlyArray<readonly [string, unknown]>): string {
  const clauses = [...base];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(column.includes(' ') ? `${column} $${params.length}` : `${column} = $${params.length}`);
  }
  return clauses.join(' AND ');
}

/** Every query takes the tenant from the verified token and a project of the path: nothing here crosses either. */
export class RiskReadQueries {
  constructor(private readonly pool: Pool) {}

  risks(tenantId: string, projectId: string, filter: RiskFilter): Promise<Page<RiskRow>> {
    const filters = [['status', filter.status], ['kind', filter.kind], ['rating', filter.rating], ['category_id', filter.categoryId], ['owner_id', filter.ownerId], ['origin', filter.origin]] as const;
    return this.page({ table: 'risk_register', columns: RISK_COLUMNS, key: 'risk_id' }, tenantId, projectId, filters, filter, riskOf, (r) => r.riskId);
  }

  /** A risk with its responses, mitigation actions (overdue flags included) and secondary links; null when the tenant has none such in the project. */
  async risk(tenantId: string, projectId: string, riskId: string) {
    const res = await this.pool.query(`SELECT ${RISK_COLUMNS} FROM risk_register WHERE tenant_id = $1 AND project_id = $2 AND risk_id = $3`, [tenantId, projectId, riskId]);
    if (res.rows.length === 0) return null;
    const row = res.rows[0] as Row;
    const key = [tenantId, riskId];
    const [responses, actions, links] = await Promise.all([
      this.pool.query('SELECT response_id, strategy, description, planned_at FROM risk_responses WHERE tenant_id = $1 AND risk_id = $2 ORDER BY planned_at, response_id', key),
      this.pool.query(
        `SELECT action_id, response_id, description, owner_id, to_char(due_on, 'YYYY-MM-DD') AS due_on, cost, completed, overdue
         FROM risk_actions WHERE tenant_id = $1 AND risk_id = $2 ORDER BY due_on, action_id`,
        key,
      ),
      this.pool.query('SELECT secondary_risk_id, response_id FROM risk_secondary_links WHERE tenant_id = $1 AND risk_id = $2 ORDER BY secondary_risk_id', key),
    ]);
    return {
      ...riskOf(row),
      inherent: row['inherent'] ?? null,
      residual: row['residual'] ?? null,
      matrixRevision: row['matrix_revision'] ?? null,
      costImpact: row['cost_impact_minor'] == null ? null : { amountMinor: Number(row['cost_impact_minor']), currency: row['cost_currency'] },
      expectedCost: row['expected_cost_minor'] == null ? null : { amountMinor: Number(row['expected_cost_minor']), currency: row['cost_currency'] },
      responses: responses.rows.map((r) => ({ responseId: r.response_id, strategy: r.strategy, description: r.description, plannedAt: (r.planned_at as Date).toISOString() })),
      actions: actions.rows.map((r) => ({ actionId: r.action_id, responseId: r.response_id, description: r.description, ownerId: r.owner_id, dueOn: r.due_on, cost: r.cost, completed: r.completed, overdue: r.overdue })),
      secondaryRisks: links.rows.map((r) => ({ secondaryRiskId: r.secondary_risk_id, responseId: r.response_id })),
      scheduleImpact: { tasks: (row['schedule_impact'] ?? []) as unknown[] },
    };
  }

  /** Open risks (not closed, not occurred) per probability × impact cell of their current assessment. */
  async matrix(tenantId: string, projectId: string): Promise<Array<{ probability: number; impact: number; count: number }>> {
    const res = await this.pool.query<{ p: number; i: number; n: string }>(
      `SELECT cell_probability AS p, cell_impact AS i, count(*) AS n FROM risk_register
       WHERE tenant_id = $1 AND project_id = $2 AND status NOT IN ('closed', 'occurred') AND cell_probability IS NOT NULL
       GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
      [tenantId, projectId],
    );
    return res.rows.map((r) => ({ probability: r.p, impact: r.i, count: Number(r.n) }));
  }

  issues(tenantId: string, projectId: string, filter: IssueFilter): Promise<Page<IssueRow>> {
    const filters = [['status', filter.status], ['severity', filter.severity]] as const;
    return this.page({ table: 'issue_log', columns: ISSUE_COLUMNS, key: 'issue_id' }, tenantId, projectId, filters, filter, issueOf, (i) => i.issueId);
  }

  async issue(tenantId: string, projectId: string, issueId: string): Promise<IssueRow | null> {
    const res = await this.pool.query(`SELECT ${ISSUE_COLUMNS} FROM issue_log WHERE tenant_id = $1 AND project_id = $2 AND issue_id = $3`, [tenantId, projectId, issueId]);
    return res.rows.length ? issueOf(res.rows[0] as Row) : null;
  }

  /** One page of a project's rows in key order: the filters that are set, then the rows after `after`, one row more than `limit`. */
  private async page<T>(
    source: { readonly table: string; readonly columns: string; readonly key: string },
    tenantId: string,
    projectId: string,
    filters: ReadonlyArray<readonly [string, unknown]>,
    { limit, after }: { readonly limit: number; readonly after?: string },
    map: (row: Row) => T,
    keyOf: (row: T) => string,
  ): Promise<Page<T>> {
    const params: unknown[] = [tenantId, projectId];
    const sql = where(['tenant_id = $1', 'project_id = $2'], params, [...filters, [`${source.key} >`, after]]);
    params.push(limit + 1);
    const res = await this.pool.query(`SELECT ${source.columns} FROM ${source.table} WHERE ${sql} ORDER BY ${source.key} LIMIT $${params.length}`, params);
    return pageOf(res.rows.map(map), limit, keyOf);
  }
}

const ISSUE_COLUMNS = `issue_id, project_id, title, description, severity, owner_id, to_char(due_on, 'YYYY-MM-DD') AS due_on, source_risk_id, status, resolution,
  change_request_ids::text[] AS change_request_ids, raised_by, raised_at, stream_version`;

/** One row more than the page was read: its presence says there is a next page, which starts after the last row shown. */
function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, page: { limit, next: rows.length > limit && items.length > 0 ? keyOf(items[items.length - 1]) : null } };
}
