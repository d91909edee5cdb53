import { deciderSpecification } from '../testing/decider-specification';
import type { TaskDates } from './schedule.commands';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleEvent } from './schedule.events';
import { baseline0, baselineTaskDates, baselineWbs, projectId, taskDatesOf } from './schedule.spec-fixtures';
import type { OpenedSchedule } from './schedule.state';
import { costAtCompletion, projectVariance, taskVariance, taskVariances } from './variance';

const spec = deciderSpecification(scheduleDecider);
const afterSlip: ScheduleEvent[] = [
  ...baselineWbs,
  baseline0,
  { type: 'TaskDurationEstimated', data: { projectId, taskId: 'code', durationDays: 11 } },
  { type: 'TaskWorkPlanned', data: { projectId, taskId: 'code', workHours: 176 } },
  { type: 'TaskStarted', data: { projectId, taskId: 'code', actualStart: '2025-03-11' } },
  { type: 'TaskProgressRecorded', data: { projectId, taskId: 'code', percentComplete: 50, remainingDurationDays: 5.5, asOf: '2025-03-17' } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'code', actualCost: 9000, asOf: '2025-03-17' } },
];
const state = spec.given(afterSlip).state as OpenedSchedule;
/** Code slipped from Mon 10 – Fri 21 March to Tue 11 – Mon 24 March; release follows it. */
const current: Record<string, TaskDates> = {
  ...baselineTaskDates,
  build: { start: '2025-03-03', finish: '2025-03-24' },
  code: { start: '2025-03-11', finish: '2025-03-24' },
  release: { start: '2025-03-24', finish: '2025-03-24' },
};

describe('Variance against a baseline', () => {
  it('measures a slipped task in working days, hours and money', () => {
    expect(taskVariance(state, 0, 'code', current.code)).toEqual({
      taskId: 'code',
      start: { baseline: '2025-03-10', current: '2025-03-11', variance: 1 },
      finish: { baseline: '2025-03-21', current: '2025-03-24', variance: 1 },
      durationDays: { baseline: 10, current: 11, variance: 1 },
      // Cost at completion = actual 9 000 + half of the 16 000 budget still to do.
      cost: { baseline: 16000, current: 17000, variance: 1000 },
      workHours: { baseline: 160, current: 176, variance: 16 },
    });
  });

  it('rolls summaries up from their children', () => {
    expect(taskVariance(state, 0, 'build', current.build)).toMatchObject({
      finish: { variance: 1 },
      durationDays: { baseline: 15, current: 16, variance: 1 },
      cost: { baseline: 20000, current: 21000, variance: 1000 },
    });
  });

  it('reports zero variance for a task that did not move', () => {
    expect(taskVariance(state, 0, 'design', current.design)).toMatchObject({ start: { variance: 0 }, finish: { variance: 0 }, cost: { variance: 0 } });
  });

  it('measures the project as one bar', () => {
    expect(projectVariance(state, 0, taskDatesOf(current))).toEqual({
      baselineNumber: 0,
      start: { baseline: '2025-03-03', current: '2025-03-03', variance: 0 },
      finish: { baseline: '2025-03-21', current: '2025-03-24', variance: 1 },
      durationDays: { baseline: 15, current: 16, variance: 1 },
      cost: { baseline: 20000, current: 21000, variance: 1000 },
      workHours: { baseline: 200, current: 216, variance: 16 },
    });
  });

  it('skips tasks added after the baseline and rejects a baseline that was never saved', () => {
    expect(taskVariance(state, 0, 'ghost', current.code)).toBeNull();
    expect(taskVariances(state, 0, taskDatesOf(current)).map((v) => v.taskId)).toEqual(['build', 'design', 'code', 'release']);
    expect(() => projectVariance(state, 3, taskDatesOf(current))).toThrow(expect.objectContaining({ code: 'BASELINE_NOT_FOUND' }));
  });

  it('costs a finished task at what it actually cost', () => {
    const task = state.tasks.get('code')!;
    expect(costAtCompletion({ ...task, actualFinish: '2025-03-24', percentComplete: 100, actualCost: 15500 })).toBe(15500);
  });
});
