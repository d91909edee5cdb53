import { DomainError } from '@pm/shared/ddd';
import { STANDARD_DUE_CALENDAR, dueMoment, isKnownTimeZone, lastDueDay, localDayOf, startOfLocalDay } from './due-moment';
import type { DueCalendar } from './due-moment';

// Easter 2027: Good Friday 26 March, Easter Monday 29 March; the EU moves to summer time on Sunday 28 March 2027.
const EASTER_2027: DueCalendar = { ...STANDARD_DUE_CALENDAR, holidays: [{ date: '2027-03-26' }, { date: '2027-03-29' }] };

describe('dueMoment: overdue when the due day’s working time has ended in the tenant’s time zone', () => {
  it('a working due day ends at the next local midnight (UTC: the old rule)', () => {
    expect(dueMoment(STANDARD_DUE_CALENDAR, 'UTC', '2026-12-02')).toBe('2026-12-03T00:00:00.000Z');
    expect(dueMoment(STANDARD_DUE_CALENDAR, 'Europe/Berlin', '2026-12-02')).toBe('2026-12-02T23:00:00.000Z');
  });

  it('a weekend due day counts until the end of the next working day', () => {
    expect(lastDueDay(STANDARD_DUE_CALENDAR, '2026-12-05')).toBe('2026-12-07');
    expect(dueMoment(STANDARD_DUE_CALENDAR, 'UTC', '2026-12-05')).toBe('2026-12-08T00:00:00.000Z');
    expect(dueMoment(STANDARD_DUE_CALENDAR, 'UTC', '2026-12-06')).toBe('2026-12-08T00:00:00.000Z');
  });

  it('holidays are skipped: due on Good Friday counts over Easter until Tuesday ends', () => {
    expect(lastDueDay(EASTER_2027, '2027-03-26')).toBe('2027-03-30');
    expect(dueMoment(EASTER_2027, 'UTC', '2027-03-26')).toBe('2027-03-31T00:00:00.000Z');
    // Thursday before is a working day: its own end.
    expect(dueMoment(EASTER_2027, 'UTC', '2027-03-25')).toBe('2027-03-26T00:00:00.000Z');
  });

  it('exceptions win over weekdays and holidays, as in planning’s calendar', () => {
    const calendar: DueCalendar = {
      ...STANDARD_DUE_CALENDAR,
      holidays: [{ date: '2026-12-25' }],
      exceptions: [
        { date: '2026-12-05', working: true },
        { date: '2026-12-09', working: false },
        { date: '2026-12-25', working: true },
      ],
    };
    expect(lastDueDay(calendar, '2026-12-05')).toBe('2026-12-05');
    expect(lastDueDay(calendar, '2026-12-09')).toBe('2026-12-10');
    expect(lastDueDay(calendar, '2026-12-25')).toBe('2026-12-25');
    expect(lastDueDay({ ...calendar, workingWeekdays: [0, 1, 2, 3, 4, 5, 6] }, '2026-12-06')).toBe('2026-12-06');
  });

  it('a four-day week moves a Friday to Monday', () => {
    expect(dueMoment({ ...STANDARD_DUE_CALENDAR, workingWeekdays: [1, 2, 3, 4] }, 'UTC', '2026-12-04')).toBe('2026-12-08T00:00:00.000Z');
  });

  it('a calendar without any working day falls back to the due day itself', () => {
    const never: DueCalendar = { workingWeekdays: [1], holidays: [], exceptions: [] };
    const allMondaysOff: DueCalendar = { ...never, exceptions: Array.from({ length: 600 }, (_, i) => ({ date: new Date(Date.UTC(2026, 11, 7 + 7 * i)).toISOString().slice(0, 10), working: false })) };
    expect(lastDueDay(allMondaysOff, '2026-12-07')).toBe('2026-12-07');
    expect(lastDueDay({ ...never, exceptions: allMondaysOff.exceptions.slice(0, 100) }, '2026-12-07')).toBe('2028-11-06');
  });

  describe('Europe/Berlin across the change to summer time (Sunday 28 March 2027, 02:00 → 03:00)', () => {
    it('before the change the local midnight is 23:00Z, after it 22:00Z', () => {
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'Europe/Berlin', '2027-03-26')).toBe('2027-03-26T23:00:00.000Z');
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'Europe/Berlin', '2027-03-27')).toBe('2027-03-29T22:00:00.000Z');
      expect(dueMoment(EASTER_2027, 'Europe/Berlin', '2027-03-26')).toBe('2027-03-30T22:00:00.000Z');
    });

    it('and back to winter time (Sunday 31 October 2027)', () => {
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'Europe/Berlin', '2027-10-29')).toBe('2027-10-29T22:00:00.000Z');
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'Europe/Berlin', '2027-10-30')).toBe('2027-11-01T23:00:00.000Z');
    });
  });

  describe('America/New_York across its changes (14 March and 7 November 2027)', () => {
    it('spring: 05:00Z before, 04:00Z after', () => {
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'America/New_York', '2027-03-12')).toBe('2027-03-13T05:00:00.000Z');
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'America/New_York', '2027-03-13')).toBe('2027-03-16T04:00:00.000Z');
    });

    it('autumn: 04:00Z before, 05:00Z after', () => {
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'America/New_York', '2027-11-05')).toBe('2027-11-06T04:00:00.000Z');
      expect(dueMoment(STANDARD_DUE_CALENDAR, 'America/New_York', '2027-11-06')).toBe('2027-11-09T05:00:00.000Z');
    });
  });

  it('a DST gap over midnight starts the day at the end of the gap', () => {
    // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(localDayOf(start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDayOf(start - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('refuses a time zone the runtime does not know, and a malformed date', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => dueMoment(STANDARD_DUE_CALENDAR, 'Mars/Olympus_Mons', '2026-12-02')).toThrow(expect.objectContaining({ code: 'TIME_ZONE_UNKNOWN' }) as DomainError);
    expect(() => dueMoment(STANDARD_DUE_CALENDAR, 'UTC', '2026-13-02')).toThrow(DomainError);
  });
});
