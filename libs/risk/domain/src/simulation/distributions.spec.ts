import {
  normalCdf,
  normalQuantile,
  PERT,
  PERT_COLUMNS,
  pertMoments,
  pertQuantileTable,
  TRIANGULAR,
  triangularMoments,
  triangularQuantile,
} from './distributions';
import { quantilesInto, ThreePointSet } from './three-point.set';

/** Mean and variance of a three-point quantity, integrated over the grade with the midpoint rule (2^20 points). */
function integratedMoments(a: number, m: number, b: number, kind: number): { mean: number; variance: number } {
  const n = 1 << 20;
  const chunk = 4096;
  const set = new ThreePointSet(chunk);
  for (let i = 0; i < chunk; i++) set.set(i, a, m, b, kind);
  const grades = new Float64Array(chunk);
  const values = new Float64Array(chunk);
  let sum = 0;
  let squares = 0;
  for (let start = 0; start < n; start += chunk) {
    for (let i = 0; i < chunk; i++) grades[i] = (start + i + 0.5) / n;
    quantilesInto(set, grades, values, chunk, pertQuantileTable());
    for (const x of values) {
      sum += x;
      squares += x * x;
    }
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean };
}

describe('normal distribution', () => {
  // Standard normal table values (Abramowitz & Stegun, Handbook of Mathematical Functions, Table 26.1).
  it.each([
    [-3, 0.0013498980316],
    [-1.5, 0.0668072012689],
    [0, 0.5],
    [1, 0.8413447460685],
    [2, 0.9772498680518],
  ])('Φ(%d) = %d to 2e-7', (z, p) => {
    expect(Math.abs(normalCdf(z) - p)).toBeLessThan(2e-7);
  });

  it.each([
    [0.001, -3.090232306168],
    [0.1, -1.281551565545],
    [0.5, 0],
    [0.975, 1.959963984540],
    [0.999999, 4.753424308817],
  ])('Φ⁻¹(%d) = %d to a relative 1.2e-9 (Acklam)', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1.2e-9 * Math.max(1, Math.abs(z)));
  });
});

describe('triangular distribution', () => {
  it('has the closed-form quantiles and moments (Evans, Hastings & Peacock)', () => {
    // a = 10, m = 20, b = 40: F(m) = 1/3; Q(0.1) = 10 + √(0.1·30·10); Q(0.95) = 40 − √(0.05·30·20).
    expect(triangularQuantile(10, 20, 40, 1 / 3)).toBeCloseTo(20, 12);
    expect(triangularQuantile(10, 20, 40, 0.1)).toBeCloseTo(10 + Math.sqrt(30), 12);
    expect(triangularQuantile(10, 20, 40, 0.95)).toBeCloseTo(40 - Math.sqrt(30), 12);
    const exact = triangularMoments(10, 20, 40);
    expect(exact).toEqual({ mean: 70 / 3, variance: (100 + 400 + 1600 - 200 - 400 - 800) / 18 });
    const integrated = integratedMoments(10, 20, 40, TRIANGULAR);
    expect(integrated.mean).toBeCloseTo(exact.mean, 8);
    expect(integrated.variance).toBeCloseTo(exact.variance, 5);
  });
});

describe('PERT-beta quantile table', () => {
  const table = pertQuantileTable();
  const width = PERT_COLUMNS + 1;

  // r = 0, 1/2, 1 give Beta(1,5), Beta(3,3) and Beta(5,1), whose CDFs are polynomials:
  // 1 − (1 − x)^5, 10x³ − 15x⁴ + 6x⁵ and x^5.
  it.each([
    ['Beta(1,5)', 0, (x: number) => 1 - (1 - x) ** 5],
    ['Beta(3,3)', 32, (x: number) => 10 * x ** 3 - 15 * x ** 4 + 6 * x ** 5],
    ['Beta(5,1)', 64, (x: number) => x ** 5],
  ])('matches the closed-form CDF of %s at every knot to 1e-9', (_name, row, cdf) => {
    let worst = 0;
    for (let k = 0; k <= PERT_COLUMNS; k++) worst = Math.max(worst, Math.abs(cdf(table[(row as number) * width + k]) - k / PERT_COLUMNS));
    expect(worst).toBeLessThan(1e-9);
  });

  // The mean (a + 4m + b)/6 and variance (μ − a)(b − μ)/7 of the PERT-beta (Vose, Risk Analysis, "PERT"): the
  // Reliable Construction estimates, and modes close to either end, between the table's rows.
  it.each([
    [1, 2, 3],
    [2, 3.5, 8],
    [6, 9, 18],
    [1, 4.5, 5],
    [4, 4, 10],
    [3, 9, 9],
    [0, 0.3, 10],
    [0, 9.7, 10],
  ])('reproduces the moments of PERT(%d, %d, %d): mean to 3e-5, variance to 5e-4 (relative)', (a, m, b) => {
    const exact = pertMoments(a, m, b);
    const integrated = integratedMoments(a, m, b, PERT);
    expect(Math.abs(integrated.mean / exact.mean - 1)).toBeLessThan(3e-5);
    expect(Math.abs(integrated.variance / exact.variance - 1)).toBeLessThan(5e-4);
  });
});
