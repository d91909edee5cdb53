export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** 0..1: the share of each delay drawn at random, so replicas that failed together do not retry together. */
  readonly jitter?: number;
}

/** Delay before attempt `failures + 1`: base, 2 x base, 4 x base ... capped at maxMs. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures, 40) - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0));
  return Math.round(raw * (1 - jitter * random()));
}
