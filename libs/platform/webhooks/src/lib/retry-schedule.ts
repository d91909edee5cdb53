/**
 * When a failed webhook delivery is tried again: exponential backoff from 5 seconds, doubling, each wait capped at an
 * hour, jittered by up to ±10 % (the jitter is an input in [0, 1), so the function stays pure and testable), until 24
 * hours after the first attempt. Jira gives up after about 30 minutes, OpenProject after 3 tries; integrators who are
 * down for a night still get their events.
 */

export interface RetryPolicy {
  readonly firstDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** No attempt starts later than this after the first one. */
  readonly giveUpAfterMs: number;
  /** 0.1 spreads each wait over ±10 %. */
  readonly jitter: number;
}

export const WEBHOOK_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 5_000,
  factor: 2,
  maxDelayMs: 60 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
  jitter: 0.1,
};

/** The un-jittered wait before attempt `attempt + 1`, after `attempt` failures (1-based). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy = WEBHOOK_RETRY_POLICY): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt is a positive integer');
  // Past ~40 doublings every delay is capped anyway; stopping the exponent there keeps the number finite.
  const exponent = Math.min(attempt - 1, 40);
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.factor ** exponent);
}

/**
 * The instant of the next attempt after `attempt` failures, or null when even the shortest jittered wait would start
 * it more than `giveUpAfterMs` after the first attempt (the delivery then fails for good). Whether the last attempt is
 * made does not depend on the jitter: a wait the jitter stretches past the limit ends at the limit instead, never
 * sooner than the shortest wait. `random` is a number in [0, 1).
 */
export function nextAttemptAt(firstAttemptAt: Date, lastAttemptAt: Date, attempt: number, random: number, policy: RetryPolicy = WEBHOOK_RETRY_POLICY): Date | null {
  if (!(random >= 0 && random < 1)) throw new RangeError('random is a number in [0, 1)');
  const delay = backoffDelayMs(attempt, policy);
  const limit = firstAttemptAt.getTime() + policy.giveUpAfterMs;
  if (lastAttemptAt.getTime() + Math.round(delay * (1 - policy.jitter)) > limit) return null;
  const spread = 1 + policy.jitter * (2 * random - 1);
  return new Date(Math.min(lastAttemptAt.getTime() + Math.round(delay * spread), limit));
}

/** The un-jittered schedule: offsets from the first attempt of every attempt that would run (for docs and tests). */
export function retryOffsetsMs(policy: RetryPolicy = WEBHOOK_RETRY_POLICY): number[] {
  const offsets = [0];
  for (let attempt = 1; ; attempt += 1) {
    const next = offsets[offsets.length - 1] + backoffDelayMs(attempt, policy);
    if (next > policy.giveUpAfterMs) return offsets;
    offsets.push(next);
  }
}
