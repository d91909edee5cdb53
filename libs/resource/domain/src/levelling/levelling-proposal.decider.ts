import type { ContractEvent } from '@pm/contracts';
import type { CommandMetadata } from '../shared/command-metadata';
import { conflict, invalid, ignoreUnknownEvent, unknownCommand, sameValue, streamIdOf } from '@pm/shared/ddd';

/** A task move in calendar dates, as planning would apply it when a project manager accepts the proposal. */
export interface ProposedMove {
  readonly projectId: string;
  readonly taskId: string;
  readonly fromStart: string;
  readonly toStart: string;
  readonly toFinish: string;
  readonly delayDays: number;
  readonly withinFloat: boolean;
}

export interface ProposedConflict {
  readonly projectId: string;
  readonly taskId: string;
  readonly resourceId: string;
  readonly from: string;
  readonly to: string;
  readonly reason: 'demand-exceeds-capacity-every-day' | 'no-slot-within-max-delay';
}

export interface ProposeLevelling {
  readonly type: 'ProposeLevelling';
  readonly data: {
    proposalId: string;
    /** Null for the whole portfolio. */
    projectId: string | null;
    moves: readonly ProposedMove[];
    finishBefore: string | null;
    finishAfter: string | null;
    unresolved: readonly ProposedConflict[];
  };
  readonly metadata: CommandMetadata;
}

/** The proposal is a read model for people and a request for planning: it is published, never applied here. */
export type LevellingProposed = ContractEvent<'resource', 'LevellingProposed'>;

export type LevellingProposalState = { readonly status: 'none' } | { readonly status: 'proposed'; readonly proposal: LevellingProposed['data'] };

export function decideLevellingProposal(command: ProposeLevelling, state: LevellingProposalState): LevellingProposed[] {
  switch (command.type) {
    case 'ProposeLevelling': {
      const { data, metadata } = command;
      if (state.status === 'proposed') {
        const { proposedBy: _by, proposedAt: _at, ...known } = state.proposal;
        if (sameValue(known, data)) return [];
        throw conflict('PROPOSAL_ALREADY_EXISTS', `Levelling proposal ${data.proposalId} already exists`);
      }
      if (data.moves.some((m) => m.delayDays <= 0 || m.toStart <= m.fromStart)) throw invalid('MOVE_NOT_A_DELAY', 'levelling only ever delays work');
      return [{ type: 'LevellingProposed', data: { ...data, moves: [...data.moves], unresolved: [...data.unresolved], proposedBy: metadata.actor, proposedAt: metadata.now } }];
    }
    default:
      return unknownCommand(command.type as never);
  }
}

export function evolveLevellingProposal(state: LevellingProposalState, event: LevellingProposed): LevellingProposalState {
  switch (event.type) {
    case 'LevellingProposed':
      return { status: 'proposed', proposal: event.data };
    default:
      return ignoreUnknownEvent(state, event.type as never);
  }
}

export const levellingProposalDecider = {
  decide: decideLevellingProposal,
  evolve: evolveLevellingProposal,
  initialState: (): LevellingProposalState => ({ status: 'none' }),
};

export const levellingStreamId = (tenantId: string, proposalId: string): string => streamIdOf('levelling', tenantId, proposalId);
