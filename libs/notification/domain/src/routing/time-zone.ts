import { invalid } from '@pm/shared/ddd';

/**
 * Wall-clock arithmetic in IANA time zones with `Intl` only (no Temporal in Node 24 without a flag, no dependency):
 * the offset at an instant comes from `Intl.DateTimeFormat#formatToParts`; a wall time becomes an instant by trying
 * the offsets in force a day before and a day after (no zone changes twice within two days), and a wall time that a
 * spring-forward gap skips becomes the first instant after the gap.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MAX_CACHED_ZONES = 1_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    // Bounded: zone names come from users; the runtime knows a few hundred.
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const ZONE_SHAPE = /^(?:UTC|[A-Z][A-Za-z_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/** The runtime's canonical name of a zone it knows (`europe/berlin` → `Europe/Berlin`), or null. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (typeof timeZone !== 'string' || timeZone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(timeZone)) return null;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    return ZONE_SHAPE.test(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

export const isKnownTimeZone = (timeZone: string): boolean => canonicalTimeZone(timeZone) !== null;

/** A zone the runtime knows, by its canonical name, so the same zone spelled twice is one choice. */
export function timeZoneMustBeKnown(timeZone: string): string {
  const canonical = canonicalTimeZone(timeZone);
  if (canonical === null) throw invalid('TIME_ZONE_UNKNOWN', 'An IANA time zone such as Europe/Berlin, or UTC', { timeZone: String(timeZone).slice(0, 64) });
  return canonical;
}

const WEEKDAYS = new Map([['Mon', 1], ['Tue', 2], ['Wed', 3], ['Thu', 4], ['Fri', 5], ['Sat', 6], ['Sun', 7]]);

export interface WallClock {
  /** Milliseconds of the wall time as if it were UTC: comparable, and convertible with Date.UTC parts. */
  readonly wallMs: number;
  /** Minutes since local midnight, 0 … 1439. */
  readonly minuteOfDay: number;
  /** ISO weekday, 1 = Monday. */
  readonly weekday: number;
}

/** The wall clock in `timeZone` at `epochMs` (to the second). */
export function wallClockAt(timeZone: string, epochMs: number): WallClock {
  const parts = new Map(formatterOf(timeZone).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.get(type));
  const wallMs = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return { wallMs, minuteOfDay: n('hour') * 60 + n('minute'), weekday: WEEKDAYS.get(parts.get('weekday') ?? '') ?? 1 };
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +2 h). */
export const offsetAt = (timeZone: string, epochMs: number): number => wallClockAt(timeZone, epochMs).wallMs - Math.floor(epochMs / 1000) * 1000;

/**
 * The first instant at which the wall clock in `timeZone` shows `wallMs` or later: the earlier of two instants when a
 * fall-back repeats the hour, the end of the gap when spring-forward skips it.
 */
export function instantOfWallTime(timeZone: string, wallMs: number): number {
  const before = offsetAt(timeZone, wallMs - DAY);
  const after = offsetAt(timeZone, wallMs + DAY);
  const candidates = [...new Set([wallMs - before, wallMs - after])].sort((a, b) => a - b);
  const exact = candidates.find((instant) => wallClockAt(timeZone, instant).wallMs === wallMs);
  if (exact !== undefined) return exact;
  // In a gap: the transition lies between the two candidates; find the first minute whose wall clock is past wallMs.
  let low = candidates[0];
  let high = candidates[candidates.length - 1];
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (wallClockAt(timeZone, middle).wallMs >= wallMs) high = middle;
    else low = middle;
  }
  return high;
}
