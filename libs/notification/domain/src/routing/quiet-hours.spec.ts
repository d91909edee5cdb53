import fc from 'fast-check';
import { isQuietAt, nextDeliveryAt } from './quiet-hours';
import { instantOfWallTime, offsetAt, wallClockAt } from './time-zone';

const HOUR = 3_600_000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('Time zones with Intl', () => {
  it('reads the offset on both sides of the DST changes of Berlin and New York', () => {
    expect(offsetAt('Europe/Berlin', Date.parse('2026-03-29T00:59:00Z')) / HOUR).toBe(1);
    expect(offsetAt('Europe/Berlin', Date.parse('2026-03-29T01:00:00Z')) / HOUR).toBe(2);
    expect(offsetAt('America/New_York', Date.parse('2026-03-08T06:59:00Z')) / HOUR).toBe(-5);
    expect(offsetAt('America/New_York', Date.parse('2026-03-08T07:00:00Z')) / HOUR).toBe(-4);
    expect(offsetAt('America/New_York', Date.parse('2026-11-01T06:00:00Z')) / HOUR).toBe(-5);
  });

  it('takes a skipped wall time to the end of the gap, a repeated one to its first instant', () => {
    expect(new Date(instantOfWallTime('Europe/Berlin', wall('2026-03-29T02:30:00'))).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(new Date(instantOfWallTime('Europe/Berlin', wall('2026-10-25T02:30:00'))).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(instantOfWallTime('America/New_York', wall('2026-03-08T02:15:00'))).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(new Date(instantOfWallTime('America/New_York', wall('2026-11-01T01:30:00'))).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('turns any wall time into the first instant showing it or later', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2025, 0, 1) / 60_000, max: Date.UTC(2028, 0, 1) / 60_000 }), (zone, minute) => {
        const wallMs = minute * 60_000;
        const instant = instantOfWallTime(zone, wallMs);
        expect(wallClockAt(zone, instant).wallMs).toBeGreaterThanOrEqual(wallMs);
        expect(wallClockAt(zone, instant - 60_000).wallMs).toBeLessThan(wallMs);
      }),
    );
  });
});

describe('Quiet hours', () => {
  const night = { from: '22:00', to: '07:00' };

  it('lets e-mail go at once outside quiet hours, and at their end inside them', () => {
    expect(nextDeliveryAt(night, 'Europe/Berlin', '2026-03-03T12:00:00.000Z')).toBe('2026-03-03T12:00:00.000Z');
    expect(nextDeliveryAt(night, 'Europe/Berlin', '2026-03-03T22:30:00.000Z')).toBe('2026-03-04T06:00:00.000Z');
    expect(nextDeliveryAt(night, 'Europe/Berlin', '2026-03-04T05:59:00.000Z')).toBe('2026-03-04T06:00:00.000Z');
    expect(nextDeliveryAt({ from: '12:00', to: '13:00' }, 'America/New_York', '2026-07-01T16:30:00.000Z')).toBe('2026-07-01T17:00:00.000Z');
    expect(nextDeliveryAt(null, 'Europe/Berlin', '2026-03-03T23:00:00.000Z')).toBe('2026-03-03T23:00:00.000Z');
  });

  it('ends quiet hours by the wall clock on the nights the clocks change', () => {
    // Berlin springs forward on 29 March: 07:00 local is 05:00 UTC, an hour earlier in UTC than the night before.
    expect(nextDeliveryAt(night, 'Europe/Berlin', '2026-03-28T23:00:00.000Z')).toBe('2026-03-29T05:00:00.000Z');
    expect(nextDeliveryAt(night, 'Europe/Berlin', '2026-10-24T23:00:00.000Z')).toBe('2026-10-25T06:00:00.000Z');
    expect(nextDeliveryAt(night, 'America/New_York', '2026-03-08T05:00:00.000Z')).toBe('2026-03-08T11:00:00.000Z');
    expect(nextDeliveryAt(night, 'America/New_York', '2026-11-01T05:00:00.000Z')).toBe('2026-11-01T12:00:00.000Z');
    // Quiet hours ending inside the skipped hour end when the gap does.
    expect(nextDeliveryAt({ from: '01:00', to: '02:30' }, 'Europe/Berlin', '2026-03-29T00:10:00.000Z')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('never delivers inside quiet hours nor before now, in any zone, across DST', () => {
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        hhmm,
        hhmm,
        fc.integer({ min: Date.UTC(2026, 0, 1) / 1000, max: Date.UTC(2027, 11, 31) / 1000 }),
        (zone, from, to, seconds) => {
          fc.pre(from !== to);
          const quiet = { from, to };
          const now = new Date(seconds * 1000).toISOString();
          const at = nextDeliveryAt(quiet, zone, now);
          expect(Date.parse(at)).toBeGreaterThanOrEqual(Date.parse(now));
          expect(isQuietAt(quiet, zone, Date.parse(at))).toBe(false);
          // And not later than needed: the minute before was still quiet (or it is now).
          if (at !== now) expect(isQuietAt(quiet, zone, Date.parse(at) - 60_000)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('walks every night of the DST months of Berlin and New York minute-exactly', () => {
    for (const [zone, day] of [['Europe/Berlin', '2026-03-28'], ['Europe/Berlin', '2026-10-24'], ['America/New_York', '2026-03-07'], ['America/New_York', '2026-10-31']] as const) {
      for (let minute = 0; minute < 48 * 60; minute += 7) {
        const now = new Date(Date.parse(`${day}T12:00:00Z`) + minute * 60_000).toISOString();
        const at = nextDeliveryAt(night, zone, now);
        expect(isQuietAt(night, zone, Date.parse(at))).toBe(false);
        expect(Date.parse(at)).toBeGreaterThanOrEqual(Date.parse(now));
      }
    }
  });
});
