import { outlineLevel, rolledUpCost, rolledUpWork, wbsCodes, wbsOrder } from '@pm/planning/domain';
import { dataDateOf, publishedOf } from '@pm/planning/domain';
import type { Dependency, OpenedSchedule, ProjectCalendar } from '@pm/planning/domain';
import { currentDatesOf } from '@pm/planning/data-access';
import type { DayOfWeek, MspdiCalendar, MspdiDuration, MspdiProject, MspdiTask, MspdiTaskBaseline } from '@pm/shared/interchange';

const START_TIME = '08:00:00';
const FINISH_TIME = '17:00:00';
const days = (value: number): MspdiDuration => ({ days: value, unit: 'days', elapsed: false, estimated: false });
const atStart = (date: string | null): string | null => (date === null ? null : `${date}T${START_TIME}`);
const atFinish = (date: string | null): string | null => (date === null ? null : `${date}T${FINISH_TIME}`);

/** Working hours as Microsoft Project writes them: a morning and an afternoon around a lunch hour. */
function workingTimes(hours: number): Array<{ from: string; to: string }> {
  const minutes = Math.round(hours * 60);
  const morning = Math.min(minutes, 240);
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  const times = [{ from: clock(480), to: clock(480 + morning) }];
  if (minutes > morning) times.push({ from: clock(780), to: clock(780 + minutes - morning) });
  return times;
}

function calendarOf(calendar: ProjectCalendar): MspdiCalendar {
  const weekDays = ([0, 1, 2, 3, 4, 5, 6] as DayOfWeek[]).map((dayOfWeek) => {
    const working = calendar.workingWeekdays.includes(dayOfWeek);
    return { dayOfWeek, working, workingTimes: working ? workingTimes(calendar.hoursPerDay) : [] };
  });
  const exceptions = [
    ...calendar.holidays.map((h) => ({ name: h.name, from: h.date, to: h.date, working: false, workingTimes: [], recurrence: null })),
    ...calendar.exceptions.map((e) => ({
      name: e.reason ?? (e.working ? 'Working day' : 'Non-working day'),
      from: e.date,
      to: e.date,
      working: e.working,
      workingTimes: e.working ? workingTimes(e.hours ?? calendar.hoursPerDay) : [],
      recurrence: null,
    })),
  ].sort((a, b) => (a.from < b.from ? -1 : 1));
  return { uid: 1, name: 'Standard', isBaseCalendar: true, baseCalendarUid: null, weekDays, exceptions, hoursPerDay: calendar.hoursPerDay };
}

/** Tasks get the UIDs 1…n in WBS order; Microsoft Project renumbers nothing on open. */
export function toMspdiProject(state: OpenedSchedule, projectName: string, currency: string): MspdiProject {
  const order = wbsOrder(state);
  const uidOf = new Map(order.map((taskId, index) => [taskId, index + 1]));
  const codes = wbsCodes(state);
  const current = currentDatesOf(state);
  const hoursPerDay = state.calendar.hoursPerDay;
  // Links grouped by successor once: looking them up per task would make the export quadratic in the plan.
  const linksInto = new Map<string, Dependency[]>();
  for (const d of state.dependencies.values()) {
    const into = linksInto.get(d.successorId);
    if (into) into.push(d);
    else linksInto.set(d.successorId, [d]);
  }
  const tasks = order.flatMap((taskId): MspdiTask[] => {
    const task = state.tasks.get(taskId);
    if (!task) return [];
    const summary = task.kind === 'summary';
    const dates = current.get(taskId);
    const published = publishedOf(state, taskId);
    const baselines: MspdiTaskBaseline[] = [...state.baselines.values()].flatMap((b) => {
      const saved = b.tasks.get(taskId);
      return saved ? [{ number: b.baselineNumber, start: atStart(saved.start), finish: atFinish(saved.finish), duration: days(saved.durationDays), work: saved.workHours, cost: saved.cost }] : [];
    });
    const predecessors = (linksInto.get(taskId) ?? [])
      .filter((d) => uidOf.has(d.predecessorId))
      .map((d) => ({ predecessorUid: uidOf.get(d.predecessorId) ?? 0, type: d.dependencyType, lag: days(d.lagDays) }));
    return [{
      uid: uidOf.get(taskId) ?? 0,
      id: uidOf.get(taskId) ?? 0,
      name: task.name,
      outlineLevel: outlineLevel(state, taskId),
      outlineNumber: codes.get(taskId) ?? '',
      wbs: codes.get(taskId) ?? '',
      summary,
      milestone: task.kind === 'milestone',
      manual: false,
      duration: days(summary ? (published?.durationDays ?? 0) : task.durationDays),
      start: atStart(dates?.start ?? null),
      finish: atFinish(dates?.finish ?? null),
      constraint: { type: task.constraint.type, date: atStart(task.constraint.date) },
      deadline: null,
      percentComplete: Math.round(task.percentComplete),
      actualStart: atStart(task.actualStart),
      actualFinish: atFinish(task.actualFinish),
      cost: summary ? rolledUpCost(state, taskId) : task.costBudget,
      work: summary ? rolledUpWork(state, taskId) : task.workHours,
      calendarUid: null,
      notes: '',
      predecessors,
      baselines,
      customFields: [],
      schedule: null,
    }];
  });
  const finish = state.lastCalculation?.projectFinish ?? state.projectStart;
  return {
    properties: {
      name: `${projectName}.xml`,
      title: projectName,
      scheduleFromStart: true,
      startDate: `${state.projectStart}T${START_TIME}`,
      finishDate: `${finish < state.projectStart ? state.projectStart : finish}T${FINISH_TIME}`,
      statusDate: atFinish(dataDateOf(state)),
      currencyCode: currency,
      currencySymbol: currency,
      defaultCalendarUid: 1,
      defaultStartTime: START_TIME,
      defaultFinishTime: FINISH_TIME,
      minutesPerDay: Math.round(hoursPerDay * 60),
      minutesPerWeek: Math.round(hoursPerDay * 60 * state.calendar.workingWeekdays.length),
      daysPerMonth: 20,
    },
    customFields: [],
    calendars: [calendarOf(state.calendar)],
    tasks,
    resources: [],
    assignments: [],
  };
}

