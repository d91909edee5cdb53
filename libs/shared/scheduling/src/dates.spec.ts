import fc from 'fast-check';
import {
  MAX_DAY,
  MIN_DAY,
  addDays,
  civilFromDays,
  dayNumber,
  daysFromCivil,
  daysInMonth,
  formatIsoDate,
  fromDayNumber,
  isIsoDate,
  isoDate,
  parseIsoDate,
  tryParseIsoDate,
  weekdayOf,
  weekdayOfDay,
} from './dates';

const DAY_MS = 86_400_000;
const anyDay = fc.integer({ min: MIN_DAY, max: MAX_DAY });
// From year 100 on, Date.UTC reads the year as given: an independent oracle for the integer algorithms.
const dateEraDay = fc.integer({ min: daysFromCivil(100, 1, 1), max: MAX_DAY });

describe('plan dates', () => {
  it('numbers days from 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2025-03-03')).toBe(20150);
    expect(fromDayNumber(20150)).toBe('2025-03-03');
  });

  it('agrees with Date on every day it can represent', () => {
    fc.assert(
      fc.property(dateEraDay, (day) => {
        const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
        expect(fromDayNumber(day)).toBe(iso);
        expect(dayNumber(iso)).toBe(day);
        expect(weekdayOfDay(day)).toBe(new Date(day * DAY_MS).getUTCDay());
      }),
    );
  });

  it('round-trips every day of the years 0001-9999, the first century included', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const text = formatIsoDate(day);
        expect(parseIsoDate(text)).toBe(day);
        expect(isIsoDate(text)).toBe(true);
        const { year, month, day: dom } = civilFromDays(day);
        expect(isoDate(year, month, dom)).toBe(text);
        expect(dom).toBeLessThanOrEqual(daysInMonth(year, month));
      }),
    );
    expect(formatIsoDate(MIN_DAY)).toBe('0001-01-01');
    expect(formatIsoDate(MAX_DAY)).toBe('9999-12-31');
    expect(dayNumber('0050-03-01') - dayNumber('0050-02-28')).toBe(1);
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2000-12-31', 1)).toBe('2001-01-01');
    expect(addDays('2025-03-03', -63)).toBe('2024-12-30');
    const inner = fc.integer({ min: MIN_DAY + 1000, max: MAX_DAY - 1000 });
    fc.assert(fc.property(inner, fc.integer({ min: -1000, max: 1000 }), (day, n) => expect(dayNumber(addDays(fromDayNumber(day), n))).toBe(day + n)));
  });

  it('names weekdays 0 = Sunday … 6 = Saturday, before 1970 too', () => {
    expect(weekdayOf('2025-03-03')).toBe(1);
    expect(weekdayOf('2025-03-09')).toBe(0);
    expect(weekdayOf('1969-12-31')).toBe(3);
  });

  it('knows the lengths of months, with the Gregorian leap rule', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect([2024, 2000, 1900, 2100].map((y) => daysInMonth(y, 2))).toEqual([29, 29, 28, 28]);
  });

  it('accepts only real YYYY-MM-DD calendar dates', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '0000-01-01', '2025-1-01', '2025-01-01T00:00', ' 2025-01-01', '', 20250101, null, undefined]) {
      expect(isIsoDate(bad)).toBe(false);
      expect(tryParseIsoDate(bad)).toBeUndefined();
    }
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(() => parseIsoDate('2025-02-30', 'holiday')).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID', message: expect.stringContaining('holiday "2025-02-30"') }));
  });

  it('refuses to format a day outside the years 0001-9999', () => {
    expect(() => formatIsoDate(MAX_DAY + 1)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID' }));
    expect(() => formatIsoDate(MIN_DAY - 1)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID' }));
  });
});
