import type { MspdiCalendarException, MspdiRecurrencePattern } from '../mspdi.model';
import { MAX_EXCEPTION_DATES, exceptionDates } from './calendar-recurrence';
import { deriveHoursPerDay, resolveWeek } from './calendar-week';

const series = (pattern: MspdiRecurrencePattern, from: string, to: string, occurrences: number | null = null): MspdiCalendarException => ({
  name: 'series',
  from,
  to,
  working: false,
  workingTimes: [],
  recurrence: { pattern, enteredByOccurrences: occurrences !== null, occurrences },
});

describe('exceptionDates', () => {
  it('refuses a series of more occurrences, or a range of more days, than MAX_EXCEPTION_DATES (a loop the file controls)', () => {
    const huge = series({ type: 'daily', every: 1 }, '2000-01-01', '9999-12-31', 1_000_000_000);
    expect(() => exceptionDates(huge)).toThrow(expect.objectContaining({ code: 'MSPDI_LIMIT_EXCEEDED' }));
    expect(() => exceptionDates({ ...huge, recurrence: null })).toThrow(expect.objectContaining({ code: 'MSPDI_LIMIT_EXCEEDED' }));
    expect(exceptionDates(series({ type: 'daily', every: 1 }, '2000-01-01', '9999-12-31', MAX_EXCEPTION_DATES))).toHaveLength(MAX_EXCEPTION_DATES);
    // A series without a count stops at the cap instead of walking to year 9999.
    expect(exceptionDates(series({ type: 'daily', every: 1 }, '2000-01-01', '9999-12-31'))).toHaveLength(MAX_EXCEPTION_DATES);
  });

  it('covers every day of a plain range', () => {
    const range = { ...series({ type: 'daily', every: 1 }, '2024-12-24', '2024-12-26'), recurrence: null };
    expect(exceptionDates(range)).toEqual(['2024-12-24', '2024-12-25', '2024-12-26']);
  });

  it('repeats every N days', () => {
    expect(exceptionDates(series({ type: 'daily', every: 3 }, '2000-02-01', '2000-02-10'))).toEqual([
      '2000-02-01', '2000-02-04', '2000-02-07', '2000-02-10',
    ]);
  });

  it('counts weeks from the Sunday on or before the start, skipping days before it', () => {
    // 2001-01-01 is a Monday: the Sunday of its first week (2000-12-31) is before the range.
    expect(exceptionDates(series({ type: 'weekly', every: 7, daysOfWeek: [0] }, '2001-01-01', '2001-06-01'))).toEqual([
      '2001-02-18', '2001-04-08', '2001-05-27',
    ]);
  });

  it('falls on the last day of shorter months', () => {
    expect(exceptionDates(series({ type: 'monthly-by-day', every: 1, dayOfMonth: 31 }, '2024-01-01', '2024-04-30'))).toEqual([
      '2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30',
    ]);
  });

  it('finds the last weekday and the fourth Thursday', () => {
    expect(exceptionDates(series({ type: 'monthly-by-position', every: 1, position: 'last', item: 'weekday' }, '2024-03-01', '2024-04-30'))).toEqual([
      '2024-03-29', '2024-04-30',
    ]);
    // US Thanksgiving: fourth Thursday of November.
    expect(exceptionDates(series({ type: 'yearly-by-position', month: 11, position: 'fourth', item: 4 }, '2023-01-01', '2025-12-31'))).toEqual([
      '2023-11-23', '2024-11-28', '2025-11-27',
    ]);
  });

  it('stops after the number of occurrences', () => {
    expect(exceptionDates(series({ type: 'yearly-by-day', month: 1, dayOfMonth: 1 }, '2020-01-01', '2030-01-01', 2))).toEqual([
      '2020-01-01', '2021-01-01',
    ]);
  });
});

describe('calendar week', () => {
  const standard = {
    uid: 1,
    baseCalendarUid: null,
    weekDays: [
      { dayOfWeek: 0 as const, working: false, workingTimes: [] },
      { dayOfWeek: 6 as const, working: true, workingTimes: [{ from: '09:00:00', to: '13:00:00' }] },
    ],
  };

  it('takes undefined days from the base calendar, then from the default Monday-Friday week', () => {
    const resource = { uid: 2, baseCalendarUid: 1, weekDays: [{ dayOfWeek: 1 as const, working: false, workingTimes: [] }] };
    const week = resolveWeek(resource, [standard, resource]);
    expect(week.map((day) => day.working)).toEqual([false, false, true, true, true, true, true]);
    expect(week[6].workingTimes).toEqual([{ from: '09:00:00', to: '13:00:00' }]);
    expect(week[2].workingTimes).toHaveLength(2);
  });

  it('uses the most common day length as hours per day', () => {
    expect(deriveHoursPerDay(resolveWeek(standard, [standard]))).toBe(8);
    expect(deriveHoursPerDay(resolveWeek({ uid: 3, baseCalendarUid: null, weekDays: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ dayOfWeek: d as 0, working: false, workingTimes: [] })) }, []))).toBe(0);
  });
});
