import type { Pool } from 'pg';

export const CHANGE_REQUEST_STATUSES = ['raised', 'assessed', 'approved', 'rejected', 'withdrawn', 'applied'] as const;
export type ChangeRequestRowStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

export interface ChangeRequestRow {
  readonly changeRequestId: string;
  readonly projectId: string;
  readonly title: string;
  readonly status: ChangeRequestRowStatus;
  /** Changes the request proposes (the request itself has them: GET .../change-requests/{id}). */
  readonly proposedChanges: number;
  readonly rebaselineAs: number | null;
  /** The impact its last assessment recorded; null until assessed (GET .../impact computes it on demand). */
  readonly impact: { readonly scheduleImpactDays: number; readonly costImpact: number; readonly notes: string | null } | null;
  readonly raisedBy: string;
  readonly raisedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** The rejection's or withdrawal's reason, or the approval's comment. */
  readonly reason: string | null;
  readonly version: number;
}

export interface ChangeRequestPage {
  readonly items: ChangeRequestRow[];
  readonly page: { readonly limit: number; readonly next: string | null };
}

type Raw = {
  seq: string;
  project_id: string;
  change_request_id: string;
  title: string;
  status: ChangeRequestRowStatus;
  proposed_changes: number;
  rebaseline_as: number | null;
  impact: ChangeRequestRow['impact'];
  raised_by: string;
  raised_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  stream_version: number;
};

const rowOf = (r: Raw): ChangeRequestRow => ({
  changeRequestId: r.change_request_id,
  projectId: r.project_id,
  title: r.title,
  status: r.status,
  proposedChanges: r.proposed_changes,
  rebaselineAs: r.rebaseline_as,
  impact: r.impact,
  raisedBy: r.raised_by,
  raisedAt: r.raised_at.toISOString(),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  reason: r.reason,
  version: r.stream_version,
});

export interface ChangeRequestListQuery {
  readonly limit: number;
  /** `page.next` of the previous page. */
  readonly after?: string;
  readonly status?: readonly ChangeRequestRowStatus[];
}

/** A project's change requests, newest first, a page at a time. */
export async function changeRequestsOfProject(pool: Pool, tenantId: string, projectId: string, query: ChangeRequestListQuery): Promise<ChangeRequestPage> {
  const { rows } = await pool.query<Raw>(
    `SELECT * FROM planning_change_requests
      WHERE tenant_id = $1 AND project_id = $2 AND ($3::bigint IS NULL OR seq < $3::bigint) AND ($4::text[] IS NULL OR status = ANY($4::text[]))
      ORDER BY seq DESC LIMIT $5`,
    [tenantId, projectId, query.after ?? null, query.status?.length ? query.status : null, query.limit + 1],
  );
  const items = rows.slice(0, query.limit).map(rowOf);
  return { items, page: { limit: query.limit, next: rows.length > query.limit ? String(rows[query.limit - 1].seq) : null } };
}
