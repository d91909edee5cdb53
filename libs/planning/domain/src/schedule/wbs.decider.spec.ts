import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleEvent, ScheduleStreamEvent } from './schedule.events';
import { T, added, linked, meta, projectId, scheduleOpened, smallWbs } from './schedule.spec-fixtures';
import type { OpenedSchedule } from './schedule.state';
import { outlineLevel, wbsCodes, wbsOrder } from './wbs';

const spec = deciderSpecification(scheduleDecider);
const opened = (events: ScheduleStreamEvent[]) => spec.given(events).state as OpenedSchedule;

describe('Schedule', () => {
  describe('when adding to the WBS', () => {
    it('adds a task at the end of its parent by default, with a 1-day duration', () => {
      spec.given(smallWbs).when({ type: 'AddTaskToWbs', data: { projectId, taskId: T('test'), name: ' Test ', kind: 'task', parentId: T('build') }, metadata: meta }).then([
        {
          type: 'TaskAddedToWbs',
          data: { projectId, taskId: 'test', name: 'Test', kind: 'task', parentId: 'build', position: 3, durationDays: 1, workHours: null, costBudget: null },
        },
      ]);
    });

    it('derives WBS codes and outline levels from the hierarchy', () => {
      const state = opened([...smallWbs, added('ops', 'task', 'run', 0), added('plan', 'task', 'build', 0)]);
      expect(Object.fromEntries(wbsCodes(state))).toEqual({ build: '1', plan: '1.1', design: '1.2', code: '1.3', release: '1.4', run: '2', ops: '2.1' });
      expect(wbsOrder(state)).toEqual(['build', 'plan', 'design', 'code', 'release', 'run', 'ops']);
      expect(outlineLevel(state, 'ops')).toBe(2);
      expect(outlineLevel(state, 'run')).toBe(1);
    });

    it('does nothing when the same task is added again', () => {
      spec.given([scheduleOpened, added('a')]).when({ type: 'AddTaskToWbs', data: { projectId, taskId: T('a'), name: 'Task a', kind: 'task' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects another task under an existing id', () => {
      spec
        .given([scheduleOpened, added('a')])
        .when({ type: 'AddTaskToWbs', data: { projectId, taskId: T('a'), name: 'Other', kind: 'task' }, metadata: meta })
        .thenRejects('TASK_ALREADY_EXISTS', 'conflict');
    });

    it.each([
      ['a parent that is a task', { parentId: T('design') }, 'PARENT_MUST_BE_SUMMARY'],
      ['an unknown parent', { parentId: T('nope') }, 'PARENT_TASK_NOT_FOUND'],
      ['a position past the end', { parentId: T('build'), position: 4 }, 'WBS_POSITION_OUT_OF_RANGE'],
      ['a milestone with a duration', { kind: 'milestone' as const, durationDays: 2 }, 'MILESTONE_DURATION_MUST_BE_ZERO'],
      ['a task without duration', { durationDays: 0 }, 'TASK_DURATION_MUST_BE_POSITIVE'],
      ['a summary with its own cost', { kind: 'summary' as const, costBudget: 100 }, 'SUMMARY_VALUES_ARE_ROLLED_UP'],
      ['a negative budget', { costBudget: -1 }, 'TASK_COST_INVALID'],
      ['a blank name', { name: ' ' }, 'TASK_NAME_REQUIRED'],
    ])('rejects %s', (_case, override, code) => {
      spec
        .given(smallWbs)
        .when({ type: 'AddTaskToWbs', data: { projectId, taskId: T('x'), name: 'X', kind: 'task', ...override }, metadata: meta })
        .thenRejects(code);
    });

    it('rejects reusing the id of a removed task', () => {
      const removed: ScheduleEvent = { type: 'TaskRemovedFromWbs', data: { projectId, taskId: 'a', parentId: null } };
      spec.given([scheduleOpened, added('a'), removed]).when({ type: 'AddTaskToWbs', data: { projectId, taskId: T('a'), name: 'A', kind: 'task' }, metadata: meta }).thenRejects('TASK_ID_RETIRED');
    });
  });

  describe('when renaming a task', () => {
    it('renames it', () => {
      spec.given(smallWbs).when({ type: 'RenameTask', data: { projectId, taskId: T('code'), name: 'Build code' }, metadata: meta }).then([
        { type: 'TaskRenamed', data: { projectId, taskId: 'code', name: 'Build code' } },
      ]);
    });

    it('does nothing for the same name', () => {
      spec.given(smallWbs).when({ type: 'RenameTask', data: { projectId, taskId: T('code'), name: 'Task code' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects an unknown task', () => {
      spec.given(smallWbs).when({ type: 'RenameTask', data: { projectId, taskId: T('nope'), name: 'x' }, metadata: meta }).thenRejects('TASK_NOT_FOUND', 'not-found');
    });
  });

  describe('when moving a task', () => {
    it('moves it under another summary and renumbers', () => {
      const move = { type: 'MoveTaskInWbs' as const, data: { projectId, taskId: T('code'), parentId: T('run'), position: 0 }, metadata: meta };
      spec.given(smallWbs).when(move).then([{ type: 'TaskMovedInWbs', data: { projectId, taskId: 'code', fromParentId: 'build', toParentId: 'run', position: 0 } }]);
      const after = [...smallWbs, ...spec.given(smallWbs).when(move).events()];
      expect(Object.fromEntries(wbsCodes(opened(after)))).toEqual({ build: '1', design: '1.1', release: '1.2', run: '2', code: '2.1' });
    });

    it('reorders among siblings', () => {
      const after = [...smallWbs, ...spec.given(smallWbs).when({ type: 'MoveTaskInWbs', data: { projectId, taskId: T('release'), parentId: T('build'), position: 0 }, metadata: meta }).events()];
      expect(Object.fromEntries(wbsCodes(opened(after)))).toMatchObject({ release: '1.1', design: '1.2', code: '1.3' });
    });

    it('does nothing when the task is already there', () => {
      spec.given(smallWbs).when({ type: 'MoveTaskInWbs', data: { projectId, taskId: T('code'), parentId: T('build'), position: 1 }, metadata: meta }).thenNothingHappens();
    });

    it('rejects moving a summary into its own subtree', () => {
      const nested = [...smallWbs, added('inner', 'summary', 'build', 3)];
      spec.given(nested).when({ type: 'MoveTaskInWbs', data: { projectId, taskId: T('build'), parentId: T('inner') }, metadata: meta }).thenRejects('WBS_MOVE_INTO_OWN_SUBTREE', 'conflict');
    });
  });

  describe('when removing a task', () => {
    it('unlinks its dependencies first, then removes it', () => {
      const given = [...smallWbs, linked('d1', 'design', 'code'), linked('d2', 'code', 'release')];
      spec.given(given).when({ type: 'RemoveTaskFromWbs', data: { projectId, taskId: T('code') }, metadata: meta }).then([
        { type: 'DependencyUnlinked', data: { projectId, dependencyId: 'd1', predecessorId: 'design', successorId: 'code' } },
        { type: 'DependencyUnlinked', data: { projectId, dependencyId: 'd2', predecessorId: 'code', successorId: 'release' } },
        { type: 'TaskRemovedFromWbs', data: { projectId, taskId: 'code', parentId: 'build' } },
      ]);
    });

    it('does nothing when it was already removed', () => {
      const removed: ScheduleEvent = { type: 'TaskRemovedFromWbs', data: { projectId, taskId: 'code', parentId: 'build' } };
      spec.given([...smallWbs, removed]).when({ type: 'RemoveTaskFromWbs', data: { projectId, taskId: T('code') }, metadata: meta }).thenNothingHappens();
      expect(Object.fromEntries(wbsCodes(opened([...smallWbs, removed])))).toMatchObject({ design: '1.1', release: '1.2' });
    });

    it('rejects removing a summary that still has children', () => {
      spec.given(smallWbs).when({ type: 'RemoveTaskFromWbs', data: { projectId, taskId: T('build') }, metadata: meta }).thenRejects('SUMMARY_HAS_CHILDREN', 'conflict');
    });

    it('rejects removing a task with actual progress', () => {
      const started: ScheduleEvent = { type: 'TaskStarted', data: { projectId, taskId: 'design', actualStart: '2025-03-03' } };
      spec.given([...smallWbs, started]).when({ type: 'RemoveTaskFromWbs', data: { projectId, taskId: T('design') }, metadata: meta }).thenRejects('TASK_HAS_PROGRESS', 'conflict');
    });
  });
});
