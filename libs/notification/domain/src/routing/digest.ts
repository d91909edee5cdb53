import type { DigestCadence } from '../notification.events';
import { minutesOf } from './quiet-hours';
import { instantOfWallTime, wallClockAt } from './time-zone';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface DigestSchedule {
  readonly cadence: DigestCadence;
  readonly at: string;
  /** ISO weekday of a weekly digest. */
  readonly weekday: number | null;
}

/**
 * When the person's next digest goes out, strictly after `now`: the digest's wall time in their zone on the next day
 * that fits (any day, or its weekday). What the scheduler is given after each digest; on a DST day a skipped wall
 * time goes at the end of the gap, a repeated one at its first instant.
 */
export function nextDigestAt(digest: DigestSchedule, timeZone: string, now: string): string {
  const nowMs = Date.parse(now);
  const clock = wallClockAt(timeZone, nowMs);
  const localMidnight = clock.wallMs - (clock.wallMs % DAY);
  for (let day = 0; day <= 8; day += 1) {
    const weekday = ((clock.weekday - 1 + day) % 7) + 1;
    if (digest.cadence === 'weekly' && weekday !== digest.weekday) continue;
    const at = instantOfWallTime(timeZone, localMidnight + day * DAY + minutesOf(digest.at) * MINUTE);
    if (at > nowMs) return new Date(at).toISOString();
  }
  throw new RangeError('A digest schedule always has a next time within eight days');
}
