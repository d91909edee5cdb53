import fc from 'fast-check';
import { WorkingCalendar, createWorkingCalendar } from './calendar';
import type { CalendarSpec } from './calendar';
import { formatIsoDate, parseIsoDate } from './dates';
import { CalendarError } from './errors';
import { STEP_ITERATIONS } from './steps';

// Christmas 2024 week: Wed 25 and Thu 26 December and 1 January are holidays, Saturday 28 December is worked
// (exception, half day) and Monday 30 December is bridged (exception, not worked).
const christmas: CalendarSpec = {
  workingWeekdays: [1, 2, 3, 4, 5],
  hoursPerDay: 8,
  holidays: ['2024-12-25', '2024-12-26', '2025-01-01'],
  exceptions: [
    { date: '2024-12-28', working: true, hours: 4 },
    { date: '2024-12-30', working: false },
  ],
};

describe('WorkingCalendar.datesBetweenInSteps', () => {
  it('pauses while it grows the index of working days as well as while it formats them, and gives what dateAt gives', () => {
    // Working days -2·STEP..4·STEP of a fresh calendar: its index grows 6·STEP days, then 6·STEP dates are
    // formatted; each pauses about once a STEP (growing the index in one piece paused only while formatting: 6 times).
    const lo = -2 * STEP_ITERATIONS;
    const hi = 4 * STEP_ITERATIONS;
    const steps = createWorkingCalendar(christmas, '2024-12-21').datesBetweenInSteps(lo, hi);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    expect(pauses).toBeGreaterThanOrEqual(11);
    const reference = createWorkingCalendar(christmas, '2024-12-21');
    expect(step.value).toHaveLength(hi - lo + 1);
    for (const i of [lo, lo + 1, -1, 0, 1, STEP_ITERATIONS, hi - 1, hi]) expect(step.value[i - lo]).toBe(reference.dateAt(i));
  });
});

describe('WorkingCalendar', () => {
  // The project starts on Saturday 21 December: working day 0 is Monday 23 December.
  const calendar = createWorkingCalendar(christmas, '2024-12-21');

  it('numbers working days from the first working day on or after the project start', () => {
    const days = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => calendar.dateAt(i));
    expect(days).toEqual([
      '2024-12-23',
      '2024-12-24',
      '2024-12-27',
      '2024-12-28',
      '2024-12-31',
      '2025-01-02',
      '2025-01-03',
      '2025-01-06',
    ]);
  });

  it('numbers the working days before the project start negatively', () => {
    expect([-1, -5, -6].map((i) => calendar.dateAt(i))).toEqual(['2024-12-20', '2024-12-16', '2024-12-13']);
  });

  it('maps a date to the working day on or after / on or before it', () => {
    expect(calendar.indexOnOrAfter('2024-12-25')).toBe(2);
    expect(calendar.indexOnOrBefore('2024-12-25')).toBe(1);
    expect(calendar.indexOnOrAfter('2024-12-21')).toBe(0);
    expect(calendar.indexOnOrBefore('2024-12-21')).toBe(-1);
    expect(calendar.indexOnOrAfter('2024-12-28')).toBe(3);
    expect(calendar.indexOnOrBefore('2024-12-28')).toBe(3);
    expect(calendar.indexOnOrAfter('2024-12-14')).toBe(-5);
  });

  it('applies holidays, weekends and exceptions (an exception wins)', () => {
    expect(calendar.isWorkingDay('2024-12-24')).toBe(true);
    expect(calendar.isWorkingDay('2024-12-25')).toBe(false);
    expect(calendar.isWorkingDay('2024-12-28')).toBe(true);
    expect(calendar.isWorkingDay('2024-12-29')).toBe(false);
    expect(calendar.isWorkingDay('2024-12-30')).toBe(false);
    expect(calendar.hoursOn('2024-12-28')).toBe(4);
    expect(calendar.hoursOn('2024-12-27')).toBe(8);
    const reopened = createWorkingCalendar({ ...christmas, exceptions: [{ date: '2024-12-25', working: true }] }, '2024-12-21');
    expect(reopened.isWorkingDay('2024-12-25')).toBe(true);
  });

  it('adds working days forwards and backwards, not counting the start date', () => {
    expect(calendar.addWorkingDays('2024-12-24', 1)).toBe('2024-12-27');
    expect(calendar.addWorkingDays('2024-12-24', 3)).toBe('2024-12-31');
    expect(calendar.addWorkingDays('2024-12-25', 0)).toBe('2024-12-27');
    expect(calendar.addWorkingDays('2024-12-25', 1)).toBe('2024-12-27');
    expect(calendar.addWorkingDays('2025-01-02', -3)).toBe('2024-12-27');
    expect(calendar.addWorkingDays('2024-12-24', 0.2)).toBe('2024-12-27');
  });

  it('counts the working days in [from, to)', () => {
    expect(calendar.workingDaysBetween('2024-12-23', '2025-01-06')).toBe(7);
    expect(calendar.workingDaysBetween('2025-01-06', '2024-12-23')).toBe(-7);
    expect(calendar.workingDaysBetween('2024-12-25', '2024-12-27')).toBe(0);
  });

  it('handles leap days', () => {
    const everyDay = createWorkingCalendar({ workingWeekdays: [0, 1, 2, 3, 4, 5, 6], hoursPerDay: 8, holidays: [] }, '2024-02-27');
    expect([2, 3].map((i) => everyDay.dateAt(i))).toEqual(['2024-02-29', '2024-03-01']);
    expect(everyDay.addWorkingDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(everyDay.addWorkingDays('2000-02-28', 1)).toBe('2000-02-29');
  });

  it('rejects invalid calendars and dates with CALENDAR_INVALID', () => {
    const bad = (spec: Partial<CalendarSpec>, start = '2024-01-01') => () =>
      new WorkingCalendar({ ...christmas, ...spec } as CalendarSpec, start);
    expect(bad({ workingWeekdays: [] })).toThrow(CalendarError);
    expect(bad({ workingWeekdays: [7] })).toThrow(/weekday/);
    expect(bad({ hoursPerDay: 0 })).toThrow(/hoursPerDay/);
    expect(bad({ holidays: ['2024-02-30'] })).toThrow(/holiday/);
    expect(bad({ exceptions: [{ date: '2024-05-01', working: false }, { date: '2024-05-01', working: true }] })).toThrow(/twice/);
    expect(bad({}, '2024-13-01')).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID' }));
    expect(() => calendar.dateAt(1.5)).toThrow(CalendarError);
  });

  describe('against a day-by-day walk (property)', () => {
    const specArb = fc.record({
      workingWeekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      hoursPerDay: fc.constant(8),
      holidays: fc.array(fc.integer({ min: -60, max: 60 }).map((d) => formatIsoDate(parseIsoDate('2025-01-01') + d)), { maxLength: 20 }),
    });

    function naiveIndex(spec: CalendarSpec, start: number, day: number): { after: number; before: number } {
      const works = (d: number) => new WorkingCalendar(spec, '2025-01-01').isWorkingDayNumber(d);
      let origin = start;
      while (!works(origin)) origin++;
      let count = 0;
      if (day >= origin) for (let d = origin; d < day; d++) count += works(d) ? 1 : 0;
      else for (let d = day; d < origin; d++) count -= works(d) ? 1 : 0;
      return { after: count, before: works(day) ? count : count - 1 };
    }

    it('maps dates to indices and back like counting day by day', () => {
      fc.assert(
        fc.property(specArb, fc.integer({ min: -30, max: 30 }), fc.integer({ min: -120, max: 120 }), (spec, startShift, dayShift) => {
          const start = parseIsoDate('2025-01-01') + startShift;
          const day = parseIsoDate('2025-01-01') + dayShift;
          const cal = new WorkingCalendar(spec, formatIsoDate(start));
          const expected = naiveIndex(spec, start, day);
          expect(cal.indexOnOrAfterDayNumber(day)).toBe(expected.after);
          expect(cal.indexOnOrBeforeDayNumber(day)).toBe(expected.before);
          const i = expected.after;
          expect(cal.indexOnOrAfterDayNumber(cal.dayNumberAt(i))).toBe(i);
          expect(cal.dayNumberAt(i)).toBeGreaterThanOrEqual(day);
          expect(cal.isWorkingDayNumber(cal.dayNumberAt(i))).toBe(true);
        }),
      );
    });

    it('workingDaysBetween(d, addWorkingDays(d, n)) is n for a working day d', () => {
      fc.assert(
        fc.property(specArb, fc.integer({ min: -40, max: 40 }), fc.integer({ min: -50, max: 50 }), (spec, shift, n) => {
          const cal = new WorkingCalendar(spec, '2025-01-01');
          const d = cal.dateAt(shift);
          expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, n))).toBe(n);
        }),
      );
    });
  });
});
