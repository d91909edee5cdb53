import { simulateSchedule } from '@pm/risk/domain';
import type { SimulationInput } from '@pm/risk/domain';
import { MAX_RESULT_TASKS, boundedResult, summaryOf } from './simulation.result';

const calendar = { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] };
/** Many parallel tasks after one long one: more tasks than the result lists. */
const input: SimulationInput = {
  projectStart: '2026-03-02',
  calendar,
  tasks: [
    { id: 'long', duration: 10, estimate: { optimistic: 8, mostLikely: 10, pessimistic: 20 } },
    ...Array.from({ length: MAX_RESULT_TASKS + 5 }, (_, i) => ({ id: `t${String(i).padStart(3, '0')}`, duration: 2 })),
  ],
  links: Array.from({ length: MAX_RESULT_TASKS + 5 }, (_, i) => ({ from: 'long', to: `t${String(i).padStart(3, '0')}`, type: 'FS' as const, lag: 0 })),
  iterations: 200,
  seed: 11,
  targetDate: '2026-03-20',
};

describe('Simulation result kept on the job and its summary event', () => {
  const result = simulateSchedule(input);

  it('lists the most critical tasks first, bounded, and counts the rest', () => {
    const bounded = boundedResult(result);
    expect(bounded.criticality).toHaveLength(MAX_RESULT_TASKS);
    expect(bounded.tasksOmitted).toBe(6);
    expect(bounded.criticality[0]).toMatchObject({ taskId: 'long', criticality: 1 });
    expect(bounded.tornado.length).toBeLessThanOrEqual(20);
  });

  it('summarises P50, P80 and P90 from the percentiles the engine reports', () => {
    const summary = summaryOf('p-1', 'job-1', result, { statusDate: null, tasks: input.tasks.length, targetDate: '2026-03-20' });
    const at = (p: number) => result.finish.percentiles.find((x) => x.percentile === p)?.date;
    expect(summary).toMatchObject({ p50Finish: at(50), p80Finish: at(80), p90Finish: at(90), plannedFinish: result.planned.finishDate, probabilityOfTarget: result.finish.probabilityOfTarget });
    expect(summary.finish).toHaveLength(5);
  });
});
