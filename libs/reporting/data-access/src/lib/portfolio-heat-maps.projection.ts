import { eventDataOf } from '@pm/platform/projections';
import type { PoolClient } from 'pg';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { recordFacts } from './portfolio-facts.batch-writer';
import type { FactInput } from './portfolio-facts.batch-writer';
import { recordFact } from './portfolio-facts.writer';
import type { FactPatch, FactTable } from './portfolio-facts.writer';

export const RESOURCE_FACTS: FactTable = {
  name: 'portfolio_resource_facts',
  key: 'resource_id',
  columns: { name: 'text', kind: 'text', role: 'text', department: 'text' },
};
export const RISK_REGISTER_FACTS: FactTable = {
  name: 'portfolio_risk_register_facts',
  key: 'risk_id',
  columns: { project_id: 'uuid', kind: 'text', title: 'text', status: 'text', owner_id: 'text', probability: 'integer', impact: 'integer', score: 'integer', rating: 'text' },
};

const UTILISATION = 'pm.resource.ResourceUtilisationChanged';
const RISK = {
  identified: 'pm.risk.RiskIdentified',
  automatic: 'pm.risk.AutomaticRiskRaised',
  assessed: 'pm.risk.RiskAssessed',
  status: 'pm.risk.RiskStatusChanged',
  owner: 'pm.risk.RiskOwnerAssigned',
} as const;

type Dimension = { readonly probability: number; readonly impact: number; readonly score: number } | null;

/**
 * The matrix cell of an assessment, as the risk register places it (ADR 0302): its worst dimension, highest score
 * first, then highest probability. Kept here because reporting reads only events, not the risk service's code.
 */
export function riskCellOf(dimensions: Readonly<Record<string, Dimension>>): { probability: number; impact: number } | null {
  let worst: Dimension = null;
  for (const d of Object.values(dimensions)) {
    if (d && (!worst || d.score > worst.score || (d.score === worst.score && d.probability > worst.probability))) worst = d;
  }
  return worst && { probability: worst.probability, impact: worst.impact };
}

/** Each register event as the columns it sets on its risk's row; the others carry over from the row it supersedes. */
function riskPatch(event: ProjectionEvent): { riskId: string; patch: FactPatch } | null {
  switch (event.type) {
    case RISK.identified: {
      const d = eventDataOf(RISK.identified, event).data;
      return { riskId: d.riskId, patch: { project_id: d.projectId, kind: d.kind, title: d.title, owner_id: d.ownerId, status: 'identified' } };
    }
    case RISK.automatic: {
      const d = eventDataOf(RISK.automatic, event).data;
      return { riskId: d.riskId, patch: { project_id: d.projectId, kind: 'threat', title: d.title, owner_id: null, status: 'identified' } };
    }
    case RISK.assessed: {
      const d = eventDataOf(RISK.assessed, event).data;
      const current = d.residual ?? d.inherent;
      const cell = riskCellOf(current.dimensions);
      return { riskId: d.riskId, patch: { project_id: d.projectId, probability: cell?.probability ?? null, impact: cell?.impact ?? null, score: current.score, rating: d.rating } };
    }
    case RISK.status: {
      const d = eventDataOf(RISK.status, event).data;
      return { riskId: d.riskId, patch: { status: d.to } };
    }
    case RISK.owner: {
      const d = eventDataOf(RISK.owner, event).data;
      return { riskId: d.riskId, patch: { owner_id: d.ownerId } };
    }
    default:
      return null;
  }
}

/**
 * A resource's weeks that moved (and those dropped) close their current rows at the instant the resource's profile row
 * moves to, and the moved ones get new rows from it. Guarded like `recordFact`: an event seen before, or older than
 * the current profile row, changes nothing; validity never runs backwards within the stream (ADR 0500, skew).
 */
async function recordUtilisation(tx: PoolClient, event: ProjectionEvent): Promise<void> {
  const d = eventDataOf(UTILISATION, event).data;
  const current = await tx.query<{ stream_version: number; valid_from: Date; already: boolean }>(
    `SELECT c.stream_version, c.valid_from, EXISTS (SELECT 1 FROM portfolio_resource_facts WHERE tenant_id = $1 AND event_id = $3) AS already
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (
       SELECT stream_version, valid_from FROM portfolio_resource_facts WHERE tenant_id = $1 AND resource_id = $2 AND valid_to = 'infinity' FOR UPDATE
     ) c ON true`,
    [event.tenantId, d.resourceId, event.eventId],
  );
  const row = current.rows[0];
  if (row.already || (row.stream_version !== null && event.streamVersion < row.stream_version)) return;
  const recordedAt = new Date(event.recordedAt);
  const validFrom = row.valid_from !== null && row.valid_from > recordedAt ? row.valid_from : recordedAt;
  const touched = [...d.weeks.map((w) => w.weekStart), ...d.droppedWeeks];
  if (touched.length) {
    await tx.query(
      `UPDATE portfolio_utilisation_facts SET valid_to = $3 WHERE tenant_id = $1 AND resource_id = $2 AND valid_to = 'infinity' AND week_start = ANY($4::date[])`,
      [event.tenantId, d.resourceId, validFrom, touched],
    );
  }
  if (d.weeks.length) {
    await tx.query(
      `INSERT INTO portfolio_utilisation_facts (tenant_id, resource_id, event_id, stream_version, recorded_at, valid_from, week_start, capacity_minutes, demand_minutes)
       SELECT $1, $2, $3, $4, $5, $6, w, c, m FROM unnest($7::date[], $8::int[], $9::int[]) AS x(w, c, m)`,
      [event.tenantId, d.resourceId, event.eventId, event.streamVersion, recordedAt, validFrom, d.weeks.map((w) => w.weekStart), d.weeks.map((w) => w.capacityMinutes), d.weeks.map((w) => w.demandMinutes)],
    );
  }
  await recordFact(tx, RESOURCE_FACTS, event, d.resourceId, { name: d.name, kind: d.kind, role: d.role, department: d.department });
}

/**
 * The heat maps' read model with time travel (ADR 0502): resource utilisation from the resource service's weekly
 * summaries, and the risk register per risk, each a row valid from its event's recorded time.
 */
export class PortfolioHeatMapsProjection implements Projection {
  readonly name = 'portfolio-heat-maps';
  readonly handles = [UTILISATION, ...Object.values(RISK)];

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    if (event.type === UTILISATION) return recordUtilisation(tx, event);
    const risk = riskPatch(event);
    if (risk) await recordFact(tx, RISK_REGISTER_FACTS, event, risk.riskId, risk.patch);
  }

  /**
   * The same rows as `apply` of each event in order (ADR 0507): the register's rows in a few statements for the whole
   * batch (`recordFacts`), utilisation event by event as `apply` does. The two touch disjoint tables, so applying
   * the register's rows after the utilisation ones changes nothing.
   */
  async applyBatch(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    const register: FactInput[] = [];
    for (const event of events) {
      if (event.type === UTILISATION) {
        await recordUtilisation(tx, event);
        continue;
      }
      const risk = riskPatch(event);
      if (risk) register.push({ event, key: risk.riskId, patch: risk.patch });
    }
    await recordFacts(tx, RISK_REGISTER_FACTS, register);
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE portfolio_resource_facts, portfolio_utilisation_facts, portfolio_risk_register_facts');
  }
}
