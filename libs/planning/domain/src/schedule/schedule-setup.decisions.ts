import { conflict, invalid } from '../shared/domain-error';
import { blankToNull } from '../shared/text';
import { sameValue } from '../shared/same-value';
import type { DeclareHoliday, DefineWorkingCalendar, OpenSchedule, RecordCalendarException, RescheduleProjectStart } from './schedule.commands';
import type { CalendarExceptionRecorded, HolidayDeclared, ProjectStartRescheduled, ScheduleOpened, WorkingCalendarDefined } from './schedule.events';
import { dateMustBeValid, scheduleMustBeOpen } from './schedule.rules';
import type { ScheduleState } from './schedule.state';
import { STANDARD_CALENDAR, calendarExceptionMustBeValid, calendarMustBeUsable } from './project-calendar';
import type { ProjectCalendar } from './project-calendar';

/** Normalises optional calendar fields so that a repeat with the same content compares equal. */
function normalisedCalendar(calendar: ProjectCalendar): ProjectCalendar {
  return {
    calendarId: calendar.calendarId,
    name: calendar.name.trim(),
    workingWeekdays: [...calendar.workingWeekdays].sort((a, b) => a - b),
    hoursPerDay: calendar.hoursPerDay,
    holidays: [...calendar.holidays].sort((a, b) => a.date.localeCompare(b.date)),
    exceptions: [...calendar.exceptions]
      .map((e) => ({ date: e.date, working: e.working, hours: e.hours ?? null, reason: e.reason ?? null }))
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
}

export function openSchedule(command: OpenSchedule, state: ScheduleState): ScheduleOpened[] {
  const { projectId, projectStart } = command.data;
  dateMustBeValid('projectStart', projectStart);
  const calendar = normalisedCalendar(command.data.calendar ?? STANDARD_CALENDAR);
  calendarMustBeUsable(calendar);
  if (state.status === 'open') {
    if (state.projectStart === projectStart && sameValue(state.calendar, calendar)) return [];
    throw conflict('SCHEDULE_ALREADY_OPEN', `The schedule of project ${projectId} is already open`, { projectId });
  }
  return [{ type: 'ScheduleOpened', data: { projectId, projectStart, calendar, openedAt: command.metadata.now } }];
}

export function rescheduleProjectStart(command: RescheduleProjectStart, state: ScheduleState): ProjectStartRescheduled[] {
  scheduleMustBeOpen(state);
  const { projectStart } = command.data;
  dateMustBeValid('projectStart', projectStart);
  if (state.projectStart === projectStart) return [];
  const started = Object.values(state.tasks).find((t) => t.actualStart !== null && t.actualStart < projectStart);
  if (started) {
    // Actual dates are facts; a plan start after work already began would contradict them.
    throw conflict('PROJECT_START_AFTER_ACTUAL_WORK', 'Work started before the new project start', { taskId: started.taskId, actualStart: started.actualStart });
  }
  return [{ type: 'ProjectStartRescheduled', data: { projectId: state.projectId, previousStart: state.projectStart, projectStart } }];
}

export function defineWorkingCalendar(command: DefineWorkingCalendar, state: ScheduleState): WorkingCalendarDefined[] {
  scheduleMustBeOpen(state);
  const calendar = normalisedCalendar(command.data.calendar);
  calendarMustBeUsable(calendar);
  if (sameValue(normalisedCalendar(state.calendar), calendar)) return [];
  return [{ type: 'WorkingCalendarDefined', data: { projectId: state.projectId, calendar } }];
}

export function declareHoliday(command: DeclareHoliday, state: ScheduleState): HolidayDeclared[] {
  scheduleMustBeOpen(state);
  const { date } = command.data;
  dateMustBeValid('date', date);
  const name = blankToNull(command.data.name);
  if (name === null) throw invalid('HOLIDAY_NAME_REQUIRED', 'A holiday needs a name');
  if (state.calendar.holidays.some((h) => h.date === date && h.name === name)) return [];
  return [{ type: 'HolidayDeclared', data: { projectId: state.projectId, date, name } }];
}

export function recordCalendarException(command: RecordCalendarException, state: ScheduleState): CalendarExceptionRecorded[] {
  scheduleMustBeOpen(state);
  const { date, working } = command.data;
  dateMustBeValid('date', date);
  const exception = { date, working, hours: working ? (command.data.hours ?? null) : null, reason: blankToNull(command.data.reason) };
  calendarExceptionMustBeValid(exception);
  if (state.calendar.exceptions.some((e) => sameValue(e, exception))) return [];
  return [{ type: 'CalendarExceptionRecorded', data: { projectId: state.projectId, ...exception } }];
}
