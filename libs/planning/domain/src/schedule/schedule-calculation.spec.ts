import { toProjectId } from '../project/project.ids';
import { MAX_CRITICAL_PATH_CHARS, boundedCriticalPaths, recalculate } from './schedule-calculation';
import type { ScheduleCommand } from './schedule.commands';
import { decideSchedule } from './schedule.decider';
import type { ScheduleStreamEvent } from './schedule.events';
import { evolveSchedule } from './schedule.evolve';
import { toDependencyId, toTaskId } from './schedule.ids';
import { initialScheduleState } from './schedule.state';
import type { ScheduleState } from './schedule.state';

const projectId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const metadata = { now: '2025-08-01T09:00:00.000Z', actor: 'user:pm', tenantId: 't' };
const pid = toProjectId(projectId);

/**
 * Decides and folds, then concludes with the recalculation as the schedule aggregate does. Every step folds a
 * fresh copy of the history, because the fold updates its state in place and cases share histories.
 */
function run(history: readonly ScheduleStreamEvent[], ...commands: Array<Omit<ScheduleCommand, 'metadata'>>): { history: ScheduleStreamEvent[]; published: ScheduleStreamEvent[] } {
  let state: ScheduleState = history.reduce(evolveSchedule, initialScheduleState());
  const decided: ScheduleStreamEvent[] = [];
  for (const command of commands) {
    for (const event of decideSchedule({ ...command, metadata } as ScheduleCommand, state)) {
      state = evolveSchedule(state, event);
      decided.push(event);
    }
  }
  const published = recalculate(state);
  return { history: [...history, ...decided, ...published], published };
}

const task = (id: string, durationDays: number) =>
  ({ type: 'AddTaskToWbs', data: { projectId: pid, taskId: toTaskId(id), name: id, kind: 'task', durationDays } }) as const;
const link = (id: string, from: string, to: string) =>
  ({ type: 'LinkDependency', data: { projectId: pid, dependencyId: toDependencyId(id), predecessorId: toTaskId(from), successorId: toTaskId(to) } }) as const;
const types = (events: ScheduleStreamEvent[]) => events.map((e) => (e.type === 'TaskScheduleChanged' || e.type === 'TaskUnscheduled' ? `${e.type}:${e.data.taskId}` : e.type));

describe('Schedule recalculation', () => {
  const opened = run([], { type: 'OpenSchedule', data: { projectId: pid, projectStart: '2025-09-01' } });

  it('publishes nothing for an empty schedule but the project result once', () => {
    expect(types(opened.published)).toEqual(['ProjectScheduleCalculated']);
    expect(opened.published[0].data).toMatchObject({ projectStart: '2025-09-01', projectFinish: '2025-09-01', taskCount: 0, criticalPath: [] });
  });

  describe('when tasks are added and linked', () => {
    const added = run(opened.history, task('a', 2), task('b', 3));
    const linked = run(added.history, link('ab', 'a', 'b'));

    it('publishes every new task with null previous dates', () => {
      expect(types(added.published)).toEqual(['TaskScheduleChanged:a', 'TaskScheduleChanged:b', 'ProjectScheduleCalculated']);
      expect(added.published[0].data).toMatchObject({ start: '2025-09-01', finish: '2025-09-02', previousStart: null, totalFloat: 1, critical: false });
    });

    it('publishes only what the link moved, with the previous dates', () => {
      expect(types(linked.published)).toEqual(['TaskScheduleChanged:a', 'TaskScheduleChanged:b', 'ProjectScheduleCalculated']);
      expect(linked.published[1].data).toMatchObject({ start: '2025-09-03', finish: '2025-09-05', previousStart: '2025-09-01', previousFinish: '2025-09-03', durationDays: 3 });
      expect(linked.published[2].data).toMatchObject({ projectFinish: '2025-09-05', durationDays: 5, criticalPath: ['a', 'b'], tasksChanged: 2 });
    });

    it('publishes nothing at all for a change that moves nothing (a rename)', () => {
      const renamed = run(linked.history, { type: 'RenameTask', data: { projectId: pid, taskId: toTaskId('a'), name: 'Analysis' } });
      expect(renamed.published).toEqual([]);
    });

    it('publishes TaskUnscheduled for a removed task and moves its successors back', () => {
      const removed = run(linked.history, { type: 'RemoveTaskFromWbs', data: { projectId: pid, taskId: toTaskId('a') } });
      expect(types(removed.published)).toEqual(['TaskScheduleChanged:b', 'TaskUnscheduled:a', 'ProjectScheduleCalculated']);
      expect(removed.published[0].data).toMatchObject({ start: '2025-09-01', previousStart: '2025-09-03' });
    });

    it('publishes TaskUnscheduled in id order for tasks removed in any order', () => {
      const removed = run(linked.history, { type: 'RemoveTaskFromWbs', data: { projectId: pid, taskId: toTaskId('b') } }, { type: 'RemoveTaskFromWbs', data: { projectId: pid, taskId: toTaskId('a') } });
      expect(types(removed.published)).toEqual(['TaskUnscheduled:a', 'TaskUnscheduled:b', 'ProjectScheduleCalculated']);
    });

    it('reforecasts from the data date once progress is recorded', () => {
      const late = run(
        linked.history,
        { type: 'StartTask', data: { projectId: pid, taskId: toTaskId('a'), actualStart: '2025-09-01' } },
        { type: 'RecordTaskProgress', data: { projectId: pid, taskId: toTaskId('a'), percentComplete: 50, remainingDurationDays: 2, asOf: '2025-09-04' } },
      );
      const project = late.published.find((e) => e.type === 'ProjectScheduleCalculated');
      expect(project?.data).toMatchObject({ statusDate: '2025-09-04' });
      expect(late.published.find((e) => e.type === 'TaskScheduleChanged' && e.data.taskId === 'a')?.data).toMatchObject({ status: 'in-progress', start: '2025-09-01' });
      expect(late.published.find((e) => e.type === 'TaskScheduleChanged' && e.data.taskId === 'b')?.data).toMatchObject({ start: '2025-09-08' });
    });

    describe('once the project status date is recorded on the schedule', () => {
      const statusDate = (date: string) => ({ type: 'SetScheduleStatusDate', data: { projectId: pid, statusDate: date } }) as const;
      const published = (events: ScheduleStreamEvent[], taskId: string) => events.find((e) => e.type === 'TaskScheduleChanged' && e.data.taskId === taskId)?.data;

      it('starts no unstarted work before it', () => {
        const withC = run(linked.history, task('c', 2));
        const reforecast = run(withC.history, statusDate('2025-09-10'));
        expect(published(reforecast.published, 'a')).toMatchObject({ start: '2025-09-10', finish: '2025-09-11' });
        expect(published(reforecast.published, 'b')).toMatchObject({ start: '2025-09-12', finish: '2025-09-16' });
        expect(published(reforecast.published, 'c')).toMatchObject({ start: '2025-09-10', finish: '2025-09-11' });
        expect(reforecast.published.at(-1)?.data).toMatchObject({ statusDate: '2025-09-10', projectFinish: '2025-09-16' });
      });

      it('schedules the remaining work of a started task from it, and wins over a later progress date', () => {
        const progressed = run(
          linked.history,
          { type: 'StartTask', data: { projectId: pid, taskId: toTaskId('a'), actualStart: '2025-09-01' } },
          { type: 'RecordTaskProgress', data: { projectId: pid, taskId: toTaskId('a'), percentComplete: 20, remainingDurationDays: 3, asOf: '2025-09-02' } },
        );
        // Without a status date the latest progress date is the data date (the fallback).
        expect(progressed.published.at(-1)?.data).toMatchObject({ statusDate: '2025-09-02' });
        const reforecast = run(progressed.history, statusDate('2025-09-10'));
        // a keeps its actual start; its 3 remaining days run Wed 10 – Fri 12, and b follows on Monday.
        expect(published(reforecast.published, 'a')).toMatchObject({ start: '2025-09-01', finish: '2025-09-12', status: 'in-progress' });
        expect(published(reforecast.published, 'b')).toMatchObject({ start: '2025-09-15', finish: '2025-09-17' });
        expect(reforecast.published.at(-1)?.data).toMatchObject({ statusDate: '2025-09-10' });
        const laterProgress = run(reforecast.history, { type: 'RecordTaskProgress', data: { projectId: pid, taskId: toTaskId('a'), percentComplete: 30, remainingDurationDays: 3, asOf: '2025-09-11' } });
        expect(laterProgress.published).toEqual([]);
      });
    });
  });
});

describe('boundedCriticalPaths', () => {
  const chain = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const chars = (paths: string[][]) => paths.flat().reduce((n, id) => n + id.length + 3, 0);

  it('keeps every path of an ordinary plan as it is', () => {
    const paths = [chain(5), chain(3, 'u')];
    expect(boundedCriticalPaths(paths, false)).toEqual({ criticalPaths: paths, truncated: false });
  });

  it('keeps whole paths while they fit, then says it left some out', () => {
    const long = chain(9_000, 'task-with-a-longer-id-');
    const out = boundedCriticalPaths([chain(10), long, chain(10, 'v')], false);
    expect(out.criticalPaths).toEqual([chain(10)]);
    expect(out.truncated).toBe(true);
  });

  it('cuts a first path longer than the budget (a 400,000-task chain) and keeps the event small', () => {
    const out = boundedCriticalPaths([chain(400_000)], false);
    expect(out.truncated).toBe(true);
    expect(out.criticalPaths).toHaveLength(1);
    expect(out.criticalPaths[0].slice(0, 3)).toEqual(['t0', 't1', 't2']);
    expect(chars(out.criticalPaths)).toBeLessThanOrEqual(MAX_CRITICAL_PATH_CHARS);
    expect(Buffer.byteLength(JSON.stringify({ criticalPath: out.criticalPaths[0], criticalPaths: out.criticalPaths }))).toBeLessThan(400_000);
  });
});
