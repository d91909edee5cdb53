import { schedule } from '@pm/shared/scheduling';
import { normalCdf, pertMoments, textbookPertVariance } from './distributions';
import { simulateSchedule } from './simulate';
import { EVERY_DAY, fs } from './testing/simulation-plans';
import type { SimulationInput, ThreePointEstimate } from './simulation.types';

/*
 * Hillier & Lieberman, Introduction to Operations Research, chapter "Project Management with PERT/CPM": the
 * Reliable Construction Co. project (a 14-activity house, weeks). The book's three-point estimates (o, m, p) and
 * its PERT analysis: mean duration (o + 4m + p)/6, variance ((p − o)/6)², the mean critical path A-B-C-E-F-J-L-N
 * of 44 weeks with variance 9, and P(project ≤ 47 weeks) ≈ P(Z ≤ (47 − 44)/3) = Φ(1) ≈ 0.84, which the book
 * itself calls optimistic because it ignores the other paths. The network is the one schedule.textbook.spec.ts
 * checks in the scheduling library.
 */
const estimates: Record<string, [number, number, number]> = {
  A: [1, 2, 3],
  B: [2, 3.5, 8],
  C: [6, 9, 18],
  D: [4, 5.5, 10],
  E: [1, 4.5, 5],
  F: [4, 4, 10],
  G: [5, 6.5, 11],
  H: [5, 8, 17],
  I: [3, 7.5, 9],
  J: [3, 9, 9],
  K: [4, 4, 4],
  L: [1, 5.5, 7],
  M: [1, 2, 3],
  N: [5, 5.5, 9],
};
const predecessors: Record<string, string[]> = {
  B: ['A'], C: ['B'], D: ['C'], E: ['C'], F: ['E'], G: ['D'], H: ['E', 'G'], I: ['C'], J: ['F', 'I'], K: ['J'], L: ['J'], M: ['H'], N: ['K', 'L'],
};
const links = Object.entries(predecessors).flatMap(([to, froms]) => froms.map((from) => fs(from, to)));
const estimate = (id: string): ThreePointEstimate => {
  const [optimistic, mostLikely, pessimistic] = estimates[id];
  return { optimistic, mostLikely, pessimistic };
};
const pertMean = (id: string): number => pertMoments(...estimates[id]).mean;

describe('Reliable Construction Co. (Hillier & Lieberman): PERT against Monte Carlo', () => {
  describe("PERT's single-critical-path analysis, as the book does it", () => {
    // The shared engine on the PERT mean durations (all whole weeks here) finds the mean critical path.
    const pert = schedule({
      projectStart: '2025-01-01',
      calendar: EVERY_DAY,
      tasks: Object.keys(estimates).map((id) => ({ id, duration: pertMean(id) })),
      links,
    });
    const path = pert.criticalPaths[0];
    const variance = path.reduce((sum, id) => sum + textbookPertVariance(estimate(id)), 0);

    it('finds the 44-week path A-B-C-E-F-J-L-N with variance 9 and P(≤ 47 weeks) ≈ 0.84', () => {
      expect(pert.projectFinishOffset).toBe(44);
      expect(pert.criticalPaths).toEqual([['A', 'B', 'C', 'E', 'F', 'J', 'L', 'N']]);
      expect(variance).toBeCloseTo(9, 12);
      expect(normalCdf((47 - 44) / Math.sqrt(variance))).toBeCloseTo(0.8413, 4);
    });
  });

  describe('the Monte Carlo of the same estimates (PERT-beta durations, 20,000 iterations)', () => {
    const input: SimulationInput = {
      projectStart: '2025-01-01',
      calendar: EVERY_DAY,
      tasks: Object.keys(estimates).map((id) => ({ id, duration: pertMean(id), estimate: estimate(id) })),
      links,
      iterations: 20_000,
      seed: 2025,
      // Week 47 ends on day index 46 of an every-day calendar starting 2025-01-01.
      targetDate: '2025-02-16',
    };
    const result = simulateSchedule(input);

    /*
     * Merge bias: the project ends at the latest of its paths, and E[max(X, Y)] ≥ max(E[X], E[Y]). In iterations
     * where a near-critical path (D-G-H-M has 4 weeks of slack, I 2, K 1) runs long, it and not A-…-N sets the
     * finish, so the simulated mean is later than PERT's 44 weeks and the chance of 47 weeks lower than 0.84.
     * Standard errors with 20,000 iterations: mean ≈ 3/√20,000 = 0.02 weeks, a probability ≤ 0.0036.
     */
    it('finishes later on average than PERT says (merge bias), by well over the standard error', () => {
      expect(result.planned.finishWorkingDays).toBe(44);
      expect(result.finish.meanWorkingDays).toBeGreaterThan(44 + 5 * 0.02);
      expect(result.finish.meanWorkingDays).toBeLessThan(45);
    });

    it('gives a lower chance of finishing within 47 weeks than PERT’s 0.84', () => {
      expect(result.finish.probabilityOfTarget).toBeLessThan(0.8413 - 5 * 0.0036);
      expect(result.finish.probabilityOfTarget).toBeGreaterThan(0.7);
    });

    it('finds the paths that take over: A, B, C always critical, the D-G-H-M branch sometimes, K and I rarely', () => {
      const criticality = Object.fromEntries(result.tasks.map((t) => [t.id, t.criticality as number]));
      expect([criticality.A, criticality.B, criticality.C]).toEqual([1, 1, 1]);
      expect(criticality.D).toBeGreaterThan(0.05);
      expect(criticality.D).toBeLessThan(criticality.E);
      expect(criticality.G).toBe(criticality.D);
      expect(criticality.M).toBe(criticality.H);
      expect(criticality.I).toBeLessThan(criticality.F);
      expect(criticality.K).toBeLessThan(criticality.L);
    });

    it('ranks C, the most uncertain task on the path that is almost always critical, first in the tornado', () => {
      expect(result.tornado[0]).toEqual({ kind: 'task', id: 'C', sensitivity: expect.any(Number) });
      expect(result.tasks.find((t) => t.id === 'K')?.sensitivity).toBe(0); // K's estimate is 4, 4, 4: it does not vary
    });
  });
});
