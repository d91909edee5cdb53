import fc from 'fast-check';
import { schedule } from '@pm/shared/scheduling';
import { networkArb } from '@pm/shared/scheduling/testing';
import { triangularMoments } from './distributions';
import { simulateSchedule } from './simulate';
import { chainInput, fs, threePointTask, WEEKDAYS } from './testing/simulation-plans';
import type { SimulationInput, SimulationResult } from './simulation.types';

const dates = (result: SimulationResult): string[] => result.finish.percentiles.map((p) => p.date);

describe('simulation of a plan in progress', () => {
  describe('working calendars', () => {
    // One task of 9.2 to 9.8 working days from Monday 14 April 2025: it ends during its 10th working day.
    // Weekdays only: 14-18 April, then 21-25 April, so Friday 25 April. With Good Friday (18th) and Easter Monday
    // (21st) off, two more working days are needed: Tuesday 29 April.
    const input = (holidays: string[]): SimulationInput => ({
      projectStart: '2025-04-14',
      calendar: { ...WEEKDAYS, holidays },
      tasks: [threePointTask('T', 9.2, 9.5, 9.8, 'triangular')],
      links: [],
      iterations: 2_000,
      seed: 4,
      targetDate: '2025-04-25',
    });
    const plain = simulateSchedule(input([]));
    const easter = simulateSchedule(input(['2025-04-18', '2025-04-21']));

    it('skips the weekend', () => {
      expect(dates(plain)).toEqual(Array(5).fill('2025-04-25'));
      expect(plain.finish.probabilityOfTarget).toBe(1);
    });

    it('moves every percentile date past the holidays, with the same working days sampled', () => {
      expect(easter.finish.percentiles.map((p) => p.workingDays)).toEqual(plain.finish.percentiles.map((p) => p.workingDays));
      expect(dates(easter)).toEqual(Array(5).fill('2025-04-29'));
      expect(easter.finish.probabilityOfTarget).toBe(0);
      expect(easter.finish.histogram).toEqual([{ date: '2025-04-29', count: 2_000, cumulative: 1 }]);
    });

    it("dates the plan's own CPM on the same calendar (10 whole days)", () => {
      expect(plain.planned.finishDate).toBe('2025-04-25');
      expect(easter.planned.finishDate).toBe('2025-04-29');
    });
  });

  describe('actuals fixed at the status date', () => {
    // Weekdays from Monday 6 January 2025. A is done (6-10 Jan). B started Monday 13th and has 6 of its 10 days
    // left on the status date, Wednesday 15th (working day 7). Its estimate (8, 10, 20) describes the whole task,
    // so its remaining work varies as 6/10 of it: 4.8, 6, 12. C has no estimate: the default spread, 4.5 to 6.25.
    const base: SimulationInput = {
      projectStart: '2025-01-06',
      statusDate: '2025-01-15',
      calendar: WEEKDAYS,
      tasks: [
        { id: 'A', duration: 5, progress: { actualStart: '2025-01-06', actualFinish: '2025-01-10' } },
        { id: 'B', duration: 10, estimate: { optimistic: 8, mostLikely: 10, pessimistic: 20 }, distribution: 'triangular', progress: { actualStart: '2025-01-13', remainingDuration: 6 } },
        { id: 'C', duration: 5 },
      ],
      links: [fs('A', 'B'), fs('B', 'C')],
      iterations: 20_000,
      seed: 8,
    };
    const result = simulateSchedule(base);
    const byId = Object.fromEntries(result.tasks.map((t) => [t.id, t]));

    it('never varies a finished task: its estimate changes nothing', () => {
      const withWildEstimate = simulateSchedule({
        ...base,
        tasks: [{ ...base.tasks[0], estimate: { optimistic: 1, mostLikely: 5, pessimistic: 50 } }, ...base.tasks.slice(1)],
      });
      expect(withWildEstimate).toEqual(result);
      expect(byId.A).toEqual({ id: 'A', criticality: 0, sensitivity: 0 });
    });

    it('varies only the remaining work of the task in progress, from the status date', () => {
      // finish = 7 (status date) + B's remaining (triangular 4.8, 6, 12) + C (triangular 4.5, 5, 6.25).
      const remaining = triangularMoments(4.8, 6, 12);
      const c = triangularMoments(4.5, 5, 6.25);
      const standardError = Math.sqrt((remaining.variance + c.variance) / base.iterations);
      expect(Math.abs(result.finish.meanWorkingDays - (7 + remaining.mean + c.mean))).toBeLessThan(5 * standardError);
      expect(result.finish.percentiles[0].workingDays).toBeGreaterThan(7 + 4.8 + 4.5);
      expect(result.finish.percentiles[4].workingDays).toBeLessThan(7 + 12 + 6.25);
      expect(byId.B.criticality).toBe(1);
      expect(byId.C.criticality).toBe(1);
    });
  });

  describe('risk events', () => {
    // A chain of five tasks; the event adds 10 days to the third with probability 0.3, and costs 5,000. Task draws
    // and event draws come from separate streams, so both runs sample the very same durations: on a chain the
    // finish moves by exactly 10 days in the iterations where the event occurs, and the mean by 10 x its rate.
    const tasks = ['T1', 'T2', 'T3', 'T4', 'T5'].map((id) => ({ ...threePointTask(id, 8, 10, 15, 'triangular'), cost: { timeDependent: 10_000 } }));
    const n = 20_000;
    const without = simulateSchedule(chainInput(tasks, n, 21));
    const withEvent = simulateSchedule({
      ...chainInput(tasks, n, 21),
      riskEvents: [{ id: 'vendor-late', probability: 0.3, impacts: [{ taskId: 'T3', days: 10 }], cost: 5_000 }],
    });
    const rate = withEvent.riskEvents[0].occurrence;

    it('occurs at its probability (s.e. √(0.21/20,000) = 0.0032)', () => {
      expect(Math.abs(rate - 0.3)).toBeLessThan(5 * 0.0032);
    });

    it('shifts the mean finish by p x d, exactly 10 x the observed rate', () => {
      expect(withEvent.finish.meanWorkingDays - without.finish.meanWorkingDays).toBeCloseTo(10 * rate, 9);
      expect(Math.abs(withEvent.finish.meanWorkingDays - without.finish.meanWorkingDays - 3)).toBeLessThan(5 * 10 * 0.0032);
    });

    it('adds its cost and the cost of the longer task (1,000 a day) to the iterations it occurs in', () => {
      expect(withEvent.cost.mean - without.cost.mean).toBeCloseTo(rate * (5_000 + 10 * 1_000), 6);
    });

    it('shows in the tornado with a positive sensitivity', () => {
      const bar = withEvent.tornado.find((b) => b.kind === 'risk-event');
      expect(bar?.id).toBe('vendor-late');
      expect(bar?.sensitivity).toBeGreaterThan(0.5);
    });

    it('draws a three-point impact once per occurrence: the mean shift is about p x the impact’s mean', () => {
      const threePoint = simulateSchedule({
        ...chainInput(tasks, n, 21),
        riskEvents: [{ id: 'vendor-late', probability: 0.3, impacts: [{ taskId: 'T3', days: { optimistic: 5, mostLikely: 10, pessimistic: 30 } }] }],
      });
      // Per iteration the shift is I·D, I ~ Bernoulli(0.3), D triangular (5, 10, 30): E = 0.3 x 15 = 4.5 days,
      // Var = 0.3 x E[D²] − 4.5² = 0.3 x (525/18 + 225) − 20.25 = 56, so the s.e. of the mean shift is √(56/n) = 0.053.
      expect(Math.abs(threePoint.finish.meanWorkingDays - without.finish.meanWorkingDays - 0.3 * 15)).toBeLessThan(5 * 0.053);
    });
  });

  describe('cost', () => {
    // Budget 1,000 fixed + 10,000 over a planned 10 days; the duration is triangular (8, 10, 14), so the cost is
    // 1,000 + 1,000 x duration: mean 1,000 + 1,000 x 32/3, and P(cost ≤ budget) = P(duration ≤ 10) = F(10) = 1/3.
    const n = 40_000;
    const result = simulateSchedule(chainInput([{ ...threePointTask('T', 8, 10, 14, 'triangular'), cost: { fixed: 1_000, timeDependent: 10_000 } }], n, 5));

    it('scales the time-dependent budget by sampled / planned duration', () => {
      const { mean, variance } = triangularMoments(8, 10, 14);
      expect(result.planned.cost).toBe(11_000);
      expect(Math.abs(result.cost.mean - (1_000 + 1_000 * mean))).toBeLessThan(5 * 1_000 * Math.sqrt(variance / n));
      expect(Math.abs(result.cost.probabilityWithinBudget - 1 / 3)).toBeLessThan(5 * Math.sqrt((2 / 9) / n));
      expect(result.cost.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(n);
      expect(result.cost.histogram.at(-1)?.cumulative).toBe(1);
    });
  });
});

describe('without uncertainty the simulation is the engine', () => {
  const certain = { optimistic: 0, pessimistic: 0, distribution: 'triangular' } as const;

  it('dates every iteration as schedule() dates the plan (random networks, constraints)', () => {
    fc.assert(
      fc.property(networkArb({ maxTasks: 30, pushConstraints: true }), (plan) => {
        const expected = schedule(plan);
        const result = simulateSchedule({ ...plan, defaultSpread: certain, iterations: 3, seed: 1 });
        expect(result.planned.finishWorkingDays).toBe(expected.projectFinishOffset);
        expect(result.planned.finishDate).toBe(expected.projectFinish);
        expect(dates(result)).toEqual(Array(5).fill(expected.projectFinish));
        expect(result.tasks.map((t) => t.criticality)).toEqual(expected.tasks.map((t) => (t.critical ? 1 : 0)));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the finish offset of plans in progress (random networks with progress, any constraint)', () => {
    fc.assert(
      fc.property(networkArb({ maxTasks: 30, rich: true }), (plan) => {
        let expected;
        try {
          expected = schedule(plan);
        } catch {
          return; // inputs the engine refuses are refused the same way (checked in the determinism spec)
        }
        const result = simulateSchedule({ ...plan, defaultSpread: certain, iterations: 2, seed: 1 });
        expect(result.finish.percentiles.map((p) => p.workingDays)).toEqual(Array(5).fill(expected.projectFinishOffset));
        expect(result.tasks.map((t) => t.criticality)).toEqual(expected.tasks.map((t) => (t.critical ? 1 : 0)));
      }),
      { numRuns: 60 },
    );
  });

  it('dates a finished project on its last actual finish', () => {
    const result = simulateSchedule({
      projectStart: '2025-01-06',
      statusDate: '2025-01-15',
      calendar: WEEKDAYS,
      tasks: [{ id: 'A', duration: 5, progress: { actualStart: '2025-01-06', actualFinish: '2025-01-10' } }],
      links: [],
      iterations: 10,
      seed: 1,
    });
    expect(dates(result)).toEqual(Array(5).fill('2025-01-10'));
  });
});
