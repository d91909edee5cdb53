import fc from 'fast-check';
import { nextDigestAt } from './digest';
import { wallClockAt } from './time-zone';

describe('Digest times', () => {
  it('sends a daily digest at its local time, on the DST days too', () => {
    const daily = { cadence: 'daily' as const, at: '08:00', weekday: null };
    expect(nextDigestAt(daily, 'Europe/Berlin', '2026-03-28T06:00:00.000Z')).toBe('2026-03-28T07:00:00.000Z');
    expect(nextDigestAt(daily, 'Europe/Berlin', '2026-03-28T07:00:00.000Z')).toBe('2026-03-29T06:00:00.000Z');
    expect(nextDigestAt(daily, 'America/New_York', '2026-11-01T00:00:00.000Z')).toBe('2026-11-01T13:00:00.000Z');
    expect(nextDigestAt({ ...daily, at: '02:30' }, 'Europe/Berlin', '2026-03-28T12:00:00.000Z')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('sends a weekly digest on its weekday', () => {
    const mondays = { cadence: 'weekly' as const, at: '08:00', weekday: 1 };
    // Tuesday 3 March 2026 → Monday 9 March, 08:00 in New York (still winter time: -5 h).
    expect(nextDigestAt(mondays, 'America/New_York', '2026-03-03T09:00:00.000Z')).toBe('2026-03-09T12:00:00.000Z');
  });

  it('always lies after now, within eight days, at the wall time asked (or just after a gap), on the weekday asked', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'),
        fc.integer({ min: 0, max: 23 * 60 + 59 }),
        fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
        fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2027, 11, 31) / 60_000 }),
        (zone, minute, weekday, nowMinute) => {
          const at = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
          const now = new Date(nowMinute * 60_000).toISOString();
          const next = Date.parse(nextDigestAt({ cadence: weekday === null ? 'daily' : 'weekly', at, weekday }, zone, now));
          expect(next).toBeGreaterThan(Date.parse(now));
          expect(next - Date.parse(now)).toBeLessThanOrEqual(8 * 24 * 3_600_000);
          const clock = wallClockAt(zone, next);
          if (clock.minuteOfDay !== minute) expect(wallClockAt(zone, next - 60_000).minuteOfDay).toBeLessThan(minute);
          if (weekday !== null) expect(clock.weekday).toBe(weekday);
        },
      ),
      { numRuns: 300 },
    );
  });
});
