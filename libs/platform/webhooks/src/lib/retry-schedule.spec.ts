import fc from 'fast-check';
import { WEBHOOK_RETRY_POLICY, backoffDelayMs, nextAttemptAt, retryOffsetsMs } from './retry-schedule';

const HOUR = 60 * 60 * 1000;

describe('Webhook retry schedule', () => {
  it('doubles from 5 seconds and caps each wait at an hour', () => {
    expect([1, 2, 3, 4, 10, 11, 12, 1000].map((n) => backoffDelayMs(n))).toEqual([5_000, 10_000, 20_000, 40_000, 2_560_000, HOUR, HOUR, HOUR]);
  });

  it('keeps trying for 24 hours and not longer', () => {
    const offsets = retryOffsetsMs();
    expect(offsets[offsets.length - 1]).toBeLessThanOrEqual(24 * HOUR);
    expect(offsets[offsets.length - 1] + HOUR).toBeGreaterThan(24 * HOUR);
    expect(offsets.length).toBeGreaterThan(25);
    expect(offsets.length).toBeLessThan(40);
  });

  it('never schedules an attempt before the last one, nor after the 24 hours, whatever the jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 0, max: 30 * HOUR }), (attempt, random, elapsed) => {
        const first = new Date('2026-03-03T09:00:00.000Z');
        const last = new Date(first.getTime() + elapsed);
        const next = nextAttemptAt(first, last, attempt, random);
        if (next === null) return elapsed + backoffDelayMs(attempt) * (1 - WEBHOOK_RETRY_POLICY.jitter) > 24 * HOUR - 1;
        const wait = next.getTime() - last.getTime();
        return wait >= backoffDelayMs(attempt) * 0.9 - 1 && wait <= backoffDelayMs(attempt) * 1.1 + 1 && next.getTime() - first.getTime() <= 24 * HOUR;
      }),
    );
  });

  it('makes the last attempt near the 24 hours whatever the jitter (fast-check counterexample of a fresh-clone CI)', () => {
    const first = new Date('2026-03-03T09:00:00.000Z');
    const last = new Date(first.getTime() + 82_976_017);
    // An hour's wait stretched by the jitter would pass the 24 hours; the shortest one would not: it ends at the limit.
    expect(nextAttemptAt(first, last, 11, 0.2555326388888889)?.getTime()).toBe(first.getTime() + 24 * HOUR);
    expect(nextAttemptAt(first, last, 11, 0)?.getTime()).toBe(last.getTime() + 0.9 * HOUR);
    expect(nextAttemptAt(first, new Date(first.getTime() + 24 * HOUR - 0.9 * HOUR + 1), 11, 0)).toBeNull();
  });

  it('refuses nonsense input', () => {
    expect(() => backoffDelayMs(0)).toThrow(RangeError);
    expect(() => backoffDelayMs(1.5)).toThrow(RangeError);
    expect(() => nextAttemptAt(new Date(), new Date(), 1, 1)).toThrow(RangeError);
    expect(() => nextAttemptAt(new Date(), new Date(), 1, Number.NaN)).toThrow(RangeError);
  });
});
