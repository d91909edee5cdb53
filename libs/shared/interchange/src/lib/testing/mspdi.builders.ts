import { withDerivedHours } from '../calendar/calendar-week';
import type { MspdiCalendar, MspdiProject, MspdiTask } from '../mspdi.model';

/** A one-day, automatically scheduled task with nothing else set. */
export function aTask(uid: number, overrides: Partial<MspdiTask> = {}): MspdiTask {
  return {
    uid,
    id: uid,
    name: `Task ${uid}`,
    outlineLevel: 1,
    outlineNumber: String(uid),
    wbs: String(uid),
    summary: false,
    milestone: false,
    manual: false,
    duration: { days: 1, unit: 'days', elapsed: false, estimated: false },
    start: null,
    finish: null,
    constraint: { type: 'ASAP', date: null },
    deadline: null,
    percentComplete: 0,
    actualStart: null,
    actualFinish: null,
    cost: null,
    work: null,
    calendarUid: null,
    notes: '',
    predecessors: [],
    baselines: [],
    customFields: [],
    schedule: null,
    ...overrides,
  };
}

export function aCalendar(uid: number, overrides: Partial<Omit<MspdiCalendar, 'hoursPerDay'>> = {}): Omit<MspdiCalendar, 'hoursPerDay'> {
  return { uid, name: uid === 1 ? 'Standard' : `Calendar ${uid}`, isBaseCalendar: true, baseCalendarUid: null, weekDays: [], exceptions: [], ...overrides };
}

/** A plan on Microsoft Project's defaults (480-minute day, Standard calendar UID 1). */
export function aProject(
  tasks: readonly MspdiTask[],
  calendars: ReadonlyArray<Omit<MspdiCalendar, 'hoursPerDay'>> = [aCalendar(1)],
  overrides: Partial<MspdiProject['properties']> = {},
): MspdiProject {
  return {
    properties: {
      name: 'plan.xml',
      title: '',
      scheduleFromStart: true,
      startDate: '2024-01-08T08:00:00',
      finishDate: null,
      statusDate: null,
      currencyCode: 'USD',
      currencySymbol: '$',
      defaultCalendarUid: calendars.length > 0 ? calendars[0].uid : null,
      defaultStartTime: '08:00:00',
      defaultFinishTime: '17:00:00',
      minutesPerDay: 480,
      minutesPerWeek: 2400,
      daysPerMonth: 20,
      ...overrides,
    },
    customFields: [],
    calendars: withDerivedHours(calendars),
    tasks,
    resources: [],
    assignments: [],
  };
}
