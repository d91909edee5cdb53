import { conflict, invalid, blankToNull, sameValue } from '@pm/shared/ddd';
import type { DeclareHoliday, DefineWorkingCalendar, FollowTenantCalendar, OpenSchedule, RecordCalendarException, RescheduleProjectStart } from './schedule.commands';
import type { CalendarExceptionRecorded, HolidayDeclared, ProjectStartRescheduled, ScheduleOpened, WorkingCalendarDefined } from './schedule.events';
import { dateMustBeValid, scheduleMustBeOpen } from './schedule.rules';
import type { OpenedSchedule, ScheduleState } from './schedule.state';
import { STANDARD_CALENDAR, TENANT_DEFAULT_CALENDAR_ID, calendarExceptionMustBeValid, calendarMustBeUsable, followsTenantCalendar } from './project-calendar';
import type { ProjectCalendar } from './project-calendar';

/** Normalises optional calendar fields so that a repeat with the same content compares equal. */
export function normalisedCalendar(calendar: ProjectCalendar): ProjectCalendar {
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
  const started = [...state.tasks.values()].find((t) => t.actualStart !== null && t.actualStart < projectStart);
  if (started) {
    // Actual dates are facts; a plan start after work already began would contradict them.
    throw conflict('PROJECT_START_AFTER_ACTUAL_WORK', 'Work started before the new project start', { taskId: started.taskId, actualStart: started.actualStart });
  }
  return [{ type: 'ProjectStartRescheduled', data: { projectId: state.projectId, previousStart: state.projectStart, projectStart } }];
}

/** The tenant default's id says "follow the tenant"; a project's own calendar cannot borrow it. */
function calendarIdMustNotBeReserved(calendar: ProjectCalendar): void {
  if (followsTenantCalendar(calendar)) {
    throw invalid('CALENDAR_ID_RESERVED', `Calendar id ${TENANT_DEFAULT_CALENDAR_ID} is the tenant default's; give the project calendar its own id`, { calendarId: calendar.calendarId });
  }
}

export function defineWorkingCalendar(command: DefineWorkingCalendar, state: ScheduleState): WorkingCalendarDefined[] {
  scheduleMustBeOpen(state);
  const calendar = normalisedCalendar(command.data.calendar);
  calendarMustBeUsable(calendar);
  calendarIdMustNotBeReserved(calendar);
  if (sameValue(normalisedCalendar(state.calendar), calendar)) return [];
  return [{ type: 'WorkingCalendarDefined', data: { projectId: state.projectId, calendar } }];
}

export function followTenantCalendar(command: FollowTenantCalendar, state: ScheduleState): WorkingCalendarDefined[] {
  scheduleMustBeOpen(state);
  if (!followsTenantCalendar(state.calendar)) return [];
  const calendar = normalisedCalendar({ ...command.data.calendar, calendarId: TENANT_DEFAULT_CALENDAR_ID });
  calendarMustBeUsable(calendar);
  if (sameValue(normalisedCalendar(state.calendar), calendar)) return [];
  return [{ type: 'WorkingCalendarDefined', data: { projectId: state.projectId, calendar } }];
}

/**
 * A holiday or exception of one project makes its calendar its own: a copy of the tenant default under a
 * project id, so a later change of the default does not wipe what the project declared (ADR 0104).
 */
function detachedFromTenantCalendar(state: OpenedSchedule): WorkingCalendarDefined[] {
  if (!followsTenantCalendar(state.calendar)) return [];
  const calendar = { ...normalisedCalendar(state.calendar), calendarId: 'project', name: `${state.calendar.name.trim()} (project)` };
  return [{ type: 'WorkingCalendarDefined', data: { projectId: state.projectId, calendar } }];
}

export function declareHoliday(command: DeclareHoliday, state: ScheduleState): Array<WorkingCalendarDefined | HolidayDeclared> {
  scheduleMustBeOpen(state);
  const { date } = command.data;
  dateMustBeValid('date', date);
  const name = blankToNull(command.data.name);
  if (name === null) throw invalid('HOLIDAY_NAME_REQUIRED', 'A holiday needs a name');
  if (state.calendar.holidays.some((h) => h.date === date && h.name === name)) return [];
  return [...detachedFromTenantCalendar(state), { type: 'HolidayDeclared', data: { projectId: state.projectId, date, name } }];
}

export function recordCalendarException(command: RecordCalendarException, state: ScheduleState): Array<WorkingCalendarDefined | CalendarExceptionRecorded> {
  scheduleMustBeOpen(state);
  const { date, working } = command.data;
  dateMustBeValid('date', date);
  const exception = { date, working, hours: working ? (command.data.hours ?? null) : null, reason: blankToNull(command.data.reason) };
  calendarExceptionMustBeValid(exception);
  if (state.calendar.exceptions.some((e) => sameValue(e, exception))) return [];
  return [...detachedFromTenantCalendar(state), { type: 'CalendarExceptionRecorded', data: { projectId: state.projectId, ...exception } }];
}
