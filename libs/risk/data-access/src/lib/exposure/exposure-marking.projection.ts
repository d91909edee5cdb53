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

/** One mark per project the events may move, in one statement (a project's marks are all cleared together). */
async function markProjects(tx: PoolClient, events: readonly ProjectionEvent[]): Promise<void> {
  const marks = new Map<string, [string, string]>();
  for (const event of events) {
    const projectId = EXPOSURE_TRIGGERS.has(event.type) ? projectIdOf(event.data) : null;
    if (projectId !== null) marks.set(JSON.stringify([event.tenantId, projectId]), [event.tenantId, projectId]);
  }
  if (marks.size === 0) return;
  const rows = [...marks.values()];
  await tx.query({
    name: 'risk_exposure_marks_insert_many',
    text: 'INSERT INTO risk_exposure_marks (tenant_id, project_id) SELECT * FROM unnest($1::text[], $2::uuid[])',
    values: [rows.map(([t]) => t), rows.map(([, p]) => p)],
  });
}

/** A projection that can tell which events of a batch would still change its rows (one read for the batch). */
export interface FilteringProjection extends Projection {
  unapplied?(events: readonly ProjectionEvent[], tx: PoolClient): Promise<ProjectionEvent[]>;
}

/** The register with exposure marks: `applyNew` for events known to be new (a command's own), `applyBatch` for the log. */
export interface MarkingProjection extends Projection {
  applyBatch(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void>;
  applyNew(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void>;
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
export function withExposureMarks(inner: FilteringProjection): MarkingProjection {
  const applyOne = (event: ProjectionEvent, tx: PoolClient) => (event.type === SIMULATED ? latestSimulation(event, tx) : inner.apply(event, tx));
  const applyNew = async (events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> => {
    for (const event of events) await applyOne(event, tx);
    await markProjects(tx, events);
  };
  return {
    name: inner.name,
    handles: [...inner.handles, SIMULATED],
    async reset(tx) {
      await inner.reset(tx);
      await tx.query('TRUNCATE risk_schedule_latest');
    },
    async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
      await applyOne(event, tx);
      const projectId = EXPOSURE_TRIGGERS.has(event.type) ? projectIdOf(event.data) : null;
      if (projectId !== null) await markExposureDirty(tx, event.tenantId, projectId);
    },
    /**
     * The store-fed runner's and a rebuild's batch: events a command already applied in its own transaction (rows and
     * mark) are left out at the cost of one read, the rest applied in order with one mark per project.
     */
    async applyBatch(events, tx): Promise<void> {
      const registers = events.filter((e) => e.type !== SIMULATED);
      const fresh = new Set(inner.unapplied ? await inner.unapplied(registers, tx) : registers);
      await applyNew(events.filter((e) => e.type === SIMULATED || fresh.has(e)), tx);
    },
    applyNew,
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
