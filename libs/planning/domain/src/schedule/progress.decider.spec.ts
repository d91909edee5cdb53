import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleEvent } from './schedule.events';
import { T, meta, projectId, smallWbs } from './schedule.spec-fixtures';

const spec = deciderSpecification(scheduleDecider);
const started: ScheduleEvent = { type: 'TaskStarted', data: { projectId, taskId: 'code', actualStart: '2025-03-05' } };
const finished: ScheduleEvent = { type: 'TaskFinished', data: { projectId, taskId: 'code', actualFinish: '2025-03-12' } };
const progress = (percentComplete: number, extra: object = {}) => ({
  type: 'RecordTaskProgress' as const,
  data: { projectId, taskId: T('code'), percentComplete, asOf: '2025-03-07', ...extra },
  metadata: meta,
});

describe('Schedule', () => {
  describe('when starting a task', () => {
    it('records the actual start', () => {
      spec.given(smallWbs).when({ type: 'StartTask', data: { projectId, taskId: T('code'), actualStart: '2025-03-05' }, metadata: meta }).then([started]);
    });

    it('does nothing when started again on the same day', () => {
      spec.given([...smallWbs, started]).when({ type: 'StartTask', data: { projectId, taskId: T('code'), actualStart: '2025-03-05' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a second, different start', () => {
      spec
        .given([...smallWbs, started])
        .when({ type: 'StartTask', data: { projectId, taskId: T('code'), actualStart: '2025-03-06' }, metadata: meta })
        .thenRejects('TASK_ALREADY_STARTED', 'conflict');
    });

    it('rejects a start before the project start, and progress on a summary', () => {
      spec.given(smallWbs).when({ type: 'StartTask', data: { projectId, taskId: T('code'), actualStart: '2025-02-28' }, metadata: meta }).thenRejects('ACTUAL_START_BEFORE_PROJECT_START');
      spec.given(smallWbs).when({ type: 'StartTask', data: { projectId, taskId: T('build'), actualStart: '2025-03-05' }, metadata: meta }).thenRejects('SUMMARY_VALUES_ARE_ROLLED_UP');
    });
  });

  describe('when recording progress', () => {
    it('derives the remaining duration from percent complete when not given', () => {
      spec.given([...smallWbs, started]).when(progress(40)).then([
        { type: 'TaskProgressRecorded', data: { projectId, taskId: 'code', percentComplete: 40, remainingDurationDays: 3, asOf: '2025-03-07' } },
      ]);
    });

    it('keeps an explicit remaining duration', () => {
      const [event] = spec.given([...smallWbs, started]).when(progress(40, { remainingDurationDays: 6 })).events();
      expect(event).toMatchObject({ data: { percentComplete: 40, remainingDurationDays: 6 } });
    });

    it('does nothing when the same progress is recorded again', () => {
      const recorded: ScheduleEvent = { type: 'TaskProgressRecorded', data: { projectId, taskId: 'code', percentComplete: 40, remainingDurationDays: 3, asOf: '2025-03-07' } };
      spec.given([...smallWbs, started, recorded]).when(progress(40)).thenNothingHappens();
    });

    it.each([
      ['progress on a task that has not started', [], progress(10), 'TASK_NOT_STARTED'],
      ['100 % without a finish date', [started], progress(100), 'TASK_COMPLETION_NEEDS_ACTUAL_FINISH'],
      ['a negative percentage', [started], progress(-5), 'PERCENT_COMPLETE_INVALID'],
      ['progress dated before the start', [started], progress(10, { asOf: '2025-03-04' }), 'PROGRESS_BEFORE_ACTUAL_START'],
      ['progress on a finished task', [started, finished], progress(50), 'TASK_ALREADY_FINISHED'],
    ])('rejects %s', (_case, history, command, code) => {
      spec.given([...smallWbs, ...(history as ScheduleEvent[])]).when(command).thenRejects(code);
    });

    it('rejects partial progress on a milestone', () => {
      spec
        .given(smallWbs)
        .when({ type: 'RecordTaskProgress', data: { projectId, taskId: T('release'), percentComplete: 50, asOf: '2025-03-07' }, metadata: meta })
        .thenRejects('MILESTONE_PROGRESS_IS_ALL_OR_NOTHING');
    });
  });

  describe('when finishing a task', () => {
    it('finishes a started task, which makes it 100 % with nothing remaining', () => {
      spec.given([...smallWbs, started]).when({ type: 'FinishTask', data: { projectId, taskId: T('code'), actualFinish: '2025-03-12' }, metadata: meta }).then([finished]);
      const { state } = spec.given([...smallWbs, started, finished]);
      expect(state.status === 'open' && state.tasks.get('code')).toMatchObject({ percentComplete: 100, remainingDurationDays: 0, actualFinish: '2025-03-12' });
    });

    it('starts and finishes a reached milestone on the same day', () => {
      spec.given(smallWbs).when({ type: 'FinishTask', data: { projectId, taskId: T('release'), actualFinish: '2025-03-14' }, metadata: meta }).then([
        { type: 'TaskStarted', data: { projectId, taskId: 'release', actualStart: '2025-03-14' } },
        { type: 'TaskFinished', data: { projectId, taskId: 'release', actualFinish: '2025-03-14' } },
      ]);
    });

    it('does nothing when finished again on the same day', () => {
      spec.given([...smallWbs, started, finished]).when({ type: 'FinishTask', data: { projectId, taskId: T('code'), actualFinish: '2025-03-12' }, metadata: meta }).thenNothingHappens();
    });

    it('rejects finishing an unstarted task without an actual start, and a finish before the start', () => {
      spec.given(smallWbs).when({ type: 'FinishTask', data: { projectId, taskId: T('code'), actualFinish: '2025-03-12' }, metadata: meta }).thenRejects('TASK_NOT_STARTED', 'conflict');
      spec
        .given([...smallWbs, started])
        .when({ type: 'FinishTask', data: { projectId, taskId: T('code'), actualFinish: '2025-03-04' }, metadata: meta })
        .thenRejects('ACTUAL_FINISH_BEFORE_START', 'invalid');
    });
  });

  describe('when recording actual cost', () => {
    const cost = (actualCost: number) => ({ type: 'RecordTaskActualCost' as const, data: { projectId, taskId: T('code'), actualCost, asOf: '2025-03-07' }, metadata: meta });

    it('records the cumulative actual cost, once', () => {
      const recorded: ScheduleEvent = { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'code', actualCost: 1200, asOf: '2025-03-07' } };
      spec.given(smallWbs).when(cost(1200)).then([recorded]);
      spec.given([...smallWbs, recorded]).when(cost(1200)).thenNothingHappens();
    });

    it('rejects a negative cost', () => {
      spec.given(smallWbs).when(cost(-1)).thenRejects('ACTUAL_COST_INVALID', 'invalid');
    });
  });
});
