import { eventDataOf } from '@pm/platform/projections';
import type { PoolClient } from 'pg';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { progressPatch } from './portfolio-curves.patch';
import { recordFact } from './portfolio-facts.writer';
import type { FactPatch, FactTable } from './portfolio-facts.writer';
import { recordFacts } from './portfolio-facts.batch-writer';
import type { FactInput } from './portfolio-facts.batch-writer';

export const PROJECT_FACTS: FactTable = {
  name: 'portfolio_project_facts',
  key: 'project_id',
  columns: { name: 'text', code: 'text', status: 'text', phase: 'text', priority: 'text', currency: 'text', start_date: 'date', target_finish_date: 'date', pending_gate: 'jsonb' },
};
export const SCHEDULE_FACTS: FactTable = {
  name: 'portfolio_schedule_facts',
  key: 'project_id',
  columns: {
    project_start: 'date',
    project_finish: 'date',
    status_date: 'date',
    baseline_number: 'integer',
    bac: 'numeric',
    pv: 'numeric',
    ev: 'numeric',
    ac: 'numeric',
    spi: 'double precision',
    cpi: 'double precision',
    eac: 'numeric',
    milestone_count: 'integer',
    overdue_milestone_count: 'integer',
    milestones: 'jsonb',
    percent_complete: 'double precision',
    baseline_start: 'date',
    baseline_finish: 'date',
    finish_slip_days: 'integer',
    curve_interval: 'text',
    pv_curve: 'jsonb',
  },
};
export const RISK_FACTS: FactTable = {
  name: 'portfolio_risk_facts',
  key: 'project_id',
  columns: {
    open_risks: 'integer',
    open_issues: 'integer',
    risks_by_rating: 'jsonb',
    cells: 'jsonb',
    top_risks: 'jsonb',
    cost_exposure_score: 'integer',
    expected_exposure: 'jsonb',
    expected_opportunity: 'jsonb',
    p80_finish: 'date',
    simulated_at: 'timestamptz',
  },
};

/** A change request is pending while it awaits a decision (raised or assessed); decided once approved, rejected or withdrawn. */
export const CHANGE_REQUEST_FACTS: FactTable = {
  name: 'portfolio_change_request_facts',
  key: 'change_request_id',
  columns: { project_id: 'uuid', state: 'text' },
};

type Data = Record<string, unknown>;
interface Fact {
  readonly table: FactTable;
  readonly patch: (data: Data) => FactPatch;
}
const changeRequest = (state: 'pending' | 'decided'): Fact => ({ table: CHANGE_REQUEST_FACTS, patch: (d) => ({ project_id: d.projectId, state }) });

/** Lifecycle events: the status each leaves the project in and, unless it only pauses or stops it, its phase. */
const FACTS = new Map<string, Fact>(Object.entries({
  'pm.planning.ProjectCreated': {
    table: PROJECT_FACTS,
    patch: (d) => ({
      name: d.name,
      code: d.code,
      status: d.status,
      phase: d.status,
      priority: d.priority,
      currency: d.currency,
      start_date: d.startDate,
      target_finish_date: d.targetFinishDate,
    }),
  },
  'pm.planning.ProjectRenamed': { table: PROJECT_FACTS, patch: (d) => ({ name: d.name }) },
  // A project has at most one gate pending (planning refuses a second, PHASE_GATE_ALREADY_PENDING).
  'pm.planning.PhaseGateRequested': {
    table: PROJECT_FACTS,
    patch: (d) => ({ pending_gate: { gateId: d.gateId, fromPhase: d.fromPhase, toPhase: d.toPhase, requestedAt: d.requestedAt } }),
  },
  'pm.planning.PhaseGateApproved': { table: PROJECT_FACTS, patch: () => ({ pending_gate: null }) },
  'pm.planning.PhaseGateRejected': { table: PROJECT_FACTS, patch: () => ({ pending_gate: null }) },
  'pm.planning.ProjectPhaseAdvanced': { table: PROJECT_FACTS, patch: (d) => ({ status: d.toPhase, phase: d.toPhase }) },
  'pm.planning.ProjectClosed': { table: PROJECT_FACTS, patch: () => ({ status: 'closed', phase: 'closed' }) },
  'pm.planning.ProjectPutOnHold': { table: PROJECT_FACTS, patch: () => ({ status: 'on-hold' }) },
  'pm.planning.ProjectResumed': { table: PROJECT_FACTS, patch: (d) => ({ status: d.resumedTo, phase: d.resumedTo }) },
  'pm.planning.ProjectCancelled': { table: PROJECT_FACTS, patch: () => ({ status: 'cancelled' }) },
  'pm.planning.ProjectScheduleCalculated': { table: SCHEDULE_FACTS, patch: (d) => ({ project_start: d.projectStart, project_finish: d.projectFinish }) },
  'pm.planning.ProjectEarnedValueCalculated': {
    table: SCHEDULE_FACTS,
    patch: (d) => ({
      status_date: d.statusDate,
      baseline_number: d.baselineNumber,
      bac: d.bac,
      pv: d.pv,
      ev: d.ev,
      ac: d.ac,
      spi: d.spi,
      cpi: d.cpi,
      eac: d.eac,
      milestone_count: d.milestoneCount,
      overdue_milestone_count: d.overdueMilestoneCount,
      milestones: d.milestones,
      ...progressPatch(d),
    }),
  },
  'pm.risk.ProjectRiskExposureChanged': { table: RISK_FACTS, patch: riskPatch },
  'pm.planning.ChangeRequestRaised': changeRequest('pending'),
  'pm.planning.ChangeRequestAssessed': changeRequest('pending'),
  'pm.planning.ChangeRequestApproved': changeRequest('decided'),
  'pm.planning.ChangeRequestRejected': changeRequest('decided'),
  'pm.planning.ChangeRequestWithdrawn': changeRequest('decided'),
} satisfies Record<string, Fact>));

interface TopRisk {
  readonly rating: string;
}
interface ExposureData {
  readonly openRisks: number;
  readonly openIssues: number;
  readonly topRisks: readonly TopRisk[];
  readonly cells: unknown;
  readonly costExposure: { readonly score: number; readonly expected: unknown; readonly expectedOpportunity: unknown };
  readonly scheduleRisk: { readonly p80Finish: string; readonly simulatedAt: string } | null;
}

/**
 * Counts by rating come from the named top risks (at most 10, highest score first): when more risks are open than
 * are named, the counts of the lower ratings are lower bounds, and the read model says so (`complete`).
 */
function riskPatch(d: Data): FactPatch {
  const x = d as unknown as ExposureData;
  const byRating = { low: 0, medium: 0, high: 0, critical: 0 } as Record<string, number>;
  for (const r of x.topRisks) byRating[r.rating] = (byRating[r.rating] ?? 0) + 1;
  return {
    open_risks: x.openRisks,
    open_issues: x.openIssues,
    risks_by_rating: { ...byRating, complete: x.topRisks.length >= x.openRisks },
    cells: x.cells,
    top_risks: x.topRisks,
    cost_exposure_score: x.costExposure.score,
    expected_exposure: x.costExposure.expected,
    expected_opportunity: x.costExposure.expectedOpportunity,
    p80_finish: x.scheduleRisk?.p80Finish ?? null,
    simulated_at: x.scheduleRisk?.simulatedAt ?? null,
  };
}

function factOf(event: ProjectionEvent): (FactInput & { readonly table: FactTable }) | undefined {
  const fact = FACTS.get(event.type);
  if (!fact) return undefined;
  const { data } = eventDataOf(event.type, event) as { data: Data };
  const key = fact.table.key === 'change_request_id' ? data.changeRequestId : data.projectId;
  return { table: fact.table, event, key: String(key), patch: fact.patch(data) };
}

/**
 * The per-project portfolio read model with time travel (ADR 0500): every applied event is a row valid from its
 * recorded time. Facts of different streams (project, schedule, risk exposure) live in different tables, so their
 * relative arrival order does not matter.
 */
export class PortfolioProjection implements Projection {
  readonly name = 'portfolio';
  readonly handles = [...FACTS.keys()];

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const input = factOf(event);
    if (input) await recordFact(tx, input.table, event, input.key, input.patch);
  }

  /** The same rows as `apply` of each event in order, in a few statements per table (ADR 0504). */
  async applyBatch(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    const byTable = new Map<FactTable, FactInput[]>();
    for (const event of events) {
      const input = factOf(event);
      if (!input) continue;
      const inputs = byTable.get(input.table) ?? [];
      inputs.push(input);
      byTable.set(input.table, inputs);
    }
    for (const [table, inputs] of byTable) await recordFacts(tx, table, inputs);
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE portfolio_project_facts, portfolio_schedule_facts, portfolio_risk_facts, portfolio_change_request_facts');
  }
}
