import { compileCorrelation, correlateGrades } from './correlation';
import type { SlotPair } from './correlation';
import { seededXoshiro128 } from './random';
import { simulateSchedule } from './simulate';
import { chainInput, spearman, threePointTask } from './testing/simulation-plans';

/** n grade vectors of `slots` independent uniforms, then correlated; returns one column per slot. */
function correlatedColumns(slots: number, pairs: SlotPair[], n: number): { columns: Float64Array[]; shrinkage: number } {
  const correlation = compileCorrelation(slots, pairs);
  if (!correlation) throw new Error('no correlation compiled');
  const random = seededXoshiro128(12);
  const grades = new Float64Array(slots);
  const normals = new Float64Array(correlation.members.length);
  const scratch = new Float64Array(correlation.members.length);
  const columns = Array.from({ length: slots }, () => new Float64Array(n));
  for (let t = 0; t < n; t++) {
    for (let s = 0; s < slots; s++) grades[s] = random.nextUniform();
    correlateGrades(correlation, grades, normals, scratch);
    for (let s = 0; s < slots; s++) columns[s][t] = grades[s];
  }
  return { columns, shrinkage: correlation.shrinkage };
}

describe('rank correlation (Gaussian copula on the grades)', () => {
  // The s.e. of a sample Spearman ρ near 0.7 with n = 20,000 is about (1 − ρ²)/√n ≈ 0.004; the tolerance is 0.02.
  const n = 20_000;
  const pairs: SlotPair[] = [
    { a: 0, b: 1, rho: 0.7 },
    { a: 2, b: 3, rho: 0.5 },
    { a: 2, b: 4, rho: 0.5 },
    { a: 3, b: 4, rho: 0.5 },
    { a: 0, b: 4, rho: -0.3 },
  ];
  const { columns, shrinkage } = correlatedColumns(6, pairs, n);

  it.each(pairs.map((p) => [p.a, p.b, p.rho]))('gives slots %d and %d the requested Spearman ρ = %d', (a, b, rho) => {
    expect(Math.abs(spearman(columns[a], columns[b]) - rho)).toBeLessThan(0.02);
  });

  it('leaves unrelated pairs and slots independent, and every grade uniform', () => {
    expect(shrinkage).toBe(0);
    expect(Math.abs(spearman(columns[1], columns[2]))).toBeLessThan(0.1); // induced through 0-4 and 4-2: about -0.3 x 0.5 x 0.7
    for (let s = 0; s < 5; s++) expect(Math.abs(spearman(columns[s], columns[5]))).toBeLessThan(0.03);
    for (const column of columns) {
      const mean = column.reduce((x, y) => x + y, 0) / n;
      const belowTenth = column.filter((u) => u < 0.1).length / n;
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // s.e. √(1/12/n) = 0.002
      expect(Math.abs(belowTenth - 0.1)).toBeLessThan(0.01); // s.e. √(0.09/n) = 0.002
    }
  });

  it('shrinks contradictory coefficients towards independence until they are consistent', () => {
    // A~B 0.9 and B~C 0.9 force A~C to be strongly positive; -0.9 is impossible.
    const contradiction = correlatedColumns(3, [
      { a: 0, b: 1, rho: 0.9 },
      { a: 1, b: 2, rho: 0.9 },
      { a: 0, b: 2, rho: -0.9 },
    ], 5_000);
    expect(contradiction.shrinkage).toBeGreaterThan(0.3);
    expect(contradiction.shrinkage).toBeLessThan(1);
    const [a, b, c] = contradiction.columns;
    expect(spearman(a, b)).toBeGreaterThan(0);
    expect(spearman(a, b)).toBeLessThan(0.9);
    expect(spearman(a, c)).toBeLessThan(0);
  });

  it('widens the spread of a chain: the standard deviation of a sum of 10 equal tasks grows by √(1 + 9ρ)', () => {
    // Var(Σ) = Σσ² + Σ_{i≠j} ρ_P σ² = 10σ²(1 + 9ρ_P), ρ_P the Pearson correlation of the durations. For uniform
    // marginals it equals the Spearman ρ asked; for this symmetric triangle it is 0.811 (measured on 400,000
    // pairs), so the ratio is √(1 + 9 x 0.811) = 2.88, within 1% of √(1 + 9 x 0.8) = 2.86. The s.e. of each
    // standard deviation is about 0.5% here; the tolerance is 5%.
    const tasks = Array.from({ length: 10 }, (_, i) => threePointTask(`T${i}`, 8, 10, 12, 'triangular'));
    const independent = simulateSchedule(chainInput(tasks, 20_000, 3));
    const correlated = simulateSchedule({ ...chainInput(tasks, 20_000, 3), correlations: [{ taskIds: tasks.map((t) => t.id), coefficient: 0.8 }] });
    const ratio = correlated.finish.standardDeviationWorkingDays / independent.finish.standardDeviationWorkingDays;
    expect(Math.abs(ratio / Math.sqrt(1 + 9 * 0.8) - 1)).toBeLessThan(0.05);
    // The mean does not move: correlation changes the joint behaviour, not the marginals.
    expect(Math.abs(correlated.finish.meanWorkingDays - independent.finish.meanWorkingDays)).toBeLessThan(0.1);
    expect(correlated.correlationShrinkage).toBe(0);
  });

  it('refuses unknown tasks, a task listed twice and a pair given two coefficients', () => {
    const tasks = [threePointTask('A', 1, 2, 3), threePointTask('B', 1, 2, 3), threePointTask('C', 1, 2, 3)];
    const run = (correlations: { taskIds: string[]; coefficient: number }[]) => () => simulateSchedule({ ...chainInput(tasks, 10), correlations });
    expect(run([{ taskIds: ['A', 'Z'], coefficient: 0.5 }])).toThrow(expect.objectContaining({ code: 'SIMULATION_INVALID_INPUT', details: { path: 'correlations[0].taskIds[1]' } }));
    expect(run([{ taskIds: ['A', 'A'], coefficient: 0.5 }])).toThrow(expect.objectContaining({ details: { path: 'correlations[0].taskIds' } }));
    expect(run([{ taskIds: ['A', 'B'], coefficient: 0.5 }, { taskIds: ['C', 'B', 'A'], coefficient: 0.4 }])).toThrow(/second, different coefficient/);
    expect(run([{ taskIds: ['A', 'B'], coefficient: 1.5 }])).toThrow(expect.objectContaining({ details: { path: 'correlations[0].coefficient' } }));
  });
});
