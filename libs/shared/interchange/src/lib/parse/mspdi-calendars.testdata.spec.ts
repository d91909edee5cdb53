import { exceptionDates } from '../calendar/calendar-recurrence';
import type { MspdiCalendarException, MspdiProject } from '../mspdi.model';
import { describeWithTestdata, parseTestdata, readTestdata } from '../testing/testdata.fixtures';
import { parseMspdi } from './mspdi.parser';

const RECURRING = 'calendar-recurring-exceptions-project2016-mspdi.xml';
const exceptionNamed = (project: MspdiProject, name: string): MspdiCalendarException => {
  const exception = project.calendars[0].exceptions.find((candidate) => candidate.name === name);
  if (!exception) throw new Error(`no exception named ${name}`);
  return exception;
};

describeWithTestdata('calendars saved by Microsoft Project', () => {
  it('calendar-calendars-project2019: base calendars and resource calendars derived from Standard', () => {
    const project = parseTestdata('calendar-calendars-project2019-mspdi.xml');
    expect(project.calendars.map((c) => [c.uid, c.name, c.isBaseCalendar, c.baseCalendarUid])).toEqual([
      [1, 'Standard', true, null],
      [3, 'Calendar1', true, null],
      [4, 'Calendar2', true, null],
      [5, 'Resource One', false, 1],
      [6, 'Resource Two', false, 1],
    ]);
    const standard = project.calendars[0];
    expect(standard.weekDays.filter((day) => day.working).map((day) => day.dayOfWeek)).toEqual([1, 2, 3, 4, 5]);
    expect(standard.weekDays[1].workingTimes).toEqual([
      { from: '08:00:00', to: '12:00:00' },
      { from: '13:00:00', to: '17:00:00' },
    ]);
    // A derived calendar defines no day of its own; its hours come from Standard.
    expect(project.calendars[3]).toMatchObject({ weekDays: [], hoursPerDay: 8 });
    expect(project.properties.defaultCalendarUid).toBe(1);
    expect(project.resources.find((r) => r.name === 'Resource Two')?.calendarUid).toBe(6);
  });

  it('sample.xml: a night shift ending at midnight still works an 8-hour day', () => {
    const nightShift = parseTestdata('sample.xml').calendars.find((c) => c.name === 'Night Shift');
    expect(nightShift?.weekDays[1].workingTimes).toEqual([{ from: '23:00:00', to: '00:00:00' }]);
    // Monday 1 h, Tuesday-Friday 8 h, Saturday 7 h: the usual day is 8 hours.
    expect(nightShift?.hoursPerDay).toBe(8);
  });

  describe(RECURRING, () => {
    let project: MspdiProject;
    beforeAll(() => {
      project = parseTestdata(RECURRING);
    });

    it('reads all 27 exceptions with their recurrence', () => {
      expect(project.calendars[0].exceptions).toHaveLength(27);
      expect(exceptionNamed(project, 'Daily 1')).toEqual({
        name: 'Daily 1',
        from: '2000-01-01',
        to: '2000-01-03',
        working: false,
        workingTimes: [],
        recurrence: null,
      });
      expect(exceptionNamed(project, 'Daily 2').recurrence).toEqual({
        pattern: { type: 'daily', every: 3 },
        enteredByOccurrences: true,
        occurrences: 4,
      });
      expect(exceptionNamed(project, 'Weekly 2 Tuesday').recurrence?.pattern).toEqual({ type: 'weekly', every: 2, daysOfWeek: [2] });
      expect(exceptionNamed(project, 'Monthly Absolute 2').recurrence?.pattern).toEqual({
        type: 'monthly-by-day',
        every: 5,
        dayOfMonth: 4,
      });
      expect(exceptionNamed(project, 'Monthly Relative 1').recurrence?.pattern).toEqual({
        type: 'monthly-by-position',
        every: 2,
        position: 'first',
        item: 1,
      });
      // MSPDI months are 0-based: Month 2 is March.
      expect(exceptionNamed(project, 'Yearly Absolute 2').recurrence?.pattern).toEqual({ type: 'yearly-by-day', month: 3, dayOfMonth: 2 });
      expect(exceptionNamed(project, 'Yearly Relative 3').recurrence?.pattern).toEqual({
        type: 'yearly-by-position',
        month: 5,
        position: 'third',
        item: 4,
      });
    });

    it('reads a recurring working exception with its own hours', () => {
      expect(exceptionNamed(project, 'Recurring Working')).toMatchObject({
        working: true,
        workingTimes: [
          { from: '09:00:00', to: '13:00:00' },
          { from: '14:00:00', to: '17:00:00' },
        ],
        recurrence: { pattern: { type: 'monthly-by-position', every: 1, position: 'first', item: 6 } },
      });
      expect(exceptionDates(exceptionNamed(project, 'Recurring Working'))).toEqual(['2010-01-02', '2010-02-06', '2010-03-06']);
    });

    it('expands the recurrences to exactly the dates Microsoft Project listed as DayType 0 days', () => {
      // Without the Exceptions element the parser falls back to the legacy expansion Project wrote.
      const legacy = parseMspdi(readTestdata(RECURRING).replace(/<Exceptions>[\s\S]*<\/Exceptions>/, ''));
      const legacyDates = legacy.calendars[0].exceptions.flatMap((exception) =>
        exceptionDates(exception).map((date) => `${date} ${exception.working ? 'working' : 'off'}`),
      );
      const expanded = project.calendars[0].exceptions.flatMap((exception) =>
        exceptionDates(exception).map((date) => `${date} ${exception.working ? 'working' : 'off'}`),
      );
      expect(legacy.calendars[0].exceptions.every((exception) => exception.recurrence === null)).toBe(true);
      // Project lists a date once even when two series hit it (2003-03-01 is in two of them).
      expect([...new Set(expanded)].sort()).toEqual([...legacyDates].sort());
      // 138 DayType 0 entries, one of them the three-day range of "Daily 1".
      expect(legacyDates).toHaveLength(140);
    });
  });
});
