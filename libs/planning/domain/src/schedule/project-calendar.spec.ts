import fc from 'fast-check';
import { addDays, weekdayOf } from '@pm/shared/scheduling';
import { STANDARD_CALENDAR, hoursOn, isWorkingDay, workingDayCounter, toCalendarSpec, workingDayDifference, workingDaysInRange } from './project-calendar';
import type { ProjectCalendar } from './project-calendar';

const withHolidayAndSaturday: ProjectCalendar = {
  ...STANDARD_CALENDAR,
  holidays: [{ date: '2025-03-05', name: 'Plant holiday' }],
  exceptions: [{ date: '2025-03-08', working: true, hours: 4, reason: 'Cut-over' }],
};

describe('Project calendar', () => {
  it('knows 2025-03-03 is a Monday', () => {
    expect(weekdayOf('2025-03-03')).toBe(1);
    expect(weekdayOf('2025-03-09')).toBe(0);
  });

  it('counts a range with its counter as it counts it day by day, inside March and outside it', () => {
    const count = workingDayCounter(withHolidayAndSaturday);
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 45 }), fc.integer({ min: -3, max: 20 }), (offset, length) => {
        const from = addDays('2025-03-01', offset);
        const to = addDays(from, length);
        expect(count(from, to)).toBe(workingDaysInRange(withHolidayAndSaturday, from, to));
      }),
    );
  });

  it('counts ten working days in two standard weeks', () => {
    expect(workingDaysInRange(STANDARD_CALENDAR, '2025-03-03', '2025-03-14')).toBe(10);
  });

  it('drops holidays and adds worked exception days', () => {
    expect(workingDaysInRange(withHolidayAndSaturday, '2025-03-03', '2025-03-14')).toBe(10);
    expect(isWorkingDay(withHolidayAndSaturday, '2025-03-05')).toBe(false);
    expect(hoursOn(withHolidayAndSaturday, '2025-03-08')).toBe(4);
    expect(hoursOn(withHolidayAndSaturday, '2025-03-09')).toBe(0);
  });

  it('measures Friday to Monday as one working day, either way', () => {
    expect(workingDayDifference(STANDARD_CALENDAR, '2025-03-07', '2025-03-10')).toBe(1);
    expect(workingDayDifference(STANDARD_CALENDAR, '2025-03-10', '2025-03-07')).toBe(-1);
    expect(workingDayDifference(STANDARD_CALENDAR, '2025-03-07', '2025-03-07')).toBe(0);
  });

  it('maps to the scheduling engine calendar spec', () => {
    expect(toCalendarSpec(withHolidayAndSaturday)).toEqual({
      workingWeekdays: [1, 2, 3, 4, 5],
      hoursPerDay: 8,
      holidays: ['2025-03-05'],
      exceptions: [{ date: '2025-03-08', working: true, hours: 4 }],
    });
  });

  it('adds working-day differences along the way and reverses them backwards (property)', () => {
    const date = fc.integer({ min: 0, max: 120 }).map((n) => addDays('2025-01-01', n));
    fc.assert(
      fc.property(date, date, date, (a, b, c) => {
        const d = (x: string, y: string) => workingDayDifference(withHolidayAndSaturday, x, y);
        expect(d(a, c)).toBe(d(a, b) + d(b, c));
        expect(d(a, b) + d(b, a)).toBe(0);
      }),
    );
  });
});

describe('workingDaysInRange (arithmetic) against a walk over the days', () => {
  const walk = (calendar: ProjectCalendar, from: string, to: string): number => {
    let count = 0;
    for (let date = from; date <= to; date = addDays(date, 1)) if (isWorkingDay(calendar, date)) count++;
    return count;
  };
  const day = fc.integer({ min: 0, max: 3_000 }).map((n) => addDays('2024-01-01', n));
  const calendar = fc
    .record({
      workingWeekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      holidays: fc.uniqueArray(day, { maxLength: 40 }).map((dates) => dates.map((date) => ({ date, name: 'H' }))),
      exceptions: fc.uniqueArray(fc.record({ date: day, working: fc.boolean() }), { maxLength: 40, selector: (e) => e.date }),
    })
    .map(({ workingWeekdays, holidays, exceptions }): ProjectCalendar => ({
      calendarId: 'c',
      name: 'C',
      hoursPerDay: 8,
      workingWeekdays,
      holidays,
      exceptions: exceptions.map((e) => ({ ...e, hours: null, reason: null })),
    }));

  it('counts what the walk counts, for any calendar and range (holidays and exceptions on both sides of the range)', () => {
    fc.assert(
      fc.property(calendar, day, day, (cal, a, b) => {
        expect(workingDaysInRange(cal, a, b)).toBe(walk(cal, a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a span of decades without walking it', () => {
    expect(workingDaysInRange(STANDARD_CALENDAR, '2000-01-03', '2099-12-31')).toBe(walk(STANDARD_CALENDAR, '2000-01-03', '2099-12-31'));
  });
});
