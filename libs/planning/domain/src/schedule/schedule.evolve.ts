import { ignoreUnknownEvent } from '../shared/exhaustive';
import type { ScheduleEvent, TaskAddedToWbs } from './schedule.events';
import { childrenKey } from './schedule.state';
import type { OpenedSchedule, ScheduleState, WbsTask } from './schedule.state';

const insertAt = (list: readonly string[], item: string, position: number): string[] => [
  ...list.slice(0, position),
  item,
  ...list.slice(position),
];

const without = (list: readonly string[] | undefined, item: string): string[] => (list ?? []).filter((x) => x !== item);

function omit<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  void _removed;
  return rest;
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

function withTask(state: OpenedSchedule, taskId: string, change: (task: WbsTask) => WbsTask): OpenedSchedule {
  const task = state.tasks[taskId];
  return task ? { ...state, tasks: { ...state.tasks, [taskId]: change(task) } } : state;
}

function evolveOpened(state: OpenedSchedule, event: ScheduleEvent): OpenedSchedule {
  switch (event.type) {
    case 'ScheduleOpened':
      return state;
    case 'ProjectStartRescheduled':
      return { ...state, projectStart: event.data.projectStart };
    case 'WorkingCalendarDefined':
      return { ...state, calendar: event.data.calendar };
    case 'HolidayDeclared': {
      const { date, name } = event.data;
      return { ...state, calendar: { ...state.calendar, holidays: [...state.calendar.holidays.filter((h) => h.date !== date), { date, name }] } };
    }
    case 'CalendarExceptionRecorded': {
      const { projectId: _projectId, ...exception } = event.data;
      void _projectId;
      const others = state.calendar.exceptions.filter((e) => e.date !== exception.date);
      return { ...state, calendar: { ...state.calendar, exceptions: [...others, exception] } };
    }
    case 'TaskAddedToWbs': {
      const key = childrenKey(event.data.parentId);
      return {
        ...state,
        tasks: { ...state.tasks, [event.data.taskId]: newTask(event.data) },
        children: { ...state.children, [key]: insertAt(state.children[key] ?? [], event.data.taskId, event.data.position) },
      };
    }
    case 'TaskRenamed':
      return withTask(state, event.data.taskId, (t) => ({ ...t, name: event.data.name }));
    case 'TaskMovedInWbs': {
      const { taskId, fromParentId, toParentId, position } = event.data;
      const from = childrenKey(fromParentId);
      const to = childrenKey(toParentId);
      const children = { ...state.children, [from]: without(state.children[from], taskId) };
      children[to] = insertAt(children[to] ?? [], taskId, position);
      return withTask({ ...state, children }, taskId, (t) => ({ ...t, parentId: toParentId }));
    }
    case 'TaskRemovedFromWbs': {
      const { taskId, parentId } = event.data;
      const key = childrenKey(parentId);
      return {
        ...state,
        tasks: omit(state.tasks, taskId),
        children: { ...omit(state.children, taskId), [key]: without(state.children[key], taskId) },
        retiredTaskIds: { ...state.retiredTaskIds, [taskId]: true },
      };
    }
    case 'TaskDurationEstimated':
      return withTask(state, event.data.taskId, (t) => ({ ...t, durationDays: event.data.durationDays }));
    case 'TaskThreePointEstimated': {
      const { optimisticDays, mostLikelyDays, pessimisticDays, expectedDays, standardDeviationDays } = event.data;
      const threePoint = { optimisticDays, mostLikelyDays, pessimisticDays, expectedDays, standardDeviationDays };
      return withTask(state, event.data.taskId, (t) => ({ ...t, threePoint }));
    }
    case 'TaskWorkPlanned':
      return withTask(state, event.data.taskId, (t) => ({ ...t, workHours: event.data.workHours }));
    case 'TaskCostBudgeted':
      return withTask(state, event.data.taskId, (t) => ({ ...t, costBudget: event.data.costBudget }));
    case 'TaskConstrained':
      return withTask(state, event.data.taskId, (t) => ({ ...t, constraint: event.data.constraint }));
    case 'DependencyLinked': {
      const { projectId: _projectId, ...dependency } = event.data;
      void _projectId;
      return { ...state, dependencies: { ...state.dependencies, [dependency.dependencyId]: dependency } };
    }
    case 'DependencyLagAdjusted': {
      const dependency = state.dependencies[event.data.dependencyId];
      if (!dependency) return state;
      return { ...state, dependencies: { ...state.dependencies, [dependency.dependencyId]: { ...dependency, lagDays: event.data.lagDays } } };
    }
    case 'DependencyUnlinked':
      return {
        ...state,
        dependencies: omit(state.dependencies, event.data.dependencyId),
        retiredDependencyIds: { ...state.retiredDependencyIds, [event.data.dependencyId]: true },
      };
    case 'TaskStarted':
      return withTask(state, event.data.taskId, (t) => ({ ...t, actualStart: event.data.actualStart }));
    case 'TaskProgressRecorded': {
      const { percentComplete, remainingDurationDays } = event.data;
      return withTask(state, event.data.taskId, (t) => ({ ...t, percentComplete, remainingDurationDays }));
    }
    case 'TaskFinished':
      return withTask(state, event.data.taskId, (t) => ({ ...t, actualFinish: event.data.actualFinish, percentComplete: 100, remainingDurationDays: 0 }));
    case 'TaskActualCostRecorded':
      return withTask(state, event.data.taskId, (t) => ({ ...t, actualCost: event.data.actualCost }));
    case 'ScheduleStatusDateSet':
      return { ...state, statusDate: event.data.statusDate };
    case 'BaselineSaved': {
      const { baselineNumber, savedAt, tasks } = event.data;
      const byTask = Object.fromEntries(tasks.map((t) => [t.taskId, t]));
      return { ...state, baselines: { ...state.baselines, [baselineNumber]: { baselineNumber, savedAt, tasks: byTask } } };
    }
    case 'BaselineCleared': {
      const { [event.data.baselineNumber]: _cleared, ...baselines } = state.baselines;
      void _cleared;
      return { ...state, baselines };
    }
    case 'LevellingProposalAccepted':
      return { ...state, levellingDecisions: { ...state.levellingDecisions, [event.data.proposalId]: 'accepted' } };
    case 'LevellingProposalRejected':
      return { ...state, levellingDecisions: { ...state.levellingDecisions, [event.data.proposalId]: 'rejected' } };
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export function evolveSchedule(state: ScheduleState, event: ScheduleEvent): ScheduleState {
  if (event.type === 'ScheduleOpened') {
    if (state.status === 'open') return state;
    const { projectId, projectStart, calendar } = event.data;
    return {
      status: 'open',
      projectId,
      projectStart,
      calendar,
      statusDate: null,
      tasks: {},
      children: {},
      dependencies: {},
      baselines: {},
      retiredTaskIds: {},
      retiredDependencyIds: {},
      levellingDecisions: {},
    };
  }
  return state.status === 'open' ? evolveOpened(state, event) : state;
}
