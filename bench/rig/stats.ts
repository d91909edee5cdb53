/** Percentiles and the formatting the benches print them with. */
export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Nearest-rank percentiles; Infinity stands for "never happened" and sorts last. */
export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** Milliseconds for a human: `n/a` for NaN, `never` (or `neverText`) for Infinity. */
export const ms = (v: number, neverText = 'never'): string => {
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return neverText;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  return v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
};

export const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');

export const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${Math.round(bytes / 2 ** 20)} MiB`);
