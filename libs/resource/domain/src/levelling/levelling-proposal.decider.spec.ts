import { at, deciderSpecification } from '../testing/decider-specification';
import { levellingProposalDecider } from './levelling-proposal.decider';
import type { LevellingProposed, ProposeLevelling } from './levelling-proposal.decider';

const spec = deciderSpecification(levellingProposalDecider);
const now = '2026-03-02T09:00:00.000Z';
const move = { projectId: 'p', taskId: 'B', fromStart: '2026-03-02', toStart: '2026-03-05', toFinish: '2026-03-06', delayDays: 3, withinFloat: true };
const propose = (moves = [move]): ProposeLevelling => ({
  type: 'ProposeLevelling',
  data: { proposalId: 'lp-1', projectId: 'p', moves, finishBefore: '2026-03-09', finishAfter: '2026-03-09', unresolved: [] },
  metadata: at(now, 'user:pm-1'),
});
const proposed: LevellingProposed = { type: 'LevellingProposed', data: { ...propose().data, moves: [move], unresolved: [], proposedBy: 'user:pm-1', proposedAt: now } };

describe('LevellingProposal', () => {
  it('publishes a proposal', () => spec.given([]).when(propose()).then([proposed]));
  it('does nothing when the same proposal is sent again', () => spec.given([proposed]).when(propose()).thenNothingHappens());
  it('rejects another proposal under the same id', () => spec.given([proposed]).when(propose([])).thenRejects('PROPOSAL_ALREADY_EXISTS', 'conflict'));
  it('rejects a move that is not a delay', () => spec.given([]).when(propose([{ ...move, toStart: '2026-03-01', delayDays: -1 }])).thenRejects('MOVE_NOT_A_DELAY'));
});
