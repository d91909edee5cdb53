import { concludeAtOnce } from '@pm/shared/ddd';
import { throughSnapshot } from '@pm/shared/ddd/testing';
import { publishedOf } from './published-schedule';
import { scheduleAggregate } from './schedule.aggregate';
import type { ScheduleCommand } from './schedule.commands';
import type { ScheduleStreamEvent } from './schedule.events';
import { D, T, meta, projectId, projectStart } from './schedule.spec-fixtures';
import type { OpenedSchedule, ScheduleState } from './schedule.state';
import { wbsOrder } from './wbs';

/**
 * Client ids are data, not keys (ADR 0008). Before the schedule kept its entities in Maps, a task id such as
 * `constructor` found a member of Object.prototype: adding it was refused as "already exists", renaming it wrote an
 * event whose id was dropped, and `__proto__` rewired the object. Each case here runs the ids through the whole
 * aggregate the way the write path does (decide, fold, conclude with the critical-path engine, fold).
 */
const PROTOTYPE_IDS = ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const { decider, snapshot } = scheduleAggregate;

interface Story {
  state: ScheduleState;
  readonly log: ScheduleStreamEvent[];
}

/** One plan of commands on the stream, concluded once, as WritePath.handle runs it; returns what it decided. */
function handle(story: Story, ...commands: ScheduleCommand[]): ScheduleStreamEvent[] {
  const decided: ScheduleStreamEvent[] = [];
  for (const command of commands) {
    for (const event of decider.decide(command, story.state)) {
      story.state = decider.evolve(story.state, event);
      decided.push(event);
    }
  }
  const concluded = decided.length ? concludeAtOnce(scheduleAggregate, story.state, decided) : [];
  for (const event of concluded) story.state = decider.evolve(story.state, event);
  story.log.push(...decided, ...concluded);
  return decided;
}

function refusal(story: Story, command: ScheduleCommand): string | undefined {
  try {
    handle(story, command);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

const opened = (story: Story): OpenedSchedule => {
  if (story.state.status !== 'open') throw new Error('schedule not open');
  return story.state;
};

/** A command of the given type on the fixture project; its data is checked against that command's own type. */
const command = <K extends ScheduleCommand['type']>(type: K, data: Omit<Extract<ScheduleCommand, { type: K }>['data'], 'projectId'>): ScheduleCommand =>
  ({ type, data: { projectId, ...data }, metadata: meta }) as unknown as ScheduleCommand;

function newStory(): Story {
  const story: Story = { state: decider.initialState(), log: [] };
  handle(story, command('OpenSchedule', { projectStart }));
  return story;
}

/** What a snapshot stores, read back: the store writes states with the structured-clone serialisation (ADR 0011). */
const snapshotted = (state: ScheduleState): ScheduleState => {
  if (!snapshot) throw new Error('the schedule has a snapshot policy');
  return throughSnapshot(state);
};

const foldAll = (events: readonly ScheduleStreamEvent[]): ScheduleState => events.reduce(decider.evolve, decider.initialState());

describe('Schedule fold with ids named like Object.prototype members', () => {
  const prototypeBefore = Object.getOwnPropertyDescriptors(Object.prototype);

  afterEach(() => {
    // Nothing about these ids leaked into every object of the process.
    expect(Object.getOwnPropertyDescriptors(Object.prototype)).toEqual(prototypeBefore);
    const plain: Record<string, unknown> = {};
    for (const key of ['taskId', 'name', 'kind', 'parentId', 'dependencyId', 'lagDays', 'durationDays']) expect(plain[key]).toBeUndefined();
  });

  describe.each(PROTOTYPE_IDS)('id %j', (id) => {
    it('as a task id: added (not refused as existing), renamed, estimated, linked, unlinked, removed, then retired', () => {
      const story = newStory();
      expect(handle(story, command('AddTaskToWbs', { taskId: T(id), name: 'Odd', kind: 'task', durationDays: 3 }))).toEqual([
        { type: 'TaskAddedToWbs', data: { projectId, taskId: id, name: 'Odd', kind: 'task', parentId: null, position: 0, durationDays: 3, workHours: null, costBudget: null } },
      ]);
      expect(opened(story).tasks.get(id)).toMatchObject({ taskId: id, name: 'Odd', durationDays: 3 });
      expect(wbsOrder(opened(story))).toEqual([id]);
      // The critical-path engine scheduled it under its id.
      expect(story.log.filter((e) => e.type === 'TaskScheduleChanged').map((e) => e.data)).toEqual([expect.objectContaining({ taskId: id, start: projectStart, finish: '2025-03-05' })]);

      handle(story, command('AddTaskToWbs', { taskId: T('after'), name: 'After', kind: 'task', durationDays: 2 }));
      expect(handle(story, command('RenameTask', { taskId: T(id), name: 'Renamed' }))).toEqual([{ type: 'TaskRenamed', data: { projectId, taskId: id, name: 'Renamed' } }]);
      expect(handle(story, command('EstimateTaskDuration', { taskId: T(id), durationDays: 4 }))).toEqual([{ type: 'TaskDurationEstimated', data: { projectId, taskId: id, durationDays: 4 } }]);
      expect(handle(story, command('LinkDependency', { dependencyId: D(id), predecessorId: T(id), successorId: T('after'), dependencyType: 'SS', lagDays: 2 }))).toEqual([
        { type: 'DependencyLinked', data: { projectId, dependencyId: id, predecessorId: id, successorId: 'after', dependencyType: 'SS', lagDays: 2 } },
      ]);
      expect(handle(story, command('AdjustDependencyLag', { dependencyId: D(id), lagDays: -1 }))).toEqual([{ type: 'DependencyLagAdjusted', data: { projectId, dependencyId: id, lagDays: -1 } }]);
      expect(opened(story).dependencies.get(id)).toEqual({ dependencyId: id, predecessorId: id, successorId: 'after', dependencyType: 'SS', lagDays: -1 });
      expect(opened(story).tasks.get(id)).toMatchObject({ name: 'Renamed', durationDays: 4 });
      // A repeat is recognised as one: the id finds its own record, not a prototype member.
      expect(handle(story, command('AddTaskToWbs', { taskId: T(id), name: 'Renamed', kind: 'task' }))).toEqual([]);
      expect(refusal(story, command('AddTaskToWbs', { taskId: T(id), name: 'Other', kind: 'task' }))).toBe('TASK_ALREADY_EXISTS');

      expect(handle(story, command('RemoveTaskFromWbs', { taskId: T(id) }))).toEqual([
        { type: 'DependencyUnlinked', data: { projectId, dependencyId: id, predecessorId: id, successorId: 'after' } },
        { type: 'TaskRemovedFromWbs', data: { projectId, taskId: id, parentId: null } },
      ]);
      expect(opened(story).tasks.has(id)).toBe(false);
      expect(opened(story).dependencies.has(id)).toBe(false);
      expect(story.log.filter((e) => e.type === 'TaskUnscheduled').map((e) => e.data)).toEqual([{ projectId, taskId: id }]);
      expect(refusal(story, command('AddTaskToWbs', { taskId: T(id), name: 'Again', kind: 'task' }))).toBe('TASK_ID_RETIRED');
      expect(refusal(story, command('LinkDependency', { dependencyId: D(id), predecessorId: T('after'), successorId: T('after') }))).toBe('DEPENDENCY_ID_RETIRED');
      expect(handle(story, command('RemoveTaskFromWbs', { taskId: T(id) }))).toEqual([]);
      expect(wbsOrder(opened(story))).toEqual(['after']);
    });

    it('as a parent id: children go under it and move out of it; unknown, it is not found', () => {
      const story = newStory();
      expect(refusal(story, command('AddTaskToWbs', { taskId: T('child'), name: 'Child', kind: 'task', parentId: T(id) }))).toBe('PARENT_TASK_NOT_FOUND');
      handle(story, command('AddTaskToWbs', { taskId: T(id), name: 'Phase', kind: 'summary' }));
      expect(handle(story, command('AddTaskToWbs', { taskId: T('child'), name: 'Child', kind: 'task', parentId: T(id) }))).toEqual([
        expect.objectContaining({ type: 'TaskAddedToWbs', data: expect.objectContaining({ taskId: 'child', parentId: id }) }),
      ]);
      expect(opened(story).children.get(id)).toEqual(['child']);
      expect(handle(story, command('MoveTaskInWbs', { taskId: T('child'), parentId: null }))).toEqual([
        { type: 'TaskMovedInWbs', data: { projectId, taskId: 'child', fromParentId: id, toParentId: null, position: 1 } },
      ]);
      expect(wbsOrder(opened(story))).toEqual([id, 'child']);
      handle(story, command('MoveTaskInWbs', { taskId: T('child'), parentId: T(id) }));
      expect(wbsOrder(opened(story))).toEqual([id, 'child']);
      expect(opened(story).children.get(id)).toEqual(['child']);
      expect(refusal(story, command('RemoveTaskFromWbs', { taskId: T(id) }))).toBe('SUMMARY_HAS_CHILDREN');
    });

    it('as a task with progress, a constraint and a baseline, and as a levelling proposal id', () => {
      const story = newStory();
      handle(story, command('AddTaskToWbs', { taskId: T(id), name: 'Odd', kind: 'task', durationDays: 5 }), command('AddTaskToWbs', { taskId: T('m'), name: 'Go-live', kind: 'milestone' }));
      handle(story, command('ConstrainTask', { taskId: T(id), constraint: { type: 'SNET', date: '2025-03-04' } }));
      expect(handle(story, command('SaveBaseline', { baselineNumber: 1 }))).toEqual([
        expect.objectContaining({ type: 'BaselineSaved', data: expect.objectContaining({ tasks: [expect.objectContaining({ taskId: id, start: '2025-03-04' }), expect.objectContaining({ taskId: 'm' })] }) }),
      ]);
      expect(opened(story).baselines.get(1)?.tasks.get(id)).toMatchObject({ taskId: id, start: '2025-03-04', finish: '2025-03-10' });
      expect(handle(story, command('StartTask', { taskId: T(id), actualStart: '2025-03-04' }))).toEqual([{ type: 'TaskStarted', data: { projectId, taskId: id, actualStart: '2025-03-04' } }]);
      handle(story, command('RecordTaskProgress', { taskId: T(id), percentComplete: 40, asOf: '2025-03-05' }));
      expect(handle(story, command('FinishTask', { taskId: T(id), actualFinish: '2025-03-07' }))).toEqual([{ type: 'TaskFinished', data: { projectId, taskId: id, actualFinish: '2025-03-07' } }]);
      expect(opened(story).tasks.get(id)).toMatchObject({ actualStart: '2025-03-04', actualFinish: '2025-03-07', percentComplete: 100, constraint: { type: 'SNET', date: '2025-03-04' } });
      expect(refusal(story, command('RemoveTaskFromWbs', { taskId: T(id) }))).toBe('TASK_HAS_PROGRESS');

      expect(handle(story, command('RejectLevellingProposal', { proposalId: id, reason: null }))).toEqual([expect.objectContaining({ type: 'LevellingProposalRejected', data: expect.objectContaining({ proposalId: id }) })]);
      expect(opened(story).levellingDecisions.get(id)).toBe('rejected');
      expect(handle(story, command('RejectLevellingProposal', { proposalId: id, reason: null }))).toEqual([]);
      expect(refusal(story, command('AcceptLevellingProposal', { proposalId: id, moves: [] }))).toBe('LEVELLING_PROPOSAL_ALREADY_REJECTED');
      // Never decided: a proposal named like a prototype member is undecided, not "already" anything.
      const other = PROTOTYPE_IDS.find((p) => p !== id) ?? 'x';
      expect(handle(story, command('AcceptLevellingProposal', { proposalId: other, moves: [] }))).toEqual([expect.objectContaining({ type: 'LevellingProposalAccepted' })]);
    });

    it('the snapshot codec round-trips a state keyed by it, which folds and decides like the original', () => {
      const story = newStory();
      handle(
        story,
        command('AddTaskToWbs', { taskId: T(id), name: 'Phase', kind: 'summary' }),
        command('AddTaskToWbs', { taskId: T('a'), name: 'A', kind: 'task', parentId: T(id), durationDays: 2 }),
        command('AddTaskToWbs', { taskId: T('b'), name: 'B', kind: 'task', parentId: T(id), durationDays: 3 }),
        command('LinkDependency', { dependencyId: D(id), predecessorId: T('a'), successorId: T('b'), dependencyType: 'FF', lagDays: 1 }),
        command('RejectLevellingProposal', { proposalId: id, reason: 'no' }),
      );
      handle(story, command('SaveBaseline', { baselineNumber: 0 }));
      handle(story, command('AddTaskToWbs', { taskId: T('gone'), name: 'Gone', kind: 'task' }));
      handle(story, command('RemoveTaskFromWbs', { taskId: T('gone') }));
      const restored = snapshotted(story.state) as OpenedSchedule;
      expect(restored).toEqual(story.state);
      expect(restored.tasks).toBeInstanceOf(Map);
      expect([...restored.tasks.keys()]).toEqual([id, 'a', 'b']);
      expect(restored.children.get(id)).toEqual(['a', 'b']);
      expect(restored.dependencies.get(id)).toMatchObject({ dependencyId: id, dependencyType: 'FF', lagDays: 1 });
      expect(restored.baselines.get(0)?.tasks.get(id)).toMatchObject({ taskId: id, kind: 'summary' });
      expect(restored.levellingDecisions.get(id)).toBe('rejected');
      expect(restored.retiredTaskIds).toEqual(new Set(['gone']));
      // Equal to the state folded from the whole stream, and it decides the same way.
      expect(restored).toEqual(foldAll(story.log));
      const fromSnapshot: Story = { state: restored, log: [] };
      expect(handle(fromSnapshot, command('RenameTask', { taskId: T(id), name: 'Phase 1' }))).toEqual([{ type: 'TaskRenamed', data: { projectId, taskId: id, name: 'Phase 1' } }]);
      expect(refusal(fromSnapshot, command('AddTaskToWbs', { taskId: T(id), name: 'Other', kind: 'task' }))).toBe('TASK_ALREADY_EXISTS');
    });
  });

  it('all of them at once in one plan: six tasks, chained by six dependencies named like them', () => {
    const story = newStory();
    handle(story, ...PROTOTYPE_IDS.map((id) => command('AddTaskToWbs', { taskId: T(id), name: `Task ${id}`, kind: 'task', durationDays: 1 })));
    handle(story, ...PROTOTYPE_IDS.slice(1).map((id, i) => command('LinkDependency', { dependencyId: D(id), predecessorId: T(PROTOTYPE_IDS[i]), successorId: T(id) })));
    const state = opened(story);
    expect([...state.tasks.keys()]).toEqual([...PROTOTYPE_IDS]);
    expect(state.lastCalculation?.criticalPath).toEqual([...PROTOTYPE_IDS]);
    expect(publishedOf(state, 'valueOf')).toMatchObject({ start: '2025-03-10', finish: '2025-03-10' });
    expect(snapshotted(state)).toEqual(state);
  });
});
