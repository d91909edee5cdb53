import { ignoreUnknownEvent } from '@pm/shared/ddd';
import type { BaselineTask, ScheduleStreamEvent, TaskAddedToWbs } from './schedule.events';
import { childrenKey, openedSchedule } from './schedule.state';
import { publishedEntry } from './published-schedule';
import type { OpenedSchedule, ScheduleState, WbsTask, WritableSchedule } from './schedule.state';

function insertAt(children: Map<string, string[]>, key: string, item: string, position: number): void {
  const list = children.get(key);
  if (list) list.splice(position, 0, item);
  else children.set(key, [item]);
}

function remove(children: Map<string, string[]>, key: string, item: string): void {
  const list = children.get(key);
  const index = list?.indexOf(item) ?? -1;
  if (list && index >= 0) list.splice(index, 1);
}

function newTask(data: TaskAddedToWbs['data']): WbsTask {
  return {
    taskId: data.taskId,
    name: data.name,
    kind: data.kind,
    parentId: data.parentId,
    durationDays: data.durationDays,
    workHours: data.workHours,
    costBudget: data.costBudget,
    constraint: { type: 'ASAP', date: null },
    threePoint: null,
    actualStart: null,
    actualFinish: null,
    percentComplete: 0,
    remainingDurationDays: null,
    actualCost: 0,
  };
}

/** Replaces one task's record; an event about a task that is not there (never, or no longer) changes nothing. */
function updateTask(state: WritableSchedule, taskId: string, change: (task: WbsTask) => WbsTask): void {
  const task = state.tasks.get(taskId);
  if (task) state.tasks.set(taskId, change(task));
}

const later = (a: string | null, b: string): string => (a === null || b > a ? b : a);

function evolveOpened(state: WritableSchedule, event: ScheduleStreamEvent): void {
  switch (event.type) {
    case 'ScheduleOpened':
      return;
    case 'ProjectStartRescheduled':
      state.projectStart = event.data.projectStart;
      return;
    case 'WorkingCalendarDefined':
      state.calendar = event.data.calendar;
      return;
    case 'HolidayDeclared': {
      const { date, name } = event.data;
      state.calendar = { ...state.calendar, holidays: [...state.calendar.holidays.filter((h) => h.date !== date), { date, name }] };
      return;
    }
    case 'CalendarExceptionRecorded': {
      const { date, working, hours, reason } = event.data;
      state.calendar = { ...state.calendar, exceptions: [...state.calendar.exceptions.filter((e) => e.date !== date), { date, working, hours, reason }] };
      return;
    }
    case 'TaskAddedToWbs':
      state.tasks.set(event.data.taskId, newTask(event.data));
      insertAt(state.children, childrenKey(event.data.parentId), event.data.taskId, event.data.position);
      return;
    case 'TaskRenamed':
      return updateTask(state, event.data.taskId, (t) => ({ ...t, name: event.data.name }));
    case 'TaskMovedInWbs': {
      const { taskId, fromParentId, toParentId, position } = event.data;
      remove(state.children, childrenKey(fromParentId), taskId);
      insertAt(state.children, childrenKey(toParentId), taskId, position);
      return updateTask(state, taskId, (t) => ({ ...t, parentId: toParentId }));
    }
    case 'TaskRemovedFromWbs': {
      const { taskId, parentId } = event.data;
      state.tasks.delete(taskId);
      state.children.delete(taskId);
      remove(state.children, childrenKey(parentId), taskId);
      state.retiredTaskIds.add(taskId);
      return;
    }
    case 'TaskDurationEstimated':
      return updateTask(state, event.data.taskId, (t) => ({ ...t, durationDays: event.data.durationDays }));
    case 'TaskThreePointEstimated': {
      const { optimisticDays, mostLikelyDays, pessimisticDays, expectedDays, standardDeviationDays } = event.data;
      const threePoint = { optimisticDays, mostLikelyDays, pessimisticDays, expectedDays, standardDeviationDays };
      return updateTask(state, event.data.taskId, (t) => ({ ...t, threePoint }));
    }
    case 'TaskWorkPlanned':
      return updateTask(state, event.data.taskId, (t) => ({ ...t, workHours: event.data.workHours }));
    case 'TaskCostBudgeted':
      return updateTask(state, event.data.taskId, (t) => ({ ...t, costBudget: event.data.costBudget }));
    case 'TaskConstrained':
      return updateTask(state, event.data.taskId, (t) => ({ ...t, constraint: event.data.constraint }));
    case 'DependencyLinked': {
      const { dependencyId, predecessorId, successorId, dependencyType, lagDays } = event.data;
      state.dependencies.set(dependencyId, { dependencyId, predecessorId, successorId, dependencyType, lagDays });
      return;
    }
    case 'DependencyLagAdjusted': {
      const dependency = state.dependencies.get(event.data.dependencyId);
      if (dependency) state.dependencies.set(dependency.dependencyId, { ...dependency, lagDays: event.data.lagDays });
      return;
    }
    case 'DependencyUnlinked':
      state.dependencies.delete(event.data.dependencyId);
      state.retiredDependencyIds.add(event.data.dependencyId);
      return;
    case 'TaskStarted':
      state.progressDate = later(state.progressDate, event.data.actualStart);
      return updateTask(state, event.data.taskId, (t) => ({ ...t, actualStart: event.data.actualStart }));
    case 'TaskProgressRecorded': {
      const { percentComplete, remainingDurationDays, asOf } = event.data;
      state.progressDate = later(state.progressDate, asOf);
      return updateTask(state, event.data.taskId, (t) => ({ ...t, percentComplete, remainingDurationDays }));
    }
    case 'TaskFinished':
      state.progressDate = later(state.progressDate, event.data.actualFinish);
      return updateTask(state, event.data.taskId, (t) => ({ ...t, actualFinish: event.data.actualFinish, percentComplete: 100, remainingDurationDays: 0 }));
    case 'TaskActualCostRecorded':
      state.progressDate = later(state.progressDate, event.data.asOf);
      return updateTask(state, event.data.taskId, (t) => ({ ...t, actualCost: event.data.actualCost }));
    case 'ActualCostsReported': {
      const { costId, minorUnitDigits, entries } = event.data;
      state.reportedCostIds.add(costId);
      for (const e of entries) state.reportedCosts.push({ taskId: e.taskId, date: e.date, amountMinor: e.amountMinor, minorPerUnit: 10 ** minorUnitDigits });
      return;
    }
    case 'ScheduleStatusDateSet':
      state.statusDate = event.data.statusDate;
      return;
    case 'BaselineSaved': {
      const { baselineNumber, savedAt, tasks } = event.data;
      state.baselines.set(baselineNumber, { baselineNumber, savedAt, tasks: new Map(tasks.map((t) => [t.taskId, t])) });
      return;
    }
    case 'BaselineExtended': {
      // The fold built this baseline's Map from BaselineSaved, so it may add to it in place (a baseline in parts).
      const tasks = state.baselines.get(event.data.baselineNumber)?.tasks as Map<string, BaselineTask> | undefined;
      for (const task of event.data.tasks) tasks?.set(task.taskId, task);
      return;
    }
    case 'ScheduleImported':
      // Its chunks' events were folded just before it (the loader expands a staged commit); it adds nothing itself.
      return;
    case 'BaselineCleared':
      state.baselines.delete(event.data.baselineNumber);
      return;
    case 'LevellingProposalAccepted':
      state.levellingDecisions.set(event.data.proposalId, 'accepted');
      return;
    case 'LevellingProposalRejected':
      state.levellingDecisions.set(event.data.proposalId, 'rejected');
      return;
    case 'TaskScheduleChanged':
      state.published.set(event.data.taskId, publishedEntry(event.data));
      return;
    case 'TaskUnscheduled':
      state.published.delete(event.data.taskId);
      return;
    case 'ProjectScheduleCalculated':
      state.lastCalculation = event.data;
      return;
    case 'ProjectEarnedValueCalculated':
      state.lastEarnedValue = event.data;
      return;
    default:
      ignoreUnknownEvent(state, event);
  }
}

/**
 * Folds one event into the schedule. An open schedule is updated in place and returned (ADR 0008): the state
 * belongs to the fold that built it, so nothing else may hold an earlier version of it.
 */
export function evolveSchedule(state: ScheduleState, event: ScheduleStreamEvent): ScheduleState {
  if (event.type === 'ScheduleOpened') {
    if (state.status === 'open') return state;
    const { projectId, projectStart, calendar } = event.data;
    return openedSchedule(projectId, projectStart, calendar);
  }
  if (state.status !== 'open') return state;
  evolveOpened(writable(state), event);
  return state;
}

/** The fold's own view of a schedule it built; the rest of the domain reads the readonly one. */
export const writable = (state: OpenedSchedule): WritableSchedule => state as WritableSchedule;
