import fc from 'fast-check';
import { createPassBuffers, runPasses, runPassesInto } from './cpm.passes';
import { compileSchedule } from './schedule.compile';
import { networkArb } from './testing/network.arbitraries';

const everyDay = { workingWeekdays: [0, 1, 2, 3, 4, 5, 6], hoursPerDay: 8, holidays: [] };

describe('runPassesInto (the passes into reused buffers, as a Monte Carlo runs them)', () => {
  it('gives exactly what runPasses gives, whatever the buffers held before', () => {
    fc.assert(
      fc.property(networkArb({ maxTasks: 25, rich: true }), fc.integer({ min: -50, max: 50 }), (input, garbage) => {
        let compiled;
        try {
          compiled = compileSchedule(input);
        } catch {
          return; // an input the engine rejects has no passes to compare
        }
        const fresh = runPasses(compiled.network, compiled.plan);
        const buffers = createPassBuffers(compiled.network.taskCount);
        for (const array of Object.values(buffers)) array.fill(garbage);
        const finish = runPassesInto(compiled.network, compiled.plan, buffers);
        expect(finish).toBe(fresh.projectFinish);
        expect({ ...buffers, projectFinish: finish }).toEqual(fresh);
      }),
      { numRuns: 200 },
    );
  });

  it('takes fractional sampled durations and remaining work', () => {
    // a (in progress since day 0, status day 2, 3 days left) -FS-> b (1.5 days) -FF+1-> c (2.25 days)
    const compiled = compileSchedule({
      projectStart: '2025-01-01',
      statusDate: '2025-01-03',
      calendar: everyDay,
      tasks: [
        { id: 'a', duration: 5, progress: { actualStart: '2025-01-01', remainingDuration: 3 } },
        { id: 'b', duration: 1 },
        { id: 'c', duration: 2 },
      ],
      links: [
        { from: 'a', to: 'b', type: 'FS', lag: 0 },
        { from: 'b', to: 'c', type: 'FF', lag: 1 },
      ],
    });
    const buffers = createPassBuffers(3);
    expect(runPassesInto(compiled.network, compiled.plan, buffers)).toBe(2 + 3 + 1 + 1);

    const durations = Float64Array.of(0, 1.5, 2.25);
    const remaining = Float64Array.of(0.75, 0, 0);
    // a ends at 2 + 0.75; b runs 2.75 -> 4.25; c finishes at 4.25 + 1 and so starts at 5.25 - 2.25 = 3.
    expect(runPassesInto(compiled.network, compiled.plan, buffers, durations, remaining)).toBe(5.25);
    expect(Array.from(buffers.earlyStart)).toEqual([0, 2.75, 3]);
    expect(Array.from(buffers.totalFloat)).toEqual([0, 0, 0]);
  });
});
