import { describe, expect, it } from '@jest/globals';
import { addDays, heatRows, mondayOf, overAllocations } from './utilisation';

const pool = [
  { resourceId: 'r-ada', kind: 'person', name: 'Ada Lovelace', role: 'Developer', department: 'IT' },
  { resourceId: 'r-bob', kind: 'person', name: 'Bob Byte', role: 'Developer', department: 'IT' },
  { resourceId: 'r-cy', kind: 'person', name: 'Cy Test', role: null, department: null },
];
const week = (key: string, weekStart: string, capacityHours: number, demandHours: number) => ({
  key,
  weekStart,
  capacityMinutes: capacityHours * 60,
  demandMinutes: demandHours * 60,
  utilisationPercent: capacityHours ? Math.round((demandHours / capacityHours) * 100) : null,
});
const rows = [
  week('r-ada', '2026-11-30', 40, 80),
  week('r-ada', '2026-12-07', 40, 20),
  week('r-bob', '2026-11-30', 40, 10),
  week('r-bob', '2026-12-07', 32, 30),
  week('r-cy', '2026-12-07', 0, 4), // on leave all week, yet booked
];

describe('utilisation heat map rows', () => {
  it('gives one row per resource by name with demand over capacity per week, marking demand above capacity', () => {
    const { weeks, rows: heat } = heatRows(rows, pool, 'resource');
    expect(weeks).toEqual(['2026-11-30', '2026-12-07']);
    expect(heat.map((r) => r.label)).toEqual(['Ada Lovelace', 'Bob Byte', 'Cy Test']);
    expect(heat[0].cells).toEqual([
      { week: '2026-11-30', capacityHours: 40, demandHours: 80, percent: 200, over: true },
      { week: '2026-12-07', capacityHours: 40, demandHours: 20, percent: 50, over: false },
    ]);
    // A week missing for a resource is an empty cell, and demand without capacity is over-allocated with no percentage.
    expect(heat[2].cells).toEqual([
      { week: '2026-11-30', capacityHours: 0, demandHours: 0, percent: null, over: false },
      { week: '2026-12-07', capacityHours: 0, demandHours: 4, percent: null, over: true },
    ]);
  });

  it('sums a role over its people: Developer 80 h of 80 h, then 50 h of 72 h', () => {
    const { rows: heat } = heatRows(rows, pool, 'role');
    expect(heat.map((r) => r.label)).toEqual(['Developer', 'No role']);
    expect(heat[0].cells.map((c) => [c.demandHours, c.capacityHours, c.percent, c.over])).toEqual([
      [90, 80, 113, true],
      [50, 72, 69, false],
    ]);
  });

  it('lists over-allocations worst excess first: Ada 40 h over, Cy 4 h', () => {
    const over = overAllocations(heatRows(rows, pool, 'resource').rows);
    expect(over.map((o) => [o.label, o.excessHours, o.weeks.map((w) => w.week)])).toEqual([
      ['Ada Lovelace', 40, ['2026-11-30']],
      ['Cy Test', 4, ['2026-12-07']],
    ]);
  });

  it('names a resource the pool does not know (yet) by its id rather than dropping its demand', () => {
    const { rows: heat } = heatRows([week('r-new', '2026-11-30', 40, 48)], pool, 'resource');
    expect(heat.map((r) => [r.label, r.cells[0].over])).toEqual([['r-new', true]]);
  });
});

describe('weeks', () => {
  it('starts a week on Monday and counts days across a month end', () => {
    expect(mondayOf(new Date('2026-12-05T23:00:00Z'))).toBe('2026-11-30'); // a Saturday
    expect(mondayOf(new Date('2026-11-30T00:00:00Z'))).toBe('2026-11-30');
    expect(mondayOf(new Date('2026-12-06T12:00:00Z'))).toBe('2026-11-30'); // a Sunday
    expect(addDays('2026-11-30', 83)).toBe('2027-02-21');
  });
});
