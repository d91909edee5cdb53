import { pertMoments, triangularQuantile } from './distributions';
import { simulateSchedule } from './simulate';
import { chainInput, EVERY_DAY, fs, threePointTask } from './testing/simulation-plans';
import type { SimulationInput } from './simulation.types';

/*
 * Each tolerance below is set against the estimator's standard error for the iteration count used, quoted in the
 * test, so a change of seed keeps the test green while a real bias of the size of the tolerance turns it red.
 */

describe('simulation against closed-form results', () => {
  describe('a chain of independent PERT tasks', () => {
    // The sum of independent durations has the sum of their means and variances. PERT-beta moments: mean
    // (a + 4m + b)/6, variance (μ − a)(b − μ)/7 (Vose, Risk Analysis, 3rd ed., "PERT"). The estimates are
    // Reliable Construction's critical path (Hillier & Lieberman): Σ means = 44, Σ variances = 65/7.
    const estimates: [string, number, number, number][] = [
      ['A', 1, 2, 3],
      ['B', 2, 3.5, 8],
      ['C', 6, 9, 18],
      ['E', 1, 4.5, 5],
      ['F', 4, 4, 10],
      ['J', 3, 9, 9],
      ['L', 1, 5.5, 7],
      ['N', 5, 5.5, 9],
    ];
    const n = 50_000;
    const result = simulateSchedule(chainInput(estimates.map(([id, a, m, b]) => threePointTask(id, a, m, b)), n));
    const mean = estimates.reduce((sum, [, a, m, b]) => sum + pertMoments(a, m, b).mean, 0);
    const variance = estimates.reduce((sum, [, a, m, b]) => sum + pertMoments(a, m, b).variance, 0);

    it('has the sum of the means within 1% (standard error of the mean: √(9.29/50,000) = 0.014 days, 0.03%)', () => {
      expect(mean).toBeCloseTo(44, 12);
      expect(Math.abs(result.finish.meanWorkingDays / mean - 1)).toBeLessThan(0.01);
    });

    it('has the sum of the variances within 3% (standard error of a sample variance ≈ √(2/n) = 0.63%; rounding to 1/64 day adds 0.002%)', () => {
      expect(variance).toBeCloseTo(65 / 7, 12);
      expect(Math.abs(result.finish.standardDeviationWorkingDays ** 2 / variance - 1)).toBeLessThan(0.03);
    });

    it('makes every task of a chain critical in every iteration', () => {
      expect(result.tasks.map((t) => t.criticality)).toEqual(estimates.map(() => 1));
    });
  });

  describe('one triangular task (10, 20, 40)', () => {
    // Quantiles of the triangle: a + √(p(b−a)(m−a)) below the mode (F(m) = 1/3), b − √((1−p)(b−a)(b−m)) above.
    // Standard error of a sample p-quantile: √(p(1−p)/n)/f(x_p); with n = 100,000 it is 0.026 days at P10
    // (1% = 0.155, 6 s.e.) and at most 0.038 elsewhere (1% ≥ 0.22).
    const n = 100_000;
    const result = simulateSchedule(chainInput([threePointTask('T', 10, 20, 40, 'triangular')], n, 3));

    it.each([10, 50, 80, 90, 95])('has P%d within 1% of the analytic quantile', (p) => {
      const simulated = result.finish.percentiles.find((x) => x.percentile === p)?.workingDays as number;
      const analytic = triangularQuantile(10, 20, 40, p / 100);
      expect(Math.abs(simulated / analytic - 1)).toBeLessThan(0.01);
    });
  });

  describe('two identical independent parallel paths', () => {
    // The project ends with the later path: P(max ≤ x) = F(x)², so its p-quantile is F⁻¹(√p) (the maximum of two
    // independent variables, e.g. David & Nagaraja, Order Statistics, §2.1), and E[max] = a + ∫ₐᵇ (1 − F(x)²) dx.
    // With n = 100,000 the s.e. of the quantiles is ≤ 0.03 days and of the mean 0.02 days, against 1% ≥ 0.19.
    const n = 100_000;
    const input: SimulationInput = {
      projectStart: '2025-01-01',
      calendar: EVERY_DAY,
      tasks: [
        { id: 'start', duration: 0 },
        threePointTask('P', 10, 20, 40, 'triangular'),
        threePointTask('Q', 10, 20, 40, 'triangular'),
        { id: 'end', duration: 0 },
      ],
      links: [fs('start', 'P'), fs('start', 'Q'), fs('P', 'end'), fs('Q', 'end')],
      iterations: n,
      seed: 11,
    };
    const result = simulateSchedule(input);
    const cdf = (x: number): number => (x <= 20 ? (x - 10) ** 2 / 300 : 1 - (40 - x) ** 2 / 600);

    it.each([10, 50, 80, 90, 95])('has P%d of the finish within 1% of F⁻¹(√p)', (p) => {
      const simulated = result.finish.percentiles.find((x) => x.percentile === p)?.workingDays as number;
      const analytic = triangularQuantile(10, 20, 40, Math.sqrt(p / 100));
      expect(Math.abs(simulated / analytic - 1)).toBeLessThan(0.01);
    });

    it('has the mean of the maximum within 1%', () => {
      let integral = 0;
      const steps = 100_000;
      for (let i = 0; i < steps; i++) integral += (1 - cdf(10 + (30 * (i + 0.5)) / steps) ** 2) * (30 / steps);
      expect(Math.abs(result.finish.meanWorkingDays / (10 + integral) - 1)).toBeLessThan(0.01);
    });

    it('makes each path critical about half the time (s.e. √(0.25/n) = 0.0016) and the milestones always', () => {
      const criticality = Object.fromEntries(result.tasks.map((t) => [t.id, t.criticality]));
      expect(criticality.start).toBe(1);
      expect(criticality.end).toBe(1);
      expect(Math.abs((criticality.P as number) - 0.5)).toBeLessThan(0.01);
      // Both are critical only on a tie (durations are kept to 1/64 day).
      expect((criticality.P as number) + (criticality.Q as number)).toBeGreaterThanOrEqual(1);
      expect((criticality.P as number) + (criticality.Q as number)).toBeLessThan(1.01);
    });
  });
});
