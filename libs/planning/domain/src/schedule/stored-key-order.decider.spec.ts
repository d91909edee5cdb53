import { changeRequestDecider } from '../change-request/change-request.decider';
import type { ChangeRequestEvent } from '../change-request/change-request.events';
import { toChangeRequestId } from '../change-request/change-request.ids';
import { deciderSpecification } from '../testing/decider-specification';
import { reorderedKeys } from '../testing/jsonb-key-order';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleEvent, ScheduleStreamEvent } from './schedule.events';
import { T, added, baseline0, baselineTaskDates, baselineWbs, meta, projectId, projectStart, scheduleOpened, taskDatesOf } from './schedule.spec-fixtures';
import { STANDARD_CALENDAR } from './project-calendar';

/**
 * Regression: state folded from stored events has its object keys reordered by PostgreSQL jsonb. A retried
 * identical command must still be recognised as a repeat (no-op), not refused (409) or published twice.
 */
const spec = deciderSpecification(scheduleDecider);
const fromStore = (events: ScheduleStreamEvent[]): ScheduleStreamEvent[] => events.map(reorderedKeys);
const holidayCalendar = { ...STANDARD_CALENDAR, holidays: [{ date: '2025-12-25', name: 'Christmas Day' }], exceptions: [{ date: '2025-03-08', working: true, hours: 4, reason: 'Cut-over' }] };

describe('Schedule, given events read back from jsonb with their keys reordered', () => {
  it('the fixture really reorders keys (else these specs could not fail)', () => {
    expect(JSON.stringify(reorderedKeys(scheduleOpened))).not.toBe(JSON.stringify(scheduleOpened));
  });

  it('does nothing when the schedule is opened again with the same calendar', () => {
    const opened: ScheduleEvent = { type: 'ScheduleOpened', data: { projectId, projectStart, calendar: holidayCalendar, openedAt: meta.now } };
    spec.given(fromStore([opened])).when({ type: 'OpenSchedule', data: { projectId, projectStart, calendar: holidayCalendar }, metadata: meta }).thenNothingHappens();
  });

  it('does nothing when the same working calendar is defined again', () => {
    const defined: ScheduleEvent = { type: 'WorkingCalendarDefined', data: { projectId, calendar: holidayCalendar } };
    spec.given(fromStore([scheduleOpened, defined])).when({ type: 'DefineWorkingCalendar', data: { projectId, calendar: holidayCalendar }, metadata: meta }).thenNothingHappens();
  });

  it('does nothing when the same calendar exception is recorded again', () => {
    const recorded: ScheduleEvent = { type: 'CalendarExceptionRecorded', data: { projectId, date: '2025-03-08', working: true, hours: 4, reason: 'Cut-over' } };
    spec
      .given(fromStore([scheduleOpened, recorded]))
      .when({ type: 'RecordCalendarException', data: { projectId, date: '2025-03-08', working: true, hours: 4, reason: 'Cut-over' }, metadata: meta })
      .thenNothingHappens();
  });

  it('does nothing when the same baseline is saved again', () => {
    spec.given(fromStore([...baselineWbs, baseline0])).when({ type: 'SaveBaseline', data: { projectId, baselineNumber: 0, taskDates: taskDatesOf(baselineTaskDates) }, metadata: meta }).thenNothingHappens();
  });

  it('does nothing when a baseline of numeric task ids (an MSPDI import) is saved again out of numeric order', () => {
    const wbs = [scheduleOpened, added('20', 'task', null, 0), added('3', 'task', null, 1)];
    const taskDates = taskDatesOf({ '20': { start: '2025-03-03', finish: '2025-03-07' }, '3': { start: '2025-03-03', finish: '2025-03-07' } });
    const save = { type: 'SaveBaseline' as const, data: { projectId, baselineNumber: 1, taskDates }, metadata: meta };
    const saved = spec.given(wbs).when(save).events();
    spec.given(fromStore([...wbs, ...saved])).when(save).thenNothingHappens();
  });

  it('still refuses a baseline that differs in content', () => {
    const slipped = { ...baselineTaskDates, code: { start: '2025-03-11', finish: '2025-03-24' } };
    spec.given(fromStore([...baselineWbs, baseline0])).when({ type: 'SaveBaseline', data: { projectId, baselineNumber: 0, taskDates: taskDatesOf(slipped) }, metadata: meta }).thenRejects('BASELINE_ALREADY_SAVED');
  });
});

describe('ChangeRequest, given its raise read back from jsonb', () => {
  it('does nothing when the same change request is raised again', () => {
    const changeRequestId = toChangeRequestId('cr-1');
    const proposedChanges = [{ type: 'AddTaskToWbs' as const, data: { taskId: T('pen-test'), name: 'Pen test', kind: 'task' as const, durationDays: 3, costBudget: 4500 } }];
    const raise = { type: 'RaiseChangeRequest' as const, data: { changeRequestId, projectId, title: 'Pen test', description: 'Before go-live', proposedChanges }, metadata: meta };
    const crSpec = deciderSpecification(changeRequestDecider);
    const raised: ChangeRequestEvent[] = crSpec.given([]).when(raise).events();
    crSpec.given(raised.map(reorderedKeys)).when(raise).thenNothingHappens();
  });
});
