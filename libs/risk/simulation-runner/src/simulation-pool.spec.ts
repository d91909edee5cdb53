import { availableParallelism } from 'node:os';
import { simulateSchedule } from '@pm/risk/domain';
import type { SimulationInput } from '@pm/risk/domain';
import { runSimulation, SimulationPool } from './simulation-pool';

/** A small plan with every feature on: blocks of 1,024 iterations, 6 of them for 6,000 iterations. */
const input: SimulationInput = {
  projectStart: '2025-01-06',
  statusDate: '2025-01-08',
  calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: ['2025-01-20'] },
  tasks: [
    { id: 'A', duration: 5, progress: { actualStart: '2025-01-06' }, cost: { timeDependent: 5_000 } },
    { id: 'B', duration: 8, estimate: { optimistic: 6, mostLikely: 8, pessimistic: 15 } },
    { id: 'C', duration: 4, distribution: 'pert', cost: { fixed: 300, timeDependent: 2_000 } },
    { id: 'D', duration: 10, estimate: { optimistic: 7, mostLikely: 9, pessimistic: 16 }, distribution: 'triangular' },
    { id: 'E', duration: 0 },
  ],
  links: [
    { from: 'A', to: 'B', type: 'FS', lag: 0 },
    { from: 'A', to: 'C', type: 'SS', lag: 2 },
    { from: 'B', to: 'E', type: 'FS', lag: 0 },
    { from: 'C', to: 'D', type: 'FF', lag: 1 },
    { from: 'D', to: 'E', type: 'FS', lag: 0 },
  ],
  riskEvents: [{ id: 'R', probability: 0.3, impacts: [{ taskId: 'D', days: { optimistic: 1, mostLikely: 2, pessimistic: 6 } }], cost: 1_000 }],
  correlations: [{ taskIds: ['B', 'D'], coefficient: 0.5 }],
  iterations: 6_000,
  seed: 31,
  targetDate: '2025-02-05',
};

describe('SimulationPool (worker threads)', () => {
  it('gives identical results on 1 and on 2 worker threads, equal to the single-threaded simulation', async () => {
    const one = await runSimulation(input, { threads: 1 });
    const two = await runSimulation(input, { threads: 2 });
    expect(two).toEqual(one);
    expect(one).toEqual(simulateSchedule(input));
  });

  it('uses every core by default, reports progress per block and serves several runs on the same workers', async () => {
    const pool = new SimulationPool();
    const progress: number[] = [];
    try {
      expect(pool.threads).toBe(availableParallelism());
      const first = await pool.run(input, { onProgress: (done) => progress.push(done) });
      const second = await pool.run({ ...input, seed: 32 });
      expect(progress).toHaveLength(6);
      expect(progress.at(-1)).toBe(6_000);
      expect(first).toEqual(simulateSchedule(input));
      expect(second.finish.meanWorkingDays).not.toBe(first.finish.meanWorkingDays);
    } finally {
      await pool.close();
    }
  });

  it('refuses an invalid input before any thread works on it', async () => {
    await expect(runSimulation({ ...input, iterations: 0 }, { threads: 1 })).rejects.toMatchObject({ code: 'SIMULATION_INVALID_INPUT' });
  });

  it('stops on abort', async () => {
    const pool = new SimulationPool({ threads: 1 });
    const controller = new AbortController();
    try {
      const run = pool.run({ ...input, iterations: 200_000 }, { signal: controller.signal, onProgress: () => controller.abort(new Error('cancelled')) });
      await expect(run).rejects.toThrow('cancelled');
    } finally {
      await pool.close();
    }
  });
});
