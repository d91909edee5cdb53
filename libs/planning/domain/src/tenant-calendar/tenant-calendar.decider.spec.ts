import { deciderSpecification } from '../testing/decider-specification';
import { reorderedKeys } from '../testing/jsonb-key-order';
import { scheduleDecider } from '../schedule/schedule.decider';
import type { ScheduleEvent } from '../schedule/schedule.events';
import { meta, projectId, projectStart } from '../schedule/schedule.spec-fixtures';
import { STANDARD_CALENDAR, TENANT_DEFAULT_CALENDAR_ID } from '../schedule/project-calendar';
import type { ProjectCalendar } from '../schedule/project-calendar';
import { BUILT_IN_TENANT_CALENDAR, tenantCalendarDecider, tenantCalendarStreamId, tenantDefaultCalendar } from './tenant-calendar.decider';
import type { TenantCalendarEvent } from './tenant-calendar.decider';

const spec = deciderSpecification(tenantCalendarDecider);
const { calendarId: _id, ...standard } = STANDARD_CALENDAR;
void _id;
const fourDayWeek = { ...standard, name: 'Four-day week', workingWeekdays: [4, 1, 2, 3], hoursPerDay: 9, holidays: [{ date: '2025-12-25', name: 'Christmas Day' }] };
const fourDayCalendar: ProjectCalendar = { ...fourDayWeek, calendarId: TENANT_DEFAULT_CALENDAR_ID, workingWeekdays: [1, 2, 3, 4] };
const set: TenantCalendarEvent = { type: 'DefaultCalendarSet', data: { calendar: fourDayCalendar, setBy: meta.actor, setAt: meta.now } };

describe('TenantCalendar', () => {
  it('names its stream tenant-calendar:<tenantId>:default', () => {
    expect(tenantCalendarStreamId('northwind')).toBe('tenant-calendar:northwind:default');
  });

  it('is the built-in standard calendar until one is set', () => {
    expect(tenantDefaultCalendar(spec.given([]).state)).toEqual(BUILT_IN_TENANT_CALENDAR);
    expect(BUILT_IN_TENANT_CALENDAR).toMatchObject({ calendarId: TENANT_DEFAULT_CALENDAR_ID, workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8 });
  });

  it('sets the default, normalised and under the tenant-default id', () => {
    spec.given([]).when({ type: 'SetDefaultCalendar', data: { calendar: fourDayWeek }, metadata: meta }).then([set]);
    expect(tenantDefaultCalendar(spec.given([set]).state)).toEqual(fourDayCalendar);
  });

  it('does nothing when the same default is set again, even as read back from jsonb', () => {
    spec.given([reorderedKeys(set)]).when({ type: 'SetDefaultCalendar', data: { calendar: fourDayWeek }, metadata: meta }).thenNothingHappens();
  });

  it('rejects a calendar without working days', () => {
    spec.given([]).when({ type: 'SetDefaultCalendar', data: { calendar: { ...standard, workingWeekdays: [] } }, metadata: meta }).thenRejects('CALENDAR_HAS_NO_WORKING_DAYS', 'invalid');
  });
});

describe('Schedule and the tenant calendar', () => {
  const scheduleSpec = deciderSpecification(scheduleDecider);
  const followingOpened: ScheduleEvent = { type: 'ScheduleOpened', data: { projectId, projectStart, calendar: BUILT_IN_TENANT_CALENDAR, openedAt: meta.now } };
  const ownCalendar: ProjectCalendar = { ...STANDARD_CALENDAR, calendarId: 'plant-3', name: 'Plant 3' };
  const overriddenOpened: ScheduleEvent = { type: 'ScheduleOpened', data: { projectId, projectStart, calendar: ownCalendar, openedAt: meta.now } };
  const follow = { type: 'FollowTenantCalendar' as const, data: { projectId, calendar: fourDayCalendar }, metadata: meta };

  it('moves a schedule that follows the default onto the new default', () => {
    scheduleSpec.given([followingOpened]).when(follow).then([{ type: 'WorkingCalendarDefined', data: { projectId, calendar: fourDayCalendar } }]);
  });

  it('leaves a schedule with its own calendar alone', () => {
    scheduleSpec.given([overriddenOpened]).when(follow).thenNothingHappens();
  });

  it('does nothing when the schedule already runs on that default', () => {
    const moved: ScheduleEvent = { type: 'WorkingCalendarDefined', data: { projectId, calendar: fourDayCalendar } };
    scheduleSpec.given([followingOpened, reorderedKeys(moved)]).when(follow).thenNothingHappens();
  });

  it('rejects a project calendar that borrows the tenant-default id', () => {
    scheduleSpec
      .given([overriddenOpened])
      .when({ type: 'DefineWorkingCalendar', data: { projectId, calendar: { ...ownCalendar, calendarId: TENANT_DEFAULT_CALENDAR_ID } }, metadata: meta })
      .thenRejects('CALENDAR_ID_RESERVED', 'invalid');
  });

  it('makes the calendar the project’s own when the project declares a holiday, so a later default cannot wipe it', () => {
    const events = scheduleSpec.given([followingOpened]).when({ type: 'DeclareHoliday', data: { projectId, date: '2025-03-07', name: 'Plant shutdown' }, metadata: meta }).events();
    expect(events).toEqual([
      { type: 'WorkingCalendarDefined', data: { projectId, calendar: { ...BUILT_IN_TENANT_CALENDAR, calendarId: 'project', name: 'Standard (Mon–Fri, 8h) (project)' } } },
      { type: 'HolidayDeclared', data: { projectId, date: '2025-03-07', name: 'Plant shutdown' } },
    ]);
    scheduleSpec.given([followingOpened, ...events]).when(follow).thenNothingHappens();
  });

  it('does the same for a calendar exception, and only once', () => {
    const exception = { type: 'RecordCalendarException' as const, data: { projectId, date: '2025-03-08', working: true, hours: 4, reason: 'Cut-over' }, metadata: meta };
    const events = scheduleSpec.given([followingOpened]).when(exception).events();
    expect(events.map((e) => e.type)).toEqual(['WorkingCalendarDefined', 'CalendarExceptionRecorded']);
    const second = scheduleSpec.given([followingOpened, ...events]).when({ ...exception, data: { ...exception.data, date: '2025-03-15' } }).events();
    expect(second.map((e) => e.type)).toEqual(['CalendarExceptionRecorded']);
  });
});
