import { invalid } from '@pm/shared/ddd';
import type { QuietHours } from '../notification.events';
import { instantOfWallTime, wallClockAt } from './time-zone';

const LOCAL_TIME = /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$/;
const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

export function localTimeMustBeValid(field: string, value: string): string {
  if (typeof value !== 'string' || !LOCAL_TIME.test(value)) throw invalid('LOCAL_TIME_INVALID', `${field} is a time HH:MM, 00:00 to 23:59`, { field });
  return value;
}

export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** From inclusive, to exclusive; across midnight when to < from (22:00–07:00). */
export function isQuietMinute(quietHours: QuietHours, minuteOfDay: number): boolean {
  const from = minutesOf(quietHours.from);
  const to = minutesOf(quietHours.to);
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}

export const isQuietAt = (quietHours: QuietHours, timeZone: string, epochMs: number): boolean => isQuietMinute(quietHours, wallClockAt(timeZone, epochMs).minuteOfDay);

/**
 * When an e-mail may go out: `now` outside quiet hours, else the first instant after them. The end is the wall time
 * `to` on the local day it next comes (today if it is still ahead, else tomorrow), made an instant in the zone; on a
 * DST day that wall time may not exist (then the first instant after the gap) or come twice (then the first). A last
 * minute-by-minute walk, bounded by a day, makes "never inside quiet hours, never before now" hold whatever the zone's
 * rules do.
 */
export function nextDeliveryAt(quietHours: QuietHours | null, timeZone: string, now: string): string {
  const nowMs = Date.parse(now);
  if (quietHours === null) return now;
  const clock = wallClockAt(timeZone, nowMs);
  if (!isQuietMinute(quietHours, clock.minuteOfDay)) return now;
  const to = minutesOf(quietHours.to);
  const localMidnight = clock.wallMs - (clock.wallMs % (DAY_MINUTES * MINUTE));
  const dayOffset = clock.minuteOfDay < to ? 0 : DAY_MINUTES;
  let at = Math.max(nowMs, instantOfWallTime(timeZone, localMidnight + (dayOffset + to) * MINUTE));
  for (let steps = 0; steps < DAY_MINUTES && isQuietAt(quietHours, timeZone, at); steps += 1) at += MINUTE;
  return new Date(at).toISOString();
}
