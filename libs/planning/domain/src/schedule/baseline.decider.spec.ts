import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from './schedule.decider';
import type { TaskDates } from './schedule.commands';
import { BASELINE_PART_TASKS } from './baseline.decisions';
import type { OpenedSchedule } from './schedule.state';
import { added, baselineWbs as wbs, baseline0 as saved, baselineTaskDates as taskDates, meta, projectId, scheduleOpened, taskDatesOf } from './schedule.spec-fixtures';

const spec = deciderSpecification(scheduleDecider);
const save = (baselineNumber: number, dates: Record<string, TaskDates> = taskDates, overwrite?: boolean) => ({
  type: 'SaveBaseline' as const,
  data: { projectId, baselineNumber, taskDates: taskDatesOf(dates), ...(overwrite === undefined ? {} : { overwrite }) },
  metadata: meta,
});
describe('Schedule', () => {
  describe('when saving a baseline', () => {
    it('captures dates, duration, work and cost of every task, with summaries rolled up', () => {
      spec.given(wbs).when(save(0)).then([saved]);
    });

    it('does nothing when the same baseline is saved again', () => {
      spec.given([...wbs, saved]).when(save(0)).thenNothingHappens();
    });

    it('rejects saving over a different baseline unless asked to overwrite', () => {
      const slipped = { ...taskDates, code: { start: '2025-03-11', finish: '2025-03-24' } };
      spec.given([...wbs, saved]).when(save(0, slipped)).thenRejects('BASELINE_ALREADY_SAVED', 'conflict');
      const [event] = spec.given([...wbs, saved]).when(save(0, slipped, true)).events();
      expect(event).toMatchObject({ type: 'BaselineSaved', data: { baselineNumber: 0 } });
    });

    it('saves baseline 10 and rejects 11', () => {
      expect(spec.given(wbs).when(save(10)).events()).toHaveLength(1);
      spec.given(wbs).when(save(11)).thenRejects('BASELINE_NUMBER_INVALID', 'invalid');
    });

    it('rejects dates that do not cover the WBS', () => {
      const { code: _code, ...missing } = taskDates;
      void _code;
      const error = spec.given(wbs).when(save(1, missing)).thenRejectsWith('BASELINE_DATES_MISSING');
      expect(error.details).toEqual({ taskIds: ['code'] });
      spec.given(wbs).when(save(1, { ...taskDates, ghost: { start: '2025-03-03', finish: '2025-03-03' } })).thenRejects('BASELINE_UNKNOWN_TASK');
      spec.given(wbs).when(save(1, { ...taskDates, code: { start: '2025-03-21', finish: '2025-03-10' } })).thenRejects('BASELINE_DATES_INVALID');
      spec.given([scheduleOpened]).when(save(1, {})).thenRejects('BASELINE_OF_EMPTY_SCHEDULE');
    });
  });

  describe('when the plan is large', () => {
    const many = [scheduleOpened, ...Array.from({ length: BASELINE_PART_TASKS + 500 }, (_, i) => added(`t${i}`, 'task', null, i))];

    it('saves it in parts no bigger than BASELINE_PART_TASKS, which fold back into one baseline', () => {
      const events = spec.given(many).when({ type: 'SaveBaseline', data: { projectId, baselineNumber: 2 }, metadata: meta }).events();
      expect(events.map((e) => e.type)).toEqual(['BaselineSaved', 'BaselineExtended']);
      expect(events.map((e) => (e.type === 'BaselineSaved' || e.type === 'BaselineExtended' ? e.data.tasks.length : 0))).toEqual([BASELINE_PART_TASKS, 500]);
      const state = [...many, ...events].reduce(scheduleDecider.evolve, scheduleDecider.initialState()) as OpenedSchedule;
      expect(state.baselines.get(2)?.tasks.size).toBe(BASELINE_PART_TASKS + 500);
      // Saving the same baseline again compares all of its parts: nothing to do.
      spec.given([...many, ...events]).when({ type: 'SaveBaseline', data: { projectId, baselineNumber: 2 }, metadata: meta }).thenNothingHappens();
    });
  });

  describe('when clearing a baseline', () => {
    it('clears it, and does nothing when it is not there', () => {
      spec.given([...wbs, saved]).when({ type: 'ClearBaseline', data: { projectId, baselineNumber: 0 }, metadata: meta }).then([
        { type: 'BaselineCleared', data: { projectId, baselineNumber: 0 } },
      ]);
      spec.given(wbs).when({ type: 'ClearBaseline', data: { projectId, baselineNumber: 0 }, metadata: meta }).thenNothingHappens();
    });

    it('rejects an invalid number', () => {
      spec.given(wbs).when({ type: 'ClearBaseline', data: { projectId, baselineNumber: -1 }, metadata: meta }).thenRejects('BASELINE_NUMBER_INVALID');
    });
  });
});
