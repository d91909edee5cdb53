import { nextPeriodEnd, periodCount, periodEndOf, periodEnds } from './periods';

describe('Reporting periods', () => {
  it('ends an ISO week on its Sunday (a Sunday ends its own week) and a month on its last day', () => {
    expect(periodEndOf('2026-03-02', 'week')).toBe('2026-03-08');
    expect(periodEndOf('2026-03-08', 'week')).toBe('2026-03-08');
    expect(periodEndOf('2026-03-09', 'week')).toBe('2026-03-15');
    expect(periodEndOf('2024-02-10', 'month')).toBe('2024-02-29');
    expect(periodEndOf('2100-02-10', 'month')).toBe('2100-02-28');
    // ISO week 1 of 2026 runs Monday 29 December 2025 to Sunday 4 January 2026.
    expect(periodEndOf('2025-12-29', 'week')).toBe('2026-01-04');
  });

  it('counts and lists the periods between two dates, both ends included', () => {
    expect(periodCount('2026-03-02', '2026-03-31', 'week')).toBe(5);
    expect(periodCount('2025-11-30', '2026-02-01', 'month')).toBe(4);
    expect(periodCount('2026-03-02', '2026-03-01', 'week')).toBe(0);
    expect(periodEnds('2025-11-30', '2026-02-01', 'month')).toEqual(['2025-11-30', '2025-12-31', '2026-01-31', '2026-02-28']);
    expect(nextPeriodEnd('2026-01-31', 'month')).toBe('2026-02-28');
  });
});
