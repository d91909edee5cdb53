import { deciderSpecification } from '../testing/decider-specification';
import { reorderedKeys } from '../testing/jsonb-key-order';
import { scheduleDecider } from './schedule.decider';
import type { AcceptLevellingProposal, LevellingMove, RejectLevellingProposal } from './schedule.commands';
import type { ScheduleEvent, ScheduleStreamEvent } from './schedule.events';
import { added, meta, projectId, scheduleOpened, scheduled } from './schedule.spec-fixtures';

const spec = deciderSpecification(scheduleDecider);
const proposalId = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

/** Two parallel 5-day tasks from Monday 3 March; levelling delays `build` by a week. */
const parallel: ScheduleStreamEvent[] = [scheduleOpened, added('design', 'task', null, 0), added('build', 'task', null, 1), scheduled('design', '2025-03-03'), scheduled('build', '2025-03-03')];
const delayBuild: LevellingMove = { taskId: 'build', fromStart: '2025-03-03', toStart: '2025-03-10' };

const accept = (moves: readonly LevellingMove[] = [delayBuild]): AcceptLevellingProposal => ({
  type: 'AcceptLevellingProposal',
  data: { projectId, proposalId, moves },
  metadata: meta,
});
const reject = (reason: string | null = 'Hire a contractor instead'): RejectLevellingProposal => ({ type: 'RejectLevellingProposal', data: { projectId, proposalId, reason }, metadata: meta });

const accepted: ScheduleEvent[] = [
  { type: 'TaskConstrained', data: { projectId, taskId: 'build', constraint: { type: 'SNET', date: '2025-03-10' } } },
  {
    type: 'LevellingProposalAccepted',
    data: {
      projectId,
      proposalId,
      moves: [{ taskId: 'build', fromStart: '2025-03-03', toStart: '2025-03-10', previousConstraint: { type: 'ASAP', date: null } }],
      acceptedBy: meta.actor,
      acceptedAt: meta.now,
    },
  },
];
const rejected: ScheduleEvent = { type: 'LevellingProposalRejected', data: { projectId, proposalId, reason: 'Hire a contractor instead', rejectedBy: meta.actor, rejectedAt: meta.now } };

describe('Schedule', () => {
  describe('when a levelling proposal is accepted', () => {
    it('constrains each moved task to start no earlier than its levelled start, and records the acceptance', () => {
      spec.given(parallel).when(accept()).then(accepted);
    });

    it('records the constraint it replaced, so un-levelling can restore it', () => {
      const fnet: ScheduleEvent = { type: 'TaskConstrained', data: { projectId, taskId: 'build', constraint: { type: 'FNET', date: '2025-03-05' } } };
      const events = spec.given([...parallel, fnet]).when(accept()).events();
      expect(events.at(-1)).toMatchObject({ data: { moves: [{ taskId: 'build', previousConstraint: { type: 'FNET', date: '2025-03-05' } }] } });
    });

    it('does nothing when the proposal was already accepted (even read back from jsonb)', () => {
      spec.given([...parallel, ...accepted, scheduled('build', '2025-03-10')].map(reorderedKeys)).when(accept([delayBuild])).thenNothingHappens();
    });

    it('records an acceptance without moves for a proposal that moves nothing in this project', () => {
      spec.given(parallel).when(accept([])).then([accepted[1]].map((e) => ({ ...e, data: { ...e.data, moves: [] } })) as ScheduleEvent[]);
    });

    it('refuses the whole proposal, naming the tasks, when a task starts elsewhere than the proposal saw it', () => {
      const designToo: LevellingMove = { taskId: 'design', fromStart: '2025-03-03', toStart: '2025-03-17' };
      const error = spec.given([...parallel, scheduled('build', '2025-03-04')]).when(accept([designToo, delayBuild])).thenRejectsWith('LEVELLING_PROPOSAL_STALE', 'conflict');
      expect(error.details).toMatchObject({ tasks: ['build'], stale: [{ taskId: 'build', reason: 'start-moved', fromStart: '2025-03-03', currentStart: '2025-03-04' }] });
      expect(error.message).toContain('build');
    });

    it('refuses it when a moved task left the plan or has started', () => {
      const removed: ScheduleEvent = { type: 'TaskRemovedFromWbs', data: { projectId, taskId: 'build', parentId: null } };
      const started: ScheduleEvent = { type: 'TaskStarted', data: { projectId, taskId: 'build', actualStart: '2025-03-03' } };
      expect(spec.given([...parallel, removed]).when(accept()).thenRejectsWith('LEVELLING_PROPOSAL_STALE').details).toMatchObject({ stale: [{ reason: 'task-not-in-plan', currentStart: null }] });
      expect(spec.given([...parallel, started]).when(accept()).thenRejectsWith('LEVELLING_PROPOSAL_STALE').details).toMatchObject({ stale: [{ reason: 'task-started' }] });
    });

    it('refuses to replace a hard date constraint', () => {
      const pinned: ScheduleEvent = { type: 'TaskConstrained', data: { projectId, taskId: 'build', constraint: { type: 'MSO', date: '2025-03-03' } } };
      spec.given([...parallel, pinned]).when(accept()).thenRejects('LEVELLING_MOVE_OVERRIDES_CONSTRAINT', 'conflict');
    });

    it('refuses a move that does not delay the task', () => {
      spec.given(parallel).when(accept([{ ...delayBuild, toStart: '2025-03-03' }])).thenRejects('LEVELLING_MOVE_MUST_DELAY', 'invalid');
    });

    it('refuses a proposal that was rejected', () => {
      spec.given([...parallel, rejected]).when(accept()).thenRejects('LEVELLING_PROPOSAL_ALREADY_REJECTED', 'conflict');
    });

    it('refuses it before the schedule is opened', () => {
      spec.given([]).when(accept()).thenRejects('SCHEDULE_NOT_OPEN', 'not-found');
    });
  });

  describe('when a levelling proposal is rejected', () => {
    it('records the rejection and moves nothing', () => {
      spec.given(parallel).when(reject()).then([rejected]);
    });

    it('does nothing when it was already rejected', () => {
      spec.given([...parallel, rejected]).when(reject('another reason')).thenNothingHappens();
    });

    it('refuses to reject an accepted proposal (un-levelling is a change of its own)', () => {
      spec.given([...parallel, ...accepted]).when(reject()).thenRejects('LEVELLING_PROPOSAL_ALREADY_ACCEPTED', 'conflict');
    });
  });
});
