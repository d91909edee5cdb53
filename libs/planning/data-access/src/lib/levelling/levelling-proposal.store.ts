import type { Pool, PoolClient } from 'pg';
import type { LevellingProposedV1 } from '@pm/contracts';

export type ProposedMove = LevellingProposedV1['moves'][number];
export type UnresolvedConflict = LevellingProposedV1['unresolved'][number];

/** A levelling proposal as one project sees it: its own moves and conflicts, the proposal's finish dates. */
export interface StoredLevellingProposal {
  readonly proposalId: string;
  readonly projectId: string;
  /** True for a portfolio-wide proposal (other projects' moves are listed under those projects). */
  readonly portfolio: boolean;
  readonly moves: readonly ProposedMove[];
  readonly unresolved: readonly UnresolvedConflict[];
  readonly finishBefore: string | null;
  readonly finishAfter: string | null;
  readonly proposedBy: string;
  readonly proposedAt: string;
}

/** The projects a proposal concerns: the one it was made for, and every project it moves or could not level. */
function projectsOf(data: LevellingProposedV1): string[] {
  const ids = new Set<string>(data.projectId ? [data.projectId] : []);
  for (const m of data.moves) ids.add(m.projectId);
  for (const u of data.unresolved) ids.add(u.projectId);
  return [...ids].sort();
}

/**
 * Keeps a published proposal, split per project. Idempotent: a proposal is immutable, so the same proposal
 * heard again (redelivery, replay from offset 0, or republished under a new event id) changes nothing.
 */
export async function recordLevellingProposal(tx: PoolClient, tenantId: string, data: LevellingProposedV1): Promise<void> {
  for (const projectId of projectsOf(data)) {
    const moves = data.moves.filter((m) => m.projectId === projectId);
    const unresolved = data.unresolved.filter((u) => u.projectId === projectId);
    await tx.query(
      `INSERT INTO planning_levelling_proposals
         (tenant_id, project_id, proposal_id, portfolio, moves, unresolved, finish_before, finish_after, proposed_by, proposed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [tenantId, projectId, data.proposalId, data.projectId === null, JSON.stringify(moves), JSON.stringify(unresolved), data.finishBefore, data.finishAfter, data.proposedBy, data.proposedAt],
    );
  }
}

interface ProposalRow {
  proposal_id: string;
  project_id: string;
  portfolio: boolean;
  moves: ProposedMove[];
  unresolved: UnresolvedConflict[];
  finish_before: string | null;
  finish_after: string | null;
  proposed_by: string;
  proposed_at: Date;
}

const SELECT = `SELECT proposal_id, project_id, portfolio, moves, unresolved, to_char(finish_before, 'YYYY-MM-DD') AS finish_before,
                       to_char(finish_after, 'YYYY-MM-DD') AS finish_after, proposed_by, proposed_at
                  FROM planning_levelling_proposals`;

const toProposal = (r: ProposalRow): StoredLevellingProposal => ({
  proposalId: r.proposal_id,
  projectId: r.project_id,
  portfolio: r.portfolio,
  // jsonb returns keys in its own order; the moves are rebuilt field by field so responses keep the contract's order.
  moves: r.moves.map((m) => ({ projectId: m.projectId, taskId: m.taskId, fromStart: m.fromStart, toStart: m.toStart, toFinish: m.toFinish, delayDays: m.delayDays, withinFloat: m.withinFloat })),
  unresolved: r.unresolved.map((u) => ({ projectId: u.projectId, taskId: u.taskId, resourceId: u.resourceId, from: u.from, to: u.to, reason: u.reason })),
  finishBefore: r.finish_before,
  finishAfter: r.finish_after,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at.toISOString(),
});

/** Newest first, within the tenant only. */
export async function levellingProposalsOfProject(pool: Pool, tenantId: string, projectId: string): Promise<StoredLevellingProposal[]> {
  const res = await pool.query<ProposalRow>(`${SELECT} WHERE tenant_id = $1 AND project_id = $2 ORDER BY proposed_at DESC, proposal_id`, [tenantId, projectId]);
  return res.rows.map(toProposal);
}

export async function levellingProposalOfProject(pool: Pool, tenantId: string, projectId: string, proposalId: string): Promise<StoredLevellingProposal | null> {
  const res = await pool.query<ProposalRow>(`${SELECT} WHERE tenant_id = $1 AND project_id = $2 AND proposal_id = $3`, [tenantId, projectId, proposalId]);
  const row = res.rows[0];
  return row ? toProposal(row) : null;
}
