import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

const T = {
  raised: 'pm.planning.ChangeRequestRaised',
  assessed: 'pm.planning.ChangeRequestAssessed',
  approved: 'pm.planning.ChangeRequestApproved',
  rejected: 'pm.planning.ChangeRequestRejected',
  withdrawn: 'pm.planning.ChangeRequestWithdrawn',
  applied: 'pm.planning.ChangeRequestApplied',
} as const;

export const CHANGE_REQUEST_ROWS_PROJECTION = 'planning-change-requests';

interface Decision {
  readonly status: 'approved' | 'rejected' | 'withdrawn' | 'applied';
  readonly by: string;
  readonly at: string;
  readonly reason: string | null;
}

/** The decision an event records, or null for the events that are not decisions. */
function decisionOf(event: ProjectionEvent): Decision | null {
  switch (event.type) {
    case T.approved: {
      const d = parseEventData(T.approved, event.schemaVersion, event.data).data;
      return { status: 'approved', by: d.approvedBy, at: d.approvedAt, reason: d.comment };
    }
    case T.rejected: {
      const d = parseEventData(T.rejected, event.schemaVersion, event.data).data;
      return { status: 'rejected', by: d.rejectedBy, at: d.rejectedAt, reason: d.reason };
    }
    case T.withdrawn: {
      const d = parseEventData(T.withdrawn, event.schemaVersion, event.data).data;
      return { status: 'withdrawn', by: d.withdrawnBy, at: d.withdrawnAt, reason: d.reason };
    }
    case T.applied: {
      const d = parseEventData(T.applied, event.schemaVersion, event.data).data;
      return { status: 'applied', by: d.appliedBy, at: d.appliedAt, reason: null };
    }
    default:
      return null;
  }
}

/**
 * A row per change request (ADR 0604) with its status, the impact recorded by its last assessment and its last
 * decision. Each change is guarded by the stream version, so applying an event again (a rebuild, a second runner)
 * changes nothing. The events are already decided: the row follows them, it does not re-check the transitions.
 */
export class ChangeRequestRowsProjection implements Projection {
  readonly name = CHANGE_REQUEST_ROWS_PROJECTION;
  readonly handles: readonly string[] = Object.values(T);

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE planning_change_requests');
  }

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const tenant = event.tenantId;
    if (event.type === T.raised) {
      const d = parseEventData(T.raised, event.schemaVersion, event.data).data;
      await tx.query(
        `INSERT INTO planning_change_requests (tenant_id, project_id, change_request_id, title, status, proposed_changes, rebaseline_as, raised_by, raised_at, stream_version)
         VALUES ($1, $2, $3, $4, 'raised', $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [tenant, d.projectId, d.changeRequestId, d.title, d.proposedChanges.length, d.rebaselineAs, d.raisedBy, d.raisedAt, event.streamVersion],
      );
      return;
    }
    if (event.type === T.assessed) {
      const d = parseEventData(T.assessed, event.schemaVersion, event.data).data;
      await tx.query(
        `UPDATE planning_change_requests SET status = 'assessed', impact = $3, stream_version = $4 WHERE tenant_id = $1 AND change_request_id = $2 AND stream_version < $4`,
        [tenant, d.changeRequestId, JSON.stringify(d.impact), event.streamVersion],
      );
      return;
    }
    const decision = decisionOf(event);
    if (!decision) return;
    const { changeRequestId } = event.data as { changeRequestId: string };
    await tx.query(
      `UPDATE planning_change_requests SET status = $3, decided_by = $4, decided_at = $5, reason = COALESCE($6, reason), stream_version = $7
       WHERE tenant_id = $1 AND change_request_id = $2 AND stream_version < $7`,
      [tenant, changeRequestId, decision.status, decision.by, decision.at, decision.reason, event.streamVersion],
    );
  }
}
