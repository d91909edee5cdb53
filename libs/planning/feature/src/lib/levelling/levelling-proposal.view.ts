import { publishedStart, staleLevellingMoves } from '@pm/planning/domain';
import type { LevellingDecision, ScheduleState, StaleReason } from '@pm/planning/domain';
import type { ProposedMove, StoredLevellingProposal, UnresolvedConflict } from '@pm/planning/data-access';

export interface LevellingMoveView extends ProposedMove {
  /** The task's start in the plan now (null when it is no longer scheduled). */
  readonly currentStart: string | null;
  /** True while accepting would still make this move: the task exists, has not started, still starts on fromStart. */
  readonly stillApplies: boolean;
  readonly staleReason: StaleReason | null;
}

export interface LevellingProposalView {
  readonly proposalId: string;
  readonly projectId: string;
  readonly portfolio: boolean;
  readonly status: 'proposed' | LevellingDecision;
  /** True when every move still applies: accepting now would not be refused as stale. */
  readonly stillApplies: boolean;
  readonly moves: readonly LevellingMoveView[];
  readonly finishBefore: string | null;
  readonly finishAfter: string | null;
  readonly unresolved: readonly UnresolvedConflict[];
  readonly proposedBy: string;
  readonly proposedAt: string;
}

/** A stored proposal read against the plan as it stands: the same rule the accept command applies. */
export function levellingProposalView(proposal: StoredLevellingProposal, schedule: ScheduleState): LevellingProposalView {
  const stale = schedule.status === 'open' ? staleLevellingMoves(schedule, proposal.moves) : proposal.moves.map((m) => ({ taskId: m.taskId, reason: 'task-not-in-plan' as const }));
  const moves = proposal.moves.map((m) => {
    const staleReason = stale.find((s) => s.taskId === m.taskId)?.reason ?? null;
    const currentStart = schedule.status === 'open' ? publishedStart(schedule.published.get(m.taskId)) : null;
    return { ...m, currentStart, stillApplies: staleReason === null, staleReason };
  });
  const decided = schedule.status === 'open' ? (schedule.levellingDecisions.get(proposal.proposalId) ?? null) : null;
  return {
    proposalId: proposal.proposalId,
    projectId: proposal.projectId,
    portfolio: proposal.portfolio,
    status: decided ?? 'proposed',
    stillApplies: moves.every((m) => m.stillApplies),
    moves,
    finishBefore: proposal.finishBefore,
    finishAfter: proposal.finishAfter,
    unresolved: proposal.unresolved,
    proposedBy: proposal.proposedBy,
    proposedAt: proposal.proposedAt,
  };
}
