import type { PoolClient } from 'pg';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

/** Events that can move a project's exposure figures; the others (owner, review date, responses…) cannot. */
export const EXPOSURE_TRIGGERS: ReadonlySet<string> = new Set([
  'pm.risk.RiskIdentified',
  'pm.risk.RiskAssessed',
  'pm.risk.RiskStatusChanged',
  'pm.risk.RiskOccurred',
  'pm.risk.IssueRaised',
  'pm.risk.IssueResolved',
  'pm.risk.AutomaticRiskRaised',
]);

/** Marks the event's project for a new exposure decision, in the transaction that writes its register rows. */
export async function markExposureDirty(tx: PoolClient, tenantId: string, projectId: string): Promise<void> {
  await tx.query(
    `INSERT INTO risk_exposure_dirty (tenant_id, project_id) VALUES ($1, $2)
     ON CONFLICT (tenant_id, project_id) DO UPDATE SET marked_at = clock_timestamp()`,
    [tenantId, projectId],
  );
}

const projectIdOf = (data: unknown): string | null => {
  const value = typeof data === 'object' && data !== null ? (data as { projectId?: unknown }).projectId : undefined;
  return typeof value === 'string' ? value : null;
};

/**
 * The register's projection, which also marks the project of every event that may move its exposure (ADR 0304).
 * Wrapping rather than editing the register keeps the mark on every path that writes the rows: a command's own
 * transaction (`projectInPlan`), the store-fed runner and a rebuild. A rebuild marks every project once: their
 * figures are decided again and publish nothing where they did not move.
 */
export function withExposureMarks(inner: Projection): Projection {
  return {
    name: inner.name,
    handles: inner.handles,
    reset: (tx) => inner.reset(tx),
    async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
      await inner.apply(event, tx);
      const projectId = EXPOSURE_TRIGGERS.has(event.type) ? projectIdOf(event.data) : null;
      if (projectId !== null) await markExposureDirty(tx, event.tenantId, projectId);
    },
  };
}
