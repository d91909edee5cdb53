import fc from 'fast-check';
import { addDays } from '@pm/shared/scheduling';
import { STANDARD_CALENDAR } from '../schedule/project-calendar';
import type { ProjectCalendar } from '../schedule/project-calendar';
import { earnedValueOf, plannedFraction, plannedValueAt } from './planned-value';

const easter: ProjectCalendar = { ...STANDARD_CALENDAR, holidays: [{ date: '2025-04-18', name: 'Good Friday' }, { date: '2025-04-21', name: 'Easter Monday' }] };

describe('Planned value (time-phased, linear over working days)', () => {
  it('plans 3/5 of a Monday–Friday task by the end of Wednesday', () => {
    expect(plannedValueAt(STANDARD_CALENDAR, { budget: 5000, start: '2025-03-03', finish: '2025-03-07' }, '2025-03-05')).toBe(3000);
  });

  it('accrues nothing over a weekend or a holiday', () => {
    const task = { budget: 5000, start: '2025-04-16', finish: '2025-04-24' }; // Wed, Thu, Tue, Wed, Thu around Easter
    expect(plannedValueAt(easter, task, '2025-04-17')).toBe(2000);
    expect(plannedValueAt(easter, task, '2025-04-21')).toBe(2000);
    expect(plannedValueAt(easter, task, '2025-04-22')).toBe(3000);
  });

  it('plans nothing before the start and everything from the finish on', () => {
    const task = { budget: 800, start: '2025-03-03', finish: '2025-03-07' };
    expect(plannedValueAt(STANDARD_CALENDAR, task, '2025-03-02')).toBe(0);
    expect(plannedValueAt(STANDARD_CALENDAR, task, '2025-03-07')).toBe(800);
    expect(plannedValueAt(STANDARD_CALENDAR, task, '2025-06-30')).toBe(800);
  });

  it('plans a milestone in full on its date', () => {
    expect(plannedFraction(STANDARD_CALENDAR, '2025-03-07', '2025-03-07', '2025-03-06')).toBe(0);
    expect(plannedFraction(STANDARD_CALENDAR, '2025-03-07', '2025-03-07', '2025-03-07')).toBe(1);
  });

  it('earns percent complete of the budget', () => {
    expect(earnedValueOf(4000, 62.5)).toBe(2500);
  });

  it('grows monotonically from 0 to the budget as the status date advances (property)', () => {
    const offset = fc.integer({ min: 0, max: 60 });
    fc.assert(
      fc.property(offset, offset, offset, offset, fc.integer({ min: 0, max: 1_000_000 }), (s, length, d1, d2, budget) => {
        const start = addDays('2025-04-01', s);
        const task = { budget, start, finish: addDays(start, length) };
        const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const pvEarly = plannedValueAt(easter, task, addDays('2025-03-25', early));
        const pvLate = plannedValueAt(easter, task, addDays('2025-03-25', late));
        expect(pvEarly).toBeGreaterThanOrEqual(0);
        expect(pvLate).toBeGreaterThanOrEqual(pvEarly);
        expect(pvLate).toBeLessThanOrEqual(budget);
        expect(plannedValueAt(easter, task, task.finish)).toBe(budget);
      }),
    );
  });
});
