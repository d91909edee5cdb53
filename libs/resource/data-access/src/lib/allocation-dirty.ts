import type { Pool, PoolClient } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ProjectionEvent } from '@pm/platform/projections';

type Queryable = Pick<Pool, 'query'> | PoolClient;

/**
 * The event that moved a resource's demand or capacity: the over-allocation events its re-evaluation raises name it
 * as their causation, keep its correlation and continue its trace. The latest mark's cause wins; a mark without
 * one (a rebuild, a horizon that moved) keeps the cause already recorded.
 */
export interface DirtyCause {
  readonly eventId: string;
  readonly correlationId: string | null;
  readonly traceparent: string | null;
}

/** A projection event with the trace context it arrived with, where its source had one (a CloudEvent does). */
export type TracedProjectionEvent = ProjectionEvent & { readonly correlationId?: string | null; readonly traceparent?: string | null };

export const causeOf = (event: TracedProjectionEvent): DirtyCause => ({ eventId: event.eventId, correlationId: event.correlationId ?? null, traceparent: event.traceparent ?? null });

/** The cause of a resource's re-evaluation travels with its mark, written in the same transaction. */
export class ResourceAllocationDirtyCauseSchema1764200004000 implements MigrationInterface {
  name = 'ResourceAllocationDirtyCauseSchema1764200004000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE allocation_dirty
        ADD COLUMN IF NOT EXISTS cause_event_id       text,
        ADD COLUMN IF NOT EXISTS cause_correlation_id text,
        ADD COLUMN IF NOT EXISTS cause_traceparent    text`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE allocation_dirty DROP COLUMN IF EXISTS cause_event_id, DROP COLUMN IF EXISTS cause_correlation_id, DROP COLUMN IF EXISTS cause_traceparent');
  }
}

const KEEP_OR_TAKE = (column: string) => `${column} = CASE WHEN EXCLUDED.cause_event_id IS NULL THEN allocation_dirty.${column} ELSE EXCLUDED.${column} END`;

/** Marks resources for re-evaluation inside the caller's transaction, so the mark commits with the change. */
export async function markAllocationDirty(tx: PoolClient, tenantId: string, resourceIds: readonly string[], cause: DirtyCause | null = null): Promise<void> {
  if (resourceIds.length === 0) return;
  await tx.query(
    `INSERT INTO allocation_dirty (tenant_id, resource_id, mark, cause_event_id, cause_correlation_id, cause_traceparent)
     SELECT $1, r, nextval('allocation_dirty_mark'), $3, $4, $5 FROM unnest($2::uuid[]) AS r
     ON CONFLICT (tenant_id, resource_id) DO UPDATE SET mark = EXCLUDED.mark,
       ${KEEP_OR_TAKE('cause_event_id')}, ${KEEP_OR_TAKE('cause_correlation_id')}, ${KEEP_OR_TAKE('cause_traceparent')}`,
    [tenantId, [...new Set(resourceIds)], cause?.eventId ?? null, cause?.correlationId ?? null, cause?.traceparent ?? null],
  );
}

/** Resources with active assignments on a task: its new dates move their demand. */
export async function markAssigneesOfTask(tx: PoolClient, tenantId: string, projectId: string, taskId: string, cause: DirtyCause | null = null): Promise<void> {
  const res = await tx.query<{ resource_id: string }>(
    'SELECT DISTINCT resource_id FROM resource_assignments WHERE tenant_id = $1 AND project_id = $2 AND task_id = $3 AND active',
    [tenantId, projectId, taskId],
  );
  await markAllocationDirty(tx, tenantId, res.rows.map((r) => r.resource_id), cause);
}

export interface DirtyResource {
  readonly tenantId: string;
  readonly resourceId: string;
  readonly mark: string;
  /** Null when nothing recorded why (a rebuild marks everyone). */
  readonly cause: DirtyCause | null;
}

export async function takeDirty(pool: Pool, limit = 100): Promise<DirtyResource[]> {
  const res = await pool.query<{ tenant_id: string; resource_id: string; mark: string; cause_event_id: string | null; cause_correlation_id: string | null; cause_traceparent: string | null }>(
    `SELECT tenant_id, resource_id, mark::text AS mark, cause_event_id, cause_correlation_id, cause_traceparent
     FROM allocation_dirty ORDER BY mark LIMIT $1`,
    [limit],
  );
  return res.rows.map((r) => ({
    tenantId: r.tenant_id,
    resourceId: r.resource_id,
    mark: r.mark,
    cause: r.cause_event_id === null ? null : { eventId: r.cause_event_id, correlationId: r.cause_correlation_id, traceparent: r.cause_traceparent },
  }));
}

/**
 * Clears the mark only if nothing re-marked the resource while it was being evaluated. Given the evaluation's
 * transaction, the mark goes with the events it decided, or stays.
 */
export async function clearDirty(db: Queryable, dirty: Pick<DirtyResource, 'tenantId' | 'resourceId' | 'mark'>): Promise<void> {
  await db.query('DELETE FROM allocation_dirty WHERE tenant_id = $1 AND resource_id = $2 AND mark = $3', [dirty.tenantId, dirty.resourceId, dirty.mark]);
}
