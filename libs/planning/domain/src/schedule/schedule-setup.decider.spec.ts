import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleEvent } from './schedule.events';
import { scheduleStreamId } from './schedule.ids';
import { T, added, meta, projectId, projectStart, scheduleOpened } from './schedule.spec-fixtures';
import { STANDARD_CALENDAR } from './project-calendar';
import type { ProjectCalendar } from './project-calendar';

const spec = deciderSpecification(scheduleDecider);
const sixDayWeek: ProjectCalendar = { ...STANDARD_CALENDAR, calendarId: 'six', name: 'Six-day week', workingWeekdays: [6, 1, 2, 3, 4, 5] };

describe('Schedule', () => {
  it('names its stream schedule:<tenant>:<projectId>', () => {
    expect(scheduleStreamId('acme', projectId)).toBe('schedule:acme:p-100');
  });

  describe('when not opened', () => {
    it('opens with the standard calendar by default', () => {
      spec.given([]).when({ type: 'OpenSchedule', data: { projectId, projectStart }, metadata: meta }).then([scheduleOpened]);
    });

    it('rejects a calendar without working days', () => {
      spec
        .given([])
        .when({ type: 'OpenSchedule', data: { projectId, projectStart, calendar: { ...STANDARD_CALENDAR, workingWeekdays: [] } }, metadata: meta })
        .thenRejects('CALENDAR_HAS_NO_WORKING_DAYS', 'invalid');
    });

    it('rejects work on a schedule that was never opened', () => {
      spec.given([]).when({ type: 'AddTaskToWbs', data: { projectId, taskId: T('a'), name: 'A', kind: 'task' }, metadata: meta }).thenRejects('SCHEDULE_NOT_OPEN', 'not-found');
    });
  });

  describe('when open', () => {
    it('does nothing when opened again the same way', () => {
      spec.given([scheduleOpened]).when({ type: 'OpenSchedule', data: { projectId, projectStart }, metadata: meta }).thenNothingHappens();
    });

    it('rejects opening it again with another start', () => {
      spec.given([scheduleOpened]).when({ type: 'OpenSchedule', data: { projectId, projectStart: '2025-04-01' }, metadata: meta }).thenRejects('SCHEDULE_ALREADY_OPEN', 'conflict');
    });

    it('reschedules the project start, and does nothing on a repeat', () => {
      spec.given([scheduleOpened]).when({ type: 'RescheduleProjectStart', data: { projectId, projectStart: '2025-03-10' }, metadata: meta }).then([
        { type: 'ProjectStartRescheduled', data: { projectId, previousStart: projectStart, projectStart: '2025-03-10' } },
      ]);
      spec.given([scheduleOpened]).when({ type: 'RescheduleProjectStart', data: { projectId, projectStart }, metadata: meta }).thenNothingHappens();
    });

    it('rejects moving the start after work that already began', () => {
      const started: ScheduleEvent[] = [scheduleOpened, added('a'), { type: 'TaskStarted', data: { projectId, taskId: 'a', actualStart: '2025-03-04' } }];
      spec
        .given(started)
        .when({ type: 'RescheduleProjectStart', data: { projectId, projectStart: '2025-03-10' }, metadata: meta })
        .thenRejects('PROJECT_START_AFTER_ACTUAL_WORK', 'conflict');
    });

    it('defines a working calendar', () => {
      const [event] = spec.given([scheduleOpened]).when({ type: 'DefineWorkingCalendar', data: { projectId, calendar: sixDayWeek }, metadata: meta }).events();
      expect(event).toEqual({ type: 'WorkingCalendarDefined', data: { projectId, calendar: { ...sixDayWeek, workingWeekdays: [1, 2, 3, 4, 5, 6] } } });
    });

    it('does nothing when the same calendar is defined again', () => {
      spec.given([scheduleOpened]).when({ type: 'DefineWorkingCalendar', data: { projectId, calendar: STANDARD_CALENDAR }, metadata: meta }).thenNothingHappens();
    });

    it('rejects hours per day beyond 24', () => {
      spec
        .given([scheduleOpened])
        .when({ type: 'DefineWorkingCalendar', data: { projectId, calendar: { ...STANDARD_CALENDAR, hoursPerDay: 25 } }, metadata: meta })
        .thenRejects('CALENDAR_HOURS_INVALID', 'invalid');
    });

    it('declares a holiday, once', () => {
      const declared: ScheduleEvent = { type: 'HolidayDeclared', data: { projectId, date: '2025-04-18', name: 'Good Friday' } };
      spec.given([scheduleOpened]).when({ type: 'DeclareHoliday', data: { projectId, date: '2025-04-18', name: 'Good Friday' }, metadata: meta }).then([declared]);
      spec.given([scheduleOpened, declared]).when({ type: 'DeclareHoliday', data: { projectId, date: '2025-04-18', name: 'Good Friday' }, metadata: meta }).thenNothingHappens();
      spec.given([scheduleOpened]).when({ type: 'DeclareHoliday', data: { projectId, date: '2025-04-31', name: 'x' }, metadata: meta }).thenRejects('INVALID_DATE');
    });

    it('records a worked Saturday, once', () => {
      const recorded: ScheduleEvent = {
        type: 'CalendarExceptionRecorded',
        data: { projectId, date: '2025-03-08', working: true, hours: 6, reason: 'Cut-over' },
      };
      spec
        .given([scheduleOpened])
        .when({ type: 'RecordCalendarException', data: { projectId, date: '2025-03-08', working: true, hours: 6, reason: 'Cut-over' }, metadata: meta })
        .then([recorded]);
      spec
        .given([scheduleOpened, recorded])
        .when({ type: 'RecordCalendarException', data: { projectId, date: '2025-03-08', working: true, hours: 6, reason: 'Cut-over' }, metadata: meta })
        .thenNothingHappens();
      spec
        .given([scheduleOpened])
        .when({ type: 'RecordCalendarException', data: { projectId, date: '2025-03-08', working: true, hours: 0 }, metadata: meta })
        .thenRejects('CALENDAR_HOURS_INVALID');
    });

    it('keeps one exception per date when a date is recorded twice', () => {
      const events: ScheduleEvent[] = [
        scheduleOpened,
        { type: 'CalendarExceptionRecorded', data: { projectId, date: '2025-03-08', working: true, hours: null, reason: null } },
        { type: 'CalendarExceptionRecorded', data: { projectId, date: '2025-03-08', working: false, hours: null, reason: 'Cancelled' } },
      ];
      const { state } = spec.given(events);
      expect(state.status === 'open' && state.calendar.exceptions).toEqual([{ date: '2025-03-08', working: false, hours: null, reason: 'Cancelled' }]);
    });
  });

  it('rejects an unknown command and ignores an unknown event', () => {
    spec.given([]).when({ type: 'Nope', data: {}, metadata: meta } as never).thenRejects('UNKNOWN_COMMAND');
    const { state } = spec.given([scheduleOpened]);
    expect(scheduleDecider.evolve(state, { type: 'FromTheFuture', data: {} } as never)).toBe(state);
  });
});
