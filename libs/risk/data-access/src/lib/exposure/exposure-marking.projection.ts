import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
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
  'pm.risk.ScheduleRiskSimulated',
]);
const SIMULATED = 'pm.risk.ScheduleRiskSimulated';

/** Marks the event's project for a new exposure decision, in the transaction that writes its register rows. */
export async function markExposureDirty(tx: PoolClient, tenantId: string, projectId: string): Promise<void> {
  await tx.query('INSERT INTO risk_exposure_marks (tenant_id, project_id) VALUES ($1, $2)', [tenantId, projectId]);
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
    handles: [...inner.handles, SIMULATED],
    async reset(tx) {
      await inner.reset(tx);
      await tx.query('TRUNCATE risk_schedule_latest');
    },
    async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
      if (event.type === SIMULATED) await latestSimulation(event, tx);
      else await inner.apply(event, tx);
      const projectId = EXPOSURE_TRIGGERS.has(event.type) ? projectIdOf(event.data) : null;
      if (projectId !== null) await markExposureDirty(tx, event.tenantId, projectId);
    },
  };
}

/** The latest run of each project (by its time; a replay of an older run changes nothing): the exposure's P80. */
async function latestSimulation(event: ProjectionEvent, tx: PoolClient): Promise<void> {
  const d = parseEventData(SIMULATED, event.schemaVersion, event.data).data;
  await tx.query(
    `INSERT INTO risk_schedule_latest (tenant_id, project_id, simulation_id, p80_finish, simulated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, project_id) DO UPDATE SET simulation_id = EXCLUDED.simulation_id, p80_finish = EXCLUDED.p80_finish, simulated_at = EXCLUDED.simulated_at
     WHERE risk_schedule_latest.simulated_at < EXCLUDED.simulated_at`,
    [event.tenantId, d.projectId, d.simulationId, d.p80Finish, d.simulatedAt],
  );
}
