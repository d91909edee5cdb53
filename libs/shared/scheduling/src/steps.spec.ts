import { schedule, scheduleInSteps } from './schedule';
import type { ScheduleInput } from './schedule.types';
import { STEP_ITERATIONS } from './steps';

/** A chain of `n` one-day tasks: every task critical, one path through all of them. */
function chain(n: number): ScheduleInput {
  const ids = Array.from({ length: n }, (_, i) => `T${String(i).padStart(6, '0')}`);
  return {
    projectStart: '2025-01-06',
    calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] },
    tasks: ids.map((id) => ({ id, duration: 1 })),
    links: ids.slice(1).map((id, i) => ({ from: ids[i], to: id, type: 'FS' as const, lag: 0 })),
  };
}

describe('scheduleInSteps', () => {
  it('pauses within every loop over a large plan and gives what schedule gives', () => {
    const n = 6 * STEP_ITERATIONS;
    const input = chain(n);
    const steps = scheduleInSteps(input, { maxCriticalPathTasks: 1000 });
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    expect(step.value).toEqual(schedule(input, { maxCriticalPathTasks: 1000 }));
    expect(step.value.tasks).toHaveLength(n);
    // Each loop over the tasks, the links or the project's days (about ten of them, from indexing the ids to
    // ranking the critical tasks) pauses n / STEP_ITERATIONS times; the three phases alone paused 3 times.
    expect(pauses).toBeGreaterThanOrEqual(10 * (n / STEP_ITERATIONS));
  });

  it('pauses only between phases for a plan smaller than one stretch, whatever its size', () => {
    const pausesOf = (input: ScheduleInput) => {
      const steps = scheduleInSteps(input);
      let pauses = 0;
      while (!steps.next().done) pauses++;
      return pauses;
    };
    expect(pausesOf(chain(STEP_ITERATIONS / 2))).toBe(pausesOf(chain(10)));
  });
});
