import fc from 'fast-check';
import { dayNumber } from '@pm/shared/scheduling';
import { addDemand, capacityProfile, demandProfile } from './capacity';
import { bucketise } from './periods';
import { searchSkills } from './skills-search';
import { STANDARD_CALENDAR, WorkingMinutes, dayRange } from './working-minutes';

const d = dayNumber;

describe('Capacity', () => {
  // 2026-03-02 is a Monday.
  const march = dayRange('2026-03-02', '2026-03-15');

  it('gives 8 h on weekdays, nothing at weekends, and scales by availability', () => {
    const full = capacityProfile({ calendar: STANDARD_CALENDAR, availabilityPercent: 100, leave: [] }, march);
    expect(Array.from(full.slice(0, 7))).toEqual([480, 480, 480, 480, 480, 0, 0]);
    const part = capacityProfile({ calendar: STANDARD_CALENDAR, availabilityPercent: 80, leave: [] }, march);
    expect(part[0]).toBe(384);
  });

  it('drops to zero on holidays and leave, and honours a worked Saturday exception with its own hours', () => {
    const calendar = { ...STANDARD_CALENDAR, holidays: ['2026-03-04'], exceptions: [{ date: '2026-03-07', working: true, hours: 4 }] };
    const profile = capacityProfile({ calendar, availabilityPercent: 100, leave: [{ from: '2026-03-12', to: '2026-03-13' }] }, march);
    expect(Array.from(profile)).toEqual([480, 480, 0, 480, 480, 240, 0, 480, 480, 480, 0, 0, 0, 0]);
  });

  it('buckets by ISO week (Monday) and by month, clipped to the range', () => {
    const range = dayRange('2026-02-26', '2026-03-10');
    const cap = capacityProfile({ calendar: STANDARD_CALENDAR, availabilityPercent: 100, leave: [] }, range);
    const dem = demandProfile([{ taskId: 't', startDay: d('2026-03-02'), finishDay: d('2026-03-06'), load: { kind: 'units', percent: 150 } }], range, new WorkingMinutes(STANDARD_CALENDAR));
    expect(bucketise(range, cap, dem, 'week').map((p) => [p.start, p.end, p.capacityMinutes / 60, p.demandMinutes / 60, p.utilisationPercent])).toEqual([
      ['2026-02-26', '2026-03-01', 16, 0, 0],
      ['2026-03-02', '2026-03-08', 40, 60, 150],
      ['2026-03-09', '2026-03-10', 16, 0, 0],
    ]);
    expect(bucketise(range, cap, dem, 'month').map((p) => [p.start, p.end, p.remainingMinutes / 60])).toEqual([
      ['2026-02-26', '2026-02-28', 16],
      ['2026-03-01', '2026-03-10', -4],
    ]);
    expect(bucketise(range, cap, dem, 'day')).toHaveLength(13);
  });

  it('spreads 20 h of work over a task’s working days with the remainder first', () => {
    const out = new Int32Array(7);
    addDemand(out, dayRange('2026-03-02', '2026-03-08'), { taskId: 't', startDay: d('2026-03-02'), finishDay: d('2026-03-04'), load: { kind: 'work', minutes: 1201 } }, new WorkingMinutes(STANDARD_CALENDAR));
    expect(Array.from(out)).toEqual([401, 400, 400, 0, 0, 0, 0]);
  });

  it('adds exactly the work, whatever the dates, as long as the task has a working day inside the range (property)', () => {
    const calendar = new WorkingMinutes(STANDARD_CALENDAR);
    const start = d('2026-01-05');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 200_000 }), (offset, length, minutes) => {
        const item = { taskId: 't', startDay: start + offset, finishDay: start + offset + length, load: { kind: 'work' as const, minutes } };
        const range = { from: start - 10, to: start + 200 };
        const profile = demandProfile([item], range, calendar);
        const total = profile.reduce((a, b) => a + b, 0);
        let working = 0;
        for (let day = item.startDay; day <= item.finishDay; day++) if (calendar.minutesOn(day) > 0) working++;
        expect(total).toBe(working === 0 ? 0 : minutes);
        // Never more than one minute apart between any two working days of the task.
        const shares = Array.from(profile).filter((m) => m > 0);
        if (shares.length) expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects ranges that end before they start or exceed ten years', () => {
    expect(() => dayRange('2026-03-02', '2026-03-01')).toThrow(expect.objectContaining({ code: 'RANGE_ENDS_BEFORE_IT_STARTS' }));
    expect(() => dayRange('2026-01-01', '2040-01-01')).toThrow(expect.objectContaining({ code: 'RANGE_TOO_LONG' }));
    expect(() => dayRange('2026-02-30', '2026-03-01')).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });
});

describe('searchSkills', () => {
  it('finds who has Java at level 3 or more with 16 h free, best level first', () => {
    const people = [
      { resourceId: 'a', name: 'Ada', skills: new Map([['java', 5 as const]]), freeMinutes: 960 },
      { resourceId: 'b', name: 'Bob', skills: new Map([['java', 3 as const]]), freeMinutes: 2400 },
      { resourceId: 'c', name: 'Cy', skills: new Map([['java', 2 as const]]), freeMinutes: 9999 },
      { resourceId: 'd', name: 'Di', skills: new Map([['java', 4 as const]]), freeMinutes: 959 },
    ];
    expect(searchSkills(people, ' Java ', 3, 960).map((m) => [m.name, m.level])).toEqual([['Ada', 5], ['Bob', 3]]);
  });

  it('finds a skill named like an object property only where it was recorded', () => {
    const people = [
      { resourceId: 'a', name: 'Ada', skills: new Map([['__proto__', 4 as const]]), freeMinutes: 960 },
      { resourceId: 'b', name: 'Bob', skills: new Map([['java', 5 as const]]), freeMinutes: 960 },
    ];
    expect(searchSkills(people, '__proto__', 1, 0).map((m) => [m.name, m.level])).toEqual([['Ada', 4]]);
    expect(searchSkills(people, 'constructor', 1, 0)).toEqual([]);
    expect(searchSkills(people, 'toString', 1, 0)).toEqual([]);
  });
});
