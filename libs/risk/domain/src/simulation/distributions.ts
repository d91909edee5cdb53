/*
 * Every duration is drawn by inverse transform: a uniform grade u in (0, 1) goes through the distribution's
 * quantile function. The grade is then exactly the sample's rank scale, which is what the rank correlation
 * (correlation.ts) and the Spearman sensitivity (simulation.block.ts) work on.
 */
import type { DistributionKind, ThreePointEstimate } from './simulation.types';

export const PERT = 0;
export const TRIANGULAR = 1;

export function distributionCode(kind: DistributionKind): number {
  return kind === 'pert' ? PERT : TRIANGULAR;
}

/** Triangular quantile on [a, b] with mode m (e.g. Evans, Hastings & Peacock, Statistical Distributions, "Triangular"). */
export function triangularQuantile(a: number, m: number, b: number, u: number): number {
  const range = b - a;
  if (range <= 0) return a;
  const c = (m - a) / range;
  return u < c ? a + Math.sqrt(u * range * (m - a)) : b - Math.sqrt((1 - u) * range * (b - m));
}

/** Mean and variance of the triangle (same source): (a+m+b)/3 and (a²+m²+b²-am-ab-mb)/18. */
export function triangularMoments(a: number, m: number, b: number): { mean: number; variance: number } {
  return { mean: (a + m + b) / 3, variance: (a * a + m * m + b * b - a * m - a * b - m * b) / 18 };
}

/**
 * PERT-beta (Malcolm, Roseboom, Clark & Fazar 1959; the usual "lambda = 4" form, e.g. Vose, Risk Analysis, 3rd ed.,
 * §III.7 "PERT"): Beta(α, β) on [a, b] with α = 1 + 4r, β = 1 + 4(1 - r), r = (m - a)/(b - a). Its mean is exactly
 * PERT's (a + 4m + b)/6; its variance is (μ - a)(b - μ)/7. That equals the textbook ((b - a)/6)² only for
 * r = 1/2 ± √2/4 (about 0.15 and 0.85); for a symmetric estimate it is (b - a)²/28. The simulation uses the
 * distribution's own variance, the textbook formula is kept for PERT's single-path estimate.
 */
export function pertMoments(a: number, m: number, b: number): { mean: number; variance: number } {
  const mean = (a + 4 * m + b) / 6;
  return { mean, variance: ((mean - a) * (b - mean)) / 7 };
}

/** The textbook PERT variance ((b - a)/6)² that Hillier & Lieberman and most OR courses use for the critical path. */
export function textbookPertVariance(estimate: ThreePointEstimate): number {
  return ((estimate.pessimistic - estimate.optimistic) / 6) ** 2;
}

/*
 * The beta quantile has no closed form. Since α + β = 6 for every PERT task, one table covers them all: rows are
 * the mode position r = j/64, columns the grade u = k/1024, and a task's quantile is a bilinear interpolation.
 * Linear in r keeps the mean exact (the PERT mean is linear in r); the table's own error is checked against the
 * closed forms of Beta(1,5), Beta(3,3) and Beta(5,1) and against the moments in distributions.spec.ts.
 */
export const PERT_ROWS = 64;
export const PERT_COLUMNS = 1024;
const CDF_CELLS = 1024;
// Gauss-Legendre, 4 points on [0, 1] (Abramowitz & Stegun, Table 25.4).
const GL_X = [0.0694318442029737, 0.3300094782075719, 0.6699905217924281, 0.9305681557970263];
const GL_W = [0.1739274225687269, 0.3260725774312731, 0.3260725774312731, 0.1739274225687269];

let pertTable: Float64Array | undefined;

/** The shared table, (PERT_ROWS + 1) x (PERT_COLUMNS + 1) quantiles of the standard PERT-beta on [0, 1]; built once per thread (tens of milliseconds). */
export function pertQuantileTable(): Float64Array {
  pertTable ??= buildPertTable();
  return pertTable;
}

function buildPertTable(): Float64Array {
  const width = PERT_COLUMNS + 1;
  const table = new Float64Array((PERT_ROWS + 1) * width);
  const cdf = new Float64Array(CDF_CELLS + 1);
  for (let j = 0; j <= PERT_ROWS; j++) {
    const r = j / PERT_ROWS;
    const alpha = 1 + 4 * r;
    const beta = 5 - 4 * r;
    const density = (x: number): number => Math.pow(x, alpha - 1) * Math.pow(1 - x, beta - 1);
    const h = 1 / CDF_CELLS;
    for (let i = 0; i < CDF_CELLS; i++) {
      let area = 0;
      for (let g = 0; g < 4; g++) area += GL_W[g] * density((i + GL_X[g]) * h);
      cdf[i + 1] = cdf[i] + area * h;
    }
    const total = cdf[CDF_CELLS];
    for (let i = 1; i <= CDF_CELLS; i++) cdf[i] /= total;
    const row = j * width;
    table[row] = 0;
    table[row + PERT_COLUMNS] = 1;
    let cell = 0;
    for (let k = 1; k < PERT_COLUMNS; k++) {
      const u = k / PERT_COLUMNS;
      while (cdf[cell + 1] < u) cell++;
      // Linear inside the cell, then one Newton step on the cell's own integral (Simpson) for the curvature.
      const x0 = cell * h;
      let x = x0 + (h * (u - cdf[cell])) / (cdf[cell + 1] - cdf[cell]);
      const f = density(x) / total;
      if (f > 1e-12) {
        const partial = ((x - x0) / 6) * (density(x0) + 4 * density((x0 + x) / 2) + density(x)) / total;
        x = Math.min(x0 + h, Math.max(x0, x - (cdf[cell] + partial - u) / f));
      }
      table[row + k] = x;
    }
  }
  return table;
}

/**
 * Standard normal CDF in place over values[0..count): Φ(z) = erfc(-z/√2)/2, erfc by the Chebyshev fit of
 * Numerical Recipes (§6.2, fractional error < 1.2e-7). Array-at-a-time for the hot loop (see simulation.block.ts).
 */
export function normalCdfInPlace(values: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const x = -values[i] / Math.SQRT2;
    const ax = Math.abs(x);
    const t = 1 / (1 + 0.5 * ax);
    const poly =
      -ax * ax -
      1.26551223 +
      t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    const erfc = t * Math.exp(poly);
    values[i] = 0.5 * (x >= 0 ? erfc : 2 - erfc);
  }
}

// Acklam's rational approximation of the normal quantile (relative error < 1.15e-9), P. J. Acklam, "An algorithm
// for computing the inverse normal cumulative distribution function" (2003).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Standard normal quantile in place over values[0..count) (probabilities in (0, 1)). */
export function normalQuantileInPlace(values: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const p = values[i];
    if (p < P_LOW || p > 1 - P_LOW) {
      const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
      const x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
      values[i] = p < P_LOW ? x : -x;
    } else {
      const q = p - 0.5;
      const r = q * q;
      values[i] = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }
  }
}

const one = new Float64Array(1);

export function normalCdf(z: number): number {
  one[0] = z;
  normalCdfInPlace(one, 1);
  return one[0];
}

export function normalQuantile(p: number): number {
  one[0] = p;
  normalQuantileInPlace(one, 1);
  return one[0];
}
