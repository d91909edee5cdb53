import { schedule } from '@pm/shared/scheduling';

import { isMspdiError } from '../mspdi.errors';
import type { MspdiProject } from '../mspdi.model';
import { aCalendar, aProject, aTask } from '../testing/mspdi.builders';
import { toScheduleInput } from './schedule-input.mapper';

const DAYS = { unit: 'days', elapsed: false, estimated: false } as const;

function unsupportedMessage(project: MspdiProject): string {
  try {
    toScheduleInput(project);
  } catch (error) {
    if (isMspdiError(error) && error.code === 'MSPDI_UNSUPPORTED') return error.message;
    throw error;
  }
  throw new Error('expected MSPDI_UNSUPPORTED');
}

describe('toScheduleInput', () => {
  it('maps work tasks, links and constraints, leaving summary tasks out', () => {
    const project = aProject([
      aTask(0, { summary: true, outlineLevel: 0, duration: { days: 3, ...DAYS } }),
      aTask(1, { duration: { days: 2, ...DAYS } }),
      aTask(2, {
        constraint: { type: 'SNET', date: '2024-01-15T08:00:00' },
        predecessors: [{ predecessorUid: 1, type: 'SS', lag: { days: -0.5, unit: 'hours', elapsed: false, estimated: false } }],
      }),
      aTask(3, { duration: { days: 0, ...DAYS }, milestone: true, predecessors: [{ predecessorUid: 2, type: 'FS', lag: { days: 0, ...DAYS } }] }),
    ]);
    expect(toScheduleInput(project)).toEqual({
      projectStart: '2024-01-08',
      calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [], exceptions: [] },
      tasks: [
        { id: '1', duration: 2 },
        { id: '2', duration: 1, constraint: { type: 'SNET', date: '2024-01-15' } },
        { id: '3', duration: 0 },
      ],
      links: [
        { from: '1', to: '2', type: 'SS', lag: -0.5 },
        { from: '2', to: '3', type: 'FS', lag: 0 },
      ],
    });
  });

  it('passes progress and the status date on', () => {
    const project = aProject(
      [aTask(1, { actualStart: '2024-01-08T08:00:00', actualFinish: '2024-01-08T17:00:00' }), aTask(2, { actualStart: '2024-01-09T08:00:00' })],
      [aCalendar(1)],
      { statusDate: '2024-01-10T17:00:00' },
    );
    const input = toScheduleInput(project);
    expect(input.statusDate).toBe('2024-01-10');
    expect(input.tasks.map((task) => task.progress)).toEqual([
      { actualStart: '2024-01-08', actualFinish: '2024-01-08' },
      { actualStart: '2024-01-09' },
    ]);
  });

  describe('calendar', () => {
    const week = [0, 1, 2, 3, 4, 5, 6].map((day) => ({
      dayOfWeek: day as 0,
      working: day >= 1 && day <= 5,
      workingTimes: day >= 1 && day <= 5 ? [{ from: '09:00:00', to: '12:00:00' }, { from: '13:00:00', to: '18:00:00' }] : [],
    }));

    it('turns exceptions into holidays and working overrides, recurring ones expanded', () => {
      const calendar = aCalendar(1, {
        weekDays: week,
        exceptions: [
          { name: 'Christmas', from: '2024-12-25', to: '2024-12-26', working: false, workingTimes: [], recurrence: null },
          { name: 'Weekend on-call', from: '2024-01-13', to: '2024-01-13', working: true, workingTimes: [{ from: '10:00:00', to: '14:00:00' }], recurrence: null },
          {
            name: 'First Monday off',
            from: '2024-01-01',
            to: '2024-03-31',
            working: false,
            workingTimes: [],
            recurrence: { pattern: { type: 'monthly-by-position', every: 1, position: 'first', item: 1 }, enteredByOccurrences: false, occurrences: null },
          },
          // Already a day off: nothing to tell the engine.
          { name: 'Sunday', from: '2024-01-14', to: '2024-01-14', working: false, workingTimes: [], recurrence: null },
        ],
      });
      expect(toScheduleInput(aProject([aTask(1)], [calendar])).calendar).toEqual({
        workingWeekdays: [1, 2, 3, 4, 5],
        hoursPerDay: 8,
        holidays: ['2024-01-01', '2024-02-05', '2024-03-04', '2024-12-25', '2024-12-26'],
        exceptions: [{ date: '2024-01-13', working: true, hours: 4 }],
      });
    });

    it('uses the project calendar, inheriting days and exceptions from its base', () => {
      const base = aCalendar(1, {
        weekDays: week,
        exceptions: [{ name: 'Holiday', from: '2024-05-01', to: '2024-05-01', working: false, workingTimes: [], recurrence: null }],
      });
      const fourDays = aCalendar(7, {
        isBaseCalendar: false,
        baseCalendarUid: 1,
        weekDays: [{ dayOfWeek: 5, working: false, workingTimes: [] }],
        exceptions: [{ name: 'Worked', from: '2024-05-01', to: '2024-05-01', working: true, workingTimes: [], recurrence: null }],
      });
      const calendar = toScheduleInput(aProject([aTask(1)], [base, fourDays], { defaultCalendarUid: 7 })).calendar;
      expect(calendar.workingWeekdays).toEqual([1, 2, 3, 4]);
      // The derived calendar's own exception wins over the base's holiday; no hours means the default 8.
      expect(calendar.holidays).toEqual([]);
      expect(calendar.exceptions).toEqual([{ date: '2024-05-01', working: true, hours: 8 }]);
    });

    it("falls back to Microsoft Project's default week without calendars", () => {
      expect(toScheduleInput(aProject([aTask(1)], [])).calendar).toEqual({
        workingWeekdays: [1, 2, 3, 4, 5],
        hoursPerDay: 8,
        holidays: [],
        exceptions: [],
      });
    });
  });

  describe('refuses what the engine cannot express in working days', () => {
    it.each([
      ['an elapsed duration', aProject([aTask(1, { duration: { days: 1, unit: 'days', elapsed: true, estimated: false } })]), 'elapsed'],
      [
        'an elapsed lag',
        aProject([aTask(1), aTask(2, { predecessors: [{ predecessorUid: 1, type: 'FS', lag: { days: 1, unit: 'days', elapsed: true, estimated: false } }] })]),
        'elapsed lags',
      ],
      [
        'a percentage lag',
        aProject([aTask(1), aTask(2, { predecessors: [{ predecessorUid: 1, type: 'FS', lag: { unit: 'percent', percent: 50, elapsed: false, estimated: false } }] })]),
        'percentage',
      ],
      ['an ALAP constraint', aProject([aTask(1, { constraint: { type: 'ALAP', date: null } })]), 'as-late-as-possible'],
      [
        'a link from a summary task',
        aProject([aTask(1, { summary: true }), aTask(2, { outlineLevel: 2 }), aTask(3, { predecessors: [{ predecessorUid: 1, type: 'FS', lag: { days: 0, ...DAYS } }] })]),
        'summary',
      ],
    ])('%s', (_case, project, words) => {
      expect(unsupportedMessage(project)).toContain(words);
    });
  });

  it('gives an input the engine schedules', () => {
    const project = aProject([aTask(1, { duration: { days: 3, ...DAYS } }), aTask(2, { predecessors: [{ predecessorUid: 1, type: 'FS', lag: { days: 1, ...DAYS } }] })]);
    const result = schedule(toScheduleInput(project));
    expect(result.tasks.map((task) => [task.id, task.earlyStart, task.totalFloat])).toEqual([
      ['1', '2024-01-08', 0],
      ['2', '2024-01-12', 0],
    ]);
  });
});
