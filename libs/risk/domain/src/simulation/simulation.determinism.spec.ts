import { seededXoshiro128 } from './random';
import { simulateSchedule } from './simulate';
import { createBlockWorkspace, runSimulationBlock } from './simulation.block';
import { compileSimulation } from './simulation.compile';
import { summarizeSimulation } from './simulation.summary';
import { triangularQuantile } from './distributions';
import { chainInput, fs, spearman, threePointTask } from './testing/simulation-plans';
import type { SimulationInput } from './simulation.types';

const plan: SimulationInput = {
  ...chainInput([], 2_500, 77),
  tasks: [
    threePointTask('A', 2, 4, 9),
    threePointTask('B', 3, 5, 6, 'triangular'),
    { id: 'C', duration: 7, cost: { fixed: 10, timeDependent: 700 } },
    { id: 'D', duration: 3 },
  ],
  links: [fs('A', 'B'), fs('B', 'C'), fs('A', 'D')],
  riskEvents: [{ id: 'R', probability: 0.25, impacts: [{ taskId: 'D', days: { optimistic: 1, mostLikely: 3, pessimistic: 12 } }], cost: 100 }],
  correlations: [{ taskIds: ['A', 'B'], coefficient: 0.6 }],
  targetDate: '2025-01-20',
};

describe('determinism', () => {
  it('gives the same result for the same input and seed', () => {
    expect(simulateSchedule(plan)).toEqual(simulateSchedule(plan));
  });

  it('gives another sample for another seed', () => {
    expect(simulateSchedule({ ...plan, seed: 78 }).finish.meanWorkingDays).not.toBe(simulateSchedule(plan).finish.meanWorkingDays);
  });

  it('does not depend on the order blocks are run in, nor on which workspace (thread) runs them', () => {
    const sim = compileSimulation(plan);
    expect(sim.blockCount).toBe(3); // 1,024 + 1,024 + 452 iterations
    const blocks = [2, 0, 1].map((block) => runSimulationBlock(compileSimulation(plan), block, createBlockWorkspace(sim)));
    expect(summarizeSimulation(sim, blocks)).toEqual(simulateSchedule(plan));
  });

  it('refuses a merge with a block missing', () => {
    const sim = compileSimulation(plan);
    expect(() => summarizeSimulation(sim, [runSimulationBlock(sim, 0)])).toThrow(RangeError);
  });
});

describe('sensitivity (Spearman, with the finish ranked within blocks of iterations)', () => {
  it('is 1 for the only task of a plan', () => {
    const result = simulateSchedule(chainInput([threePointTask('T', 1, 2, 6)], 5_000, 2));
    expect(result.tasks[0].sensitivity).toBeGreaterThan(0.999);
  });

  it('matches the Spearman ρ of the whole sample computed directly, to 0.02', () => {
    // X triangular (2, 5, 20) then Y triangular (4, 5, 6) in a chain: the finish is X + Y. A direct computation of
    // Spearman(X, X + Y) and Spearman(Y, X + Y) over 100,000 independent draws is the reference; its s.e. and the
    // simulation's (20,000 iterations) are both below 0.005.
    const result = simulateSchedule(chainInput([threePointTask('X', 2, 5, 20, 'triangular'), threePointTask('Y', 4, 5, 6, 'triangular')], 20_000, 6));
    const random = seededXoshiro128(1);
    const n = 100_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const sum = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = triangularQuantile(2, 5, 20, random.nextUniform());
      y[i] = triangularQuantile(4, 5, 6, random.nextUniform());
      sum[i] = x[i] + y[i];
    }
    const [sx, sy] = result.tasks.map((t) => t.sensitivity as number);
    expect(Math.abs(sx - spearman(x, sum))).toBeLessThan(0.02);
    expect(Math.abs(sy - spearman(y, sum))).toBeLessThan(0.02);
    expect(result.tornado.map((b) => b.id)).toEqual(['X', 'Y']);
  });

  it('is about 0 for a task with so much float that it never drives the finish (s.e. 1/√n = 0.007)', () => {
    const result = simulateSchedule({
      ...chainInput([threePointTask('long', 50, 60, 80)], 20_000, 9),
      tasks: [threePointTask('long', 50, 60, 80), threePointTask('short', 1, 2, 9)],
    });
    expect(Math.abs(result.tasks[1].sensitivity as number)).toBeLessThan(0.03);
    expect(result.tasks[1].criticality).toBe(0);
  });
});

describe('input validation', () => {
  const run = (change: Partial<SimulationInput>) => () => simulateSchedule({ ...plan, ...change });
  it.each([
    ['iterations', { iterations: 0 }],
    ['iterations', { iterations: 1_000_001 }],
    ['seed', { seed: 1.5 }],
    ['percentiles[0]', { percentiles: [100] }],
    ['defaultSpread.optimistic', { defaultSpread: { optimistic: 0.1, pessimistic: 0.2, distribution: 'pert' } }],
    ['riskEvents[0].probability', { riskEvents: [{ id: 'R', probability: 1.2 }] }],
    ['riskEvents[0].impacts[0].taskId', { riskEvents: [{ id: 'R', probability: 0.2, impacts: [{ taskId: 'nope', days: 1 }] }] }],
    ['riskEvents[1].id', { riskEvents: [{ id: 'R', probability: 0.2 }, { id: 'R', probability: 0.1 }] }],
    ['tasks[0].estimate', { tasks: [{ id: 'A', duration: 4, estimate: { optimistic: 5, mostLikely: 4, pessimistic: 9 } }, ...plan.tasks.slice(1)] }],
    ['tasks[3].distribution', { tasks: [...plan.tasks.slice(0, 3), { id: 'D', duration: 3, distribution: 'normal' }] }],
    ['targetDate', { targetDate: '2025-02-30' }],
  ])('refuses a bad %s', (path, change) => {
    expect(run(change as Partial<SimulationInput>)).toThrow(expect.objectContaining({ code: 'SIMULATION_INVALID_INPUT', details: { path } }));
  });

  it("passes the scheduling engine's own errors through (a cycle)", () => {
    expect(run({ links: [fs('A', 'B'), fs('B', 'A')] })).toThrow(expect.objectContaining({ code: 'SCHEDULE_CYCLE' }));
  });
});
