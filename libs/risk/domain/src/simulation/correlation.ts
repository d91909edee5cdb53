/*
 * Rank correlation between task durations with a Gaussian copula on the grades (NORTA, "normal to anything":
 * Cario & Nelson 1997). Each correlated task's independent grade u becomes a standard normal ε = Φ⁻¹(u); z = Lε
 * with L the Cholesky factor of the normal correlation matrix R; the new grade is Φ(z). Marginals stay exactly
 * as drawn (a grade is still uniform), and the Spearman correlation of two grades is (6/π)·asin(R_ij/2)
 * (Pearson 1907, Kruskal 1958), so R_ij = 2·sin(π·ρ_ij/6) gives exactly the requested ρ_ij.
 *
 * Why not Iman–Conover (1982)? It reorders a stored sample of each block to the target ranks, which needs the
 * block's samples kept and sorted, and the rank correlation it achieves depends on the block size. Since every
 * duration is drawn by inverse transform anyway, the copula works per iteration in place, with no storage and
 * no dependence on how the iterations are split.
 */
import { invalid } from '@pm/shared/ddd';
import { normalCdfInPlace, normalQuantileInPlace } from './distributions';

/** Largest set of tasks linked by correlations: the factorisation is dense in it, O(k²) per iteration. */
export const MAX_CORRELATED_COMPONENT = 500;

export interface CompiledCorrelation {
  /** Grade slots of the correlated tasks, grouped by connected component. */
  readonly members: Int32Array;
  /** Row p of L covers entries [rowOffsets[p], rowOffsets[p + 1]) of columns/values; columns index `members`. */
  readonly rowOffsets: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
  /** 0, or the largest factor by which a component was shrunk towards independence to become consistent. */
  readonly shrinkage: number;
}

/** A requested Spearman correlation between two grade slots. */
export interface SlotPair {
  readonly a: number;
  readonly b: number;
  readonly rho: number;
}

export function compileCorrelation(slotCount: number, pairs: readonly SlotPair[]): CompiledCorrelation | undefined {
  if (pairs.length === 0) return undefined;
  const parent = new Int32Array(slotCount).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const { a, b } of pairs) parent[find(a)] = find(b);
  const components = new Map<number, number[]>();
  const involved = new Set<number>();
  for (const { a, b } of pairs) involved.add(a).add(b);
  for (const slot of [...involved].sort((x, y) => x - y)) {
    const root = find(slot);
    const list = components.get(root) ?? [];
    list.push(slot);
    components.set(root, list);
  }
  const members: number[] = [];
  const rowOffsets: number[] = [0];
  const columns: number[] = [];
  const values: number[] = [];
  let shrinkage = 0;
  const bySlotPair = new Map<string, number>();
  for (const { a, b, rho } of pairs) bySlotPair.set(a < b ? `${a}:${b}` : `${b}:${a}`, rho);
  for (const slots of components.values()) {
    if (slots.length > MAX_CORRELATED_COMPONENT) {
      throw invalid('SIMULATION_INVALID_INPUT', `correlations link ${slots.length} tasks together; at most ${MAX_CORRELATED_COMPONENT} are allowed`, {
        path: 'correlations',
      });
    }
    const k = slots.length;
    const target = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      target[i * k + i] = 1;
      for (let j = 0; j < i; j++) {
        const rho = bySlotPair.get(`${slots[j]}:${slots[i]}`) ?? 0;
        target[i * k + j] = target[j * k + i] = 2 * Math.sin((Math.PI * rho) / 6);
      }
    }
    const { factor, lambda } = consistentCholesky(target, k);
    shrinkage = Math.max(shrinkage, lambda);
    const base = members.length;
    for (let i = 0; i < k; i++) {
      members.push(slots[i]);
      for (let j = 0; j <= i; j++) {
        const value = factor[i * k + j];
        if (value !== 0) {
          columns.push(base + j);
          values.push(value);
        }
      }
      rowOffsets.push(columns.length);
    }
  }
  return {
    members: Int32Array.from(members),
    rowOffsets: Int32Array.from(rowOffsets),
    columns: Int32Array.from(columns),
    values: Float64Array.from(values),
    shrinkage,
  };
}

/**
 * Cholesky of R, or of (1 - λ)R + λI with the smallest λ (to 1e-6) that is positive semi-definite: requested
 * coefficients can contradict each other (A~B 0.9, B~C 0.9, A~C -0.9), and shrinking all of them towards
 * independence by one factor keeps their proportions, as risk tools commonly do.
 */
function consistentCholesky(target: Float64Array, k: number): { factor: Float64Array; lambda: number } {
  const exact = cholesky(target, k, 0);
  if (exact) return { factor: exact, lambda: 0 };
  let lo = 0;
  let hi = 1;
  let best = cholesky(target, k, 1) as Float64Array;
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    const factor = cholesky(target, k, mid);
    if (factor) {
      hi = mid;
      best = factor;
    } else {
      lo = mid;
    }
  }
  return { factor: best, lambda: hi };
}

/** Lower Cholesky factor of (1 - λ)R + λI, or undefined when it is not positive semi-definite. */
function cholesky(target: Float64Array, k: number, lambda: number): Float64Array | undefined {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = i === j ? 1 : (1 - lambda) * target[i * k + j];
      for (let p = 0; p < j; p++) sum -= l[i * k + p] * l[j * k + p];
      if (i === j) {
        if (sum < -1e-10) return undefined;
        l[i * k + i] = sum > 1e-12 ? Math.sqrt(sum) : 0;
      } else {
        const pivot = l[j * k + j];
        if (pivot === 0) {
          if (Math.abs(sum) > 1e-9) return undefined;
          l[i * k + j] = 0;
        } else {
          l[i * k + j] = sum / pivot;
        }
      }
    }
  }
  return l;
}

/**
 * Turns the correlated slots' independent grades into correlated ones, in place. `normals` and `correlated` are
 * scratch arrays of members.length.
 */
export function correlateGrades(correlation: CompiledCorrelation, grades: Float64Array, normals: Float64Array, correlated: Float64Array): void {
  const { members, rowOffsets, columns, values } = correlation;
  const count = members.length;
  for (let p = 0; p < count; p++) normals[p] = grades[members[p]];
  normalQuantileInPlace(normals, count);
  for (let p = 0; p < count; p++) {
    let z = 0;
    for (let e = rowOffsets[p], end = rowOffsets[p + 1]; e < end; e++) z += values[e] * normals[columns[e]];
    correlated[p] = z;
  }
  normalCdfInPlace(correlated, count);
  for (let p = 0; p < count; p++) {
    // Φ's fit is accurate to ~1e-7: keep the grade strictly inside (0, 1) for the quantile functions.
    const u = correlated[p];
    grades[members[p]] = u < 1e-12 ? 1e-12 : u > 1 - 1e-12 ? 1 - 1e-12 : u;
  }
}
