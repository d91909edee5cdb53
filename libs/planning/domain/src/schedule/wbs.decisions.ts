import { conflict, invalid } from '@pm/shared/ddd';
import type { AddTaskToWbs, MoveTaskInWbs, RemoveTaskFromWbs, RenameTask } from './schedule.commands';
import type { DependencyUnlinked, TaskAddedToWbs, TaskMovedInWbs, TaskRemovedFromWbs, TaskRenamed } from './schedule.events';
import {
  amountMustBeNonNegative,
  durationMustSuitKind,
  parentMustBeSummary,
  positionMustBeInRange,
  scheduleMustBeOpen,
  summaryValuesAreRolledUp,
  taskMustExist,
  taskMustHaveNoProgress,
  taskNameMustNotBeBlank,
} from './schedule.rules';
import type { ScheduleState } from './schedule.state';
import { childrenOf, descendantsOf } from './wbs';

const DEFAULT_TASK_DURATION_DAYS = 1;

export function addTaskToWbs(command: AddTaskToWbs, state: ScheduleState): TaskAddedToWbs[] {
  scheduleMustBeOpen(state);
  const { taskId, kind } = command.data;
  const parentId = command.data.parentId ?? null;
  if (taskId.trim() === '') throw invalid('TASK_ID_REQUIRED', 'A task needs an id');
  const name = taskNameMustNotBeBlank(command.data.name);
  const existing = state.tasks.get(taskId);
  if (existing) {
    if (existing.name === name && existing.kind === kind && existing.parentId === parentId) return [];
    throw conflict('TASK_ALREADY_EXISTS', `Task ${taskId} is already in the WBS`, { taskId });
  }
  if (state.retiredTaskIds.has(taskId)) throw conflict('TASK_ID_RETIRED', `Task id ${taskId} belonged to a removed task`, { taskId });
  parentMustBeSummary(state, parentId);
  const siblings = childrenOf(state, parentId).length;
  const position = command.data.position ?? siblings;
  positionMustBeInRange(position, siblings);
  const durationDays = command.data.durationDays ?? (kind === 'task' ? DEFAULT_TASK_DURATION_DAYS : 0);
  const workHours = command.data.workHours ?? null;
  const costBudget = command.data.costBudget ?? null;
  if (kind === 'summary') {
    if (durationDays !== 0) summaryValuesAreRolledUp({ taskId, kind }, 'duration');
    if (workHours !== null) summaryValuesAreRolledUp({ taskId, kind }, 'work');
    if (costBudget !== null) summaryValuesAreRolledUp({ taskId, kind }, 'cost');
  } else {
    durationMustSuitKind(kind, durationDays);
  }
  if (workHours !== null) amountMustBeNonNegative('TASK_WORK_INVALID', 'workHours', workHours);
  if (costBudget !== null) amountMustBeNonNegative('TASK_COST_INVALID', 'costBudget', costBudget);
  return [
    {
      type: 'TaskAddedToWbs',
      data: { projectId: state.projectId, taskId, name, kind, parentId, position, durationDays, workHours, costBudget },
    },
  ];
}

export function renameTask(command: RenameTask, state: ScheduleState): TaskRenamed[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  const name = taskNameMustNotBeBlank(command.data.name);
  if (task.name === name) return [];
  return [{ type: 'TaskRenamed', data: { projectId: state.projectId, taskId: task.taskId, name } }];
}

export function moveTaskInWbs(command: MoveTaskInWbs, state: ScheduleState): TaskMovedInWbs[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  const toParentId = command.data.parentId;
  if (toParentId !== null && (toParentId === task.taskId || descendantsOf(state, task.taskId).includes(toParentId))) {
    throw conflict('WBS_MOVE_INTO_OWN_SUBTREE', `Task ${task.taskId} cannot move under itself or its own descendant`, { taskId: task.taskId, parentId: toParentId });
  }
  parentMustBeSummary(state, toParentId);
  const siblings = childrenOf(state, toParentId).filter((id) => id !== task.taskId);
  const position = command.data.position ?? siblings.length;
  positionMustBeInRange(position, siblings.length);
  if (task.parentId === toParentId && childrenOf(state, toParentId).indexOf(task.taskId) === position) return [];
  return [
    { type: 'TaskMovedInWbs', data: { projectId: state.projectId, taskId: task.taskId, fromParentId: task.parentId, toParentId, position } },
  ];
}

/** Removing a task also unlinks its dependencies, so no link ever points at a task that is gone. */
export function removeTaskFromWbs(command: RemoveTaskFromWbs, state: ScheduleState): Array<DependencyUnlinked | TaskRemovedFromWbs> {
  scheduleMustBeOpen(state);
  const { taskId } = command.data;
  if (state.retiredTaskIds.has(taskId)) return [];
  const task = taskMustExist(state, taskId);
  if (childrenOf(state, taskId).length > 0) {
    throw conflict('SUMMARY_HAS_CHILDREN', `Summary ${taskId} still has children; move or remove them first`, { taskId });
  }
  taskMustHaveNoProgress(task);
  const unlinked: DependencyUnlinked[] = [...state.dependencies.values()]
    .filter((d) => d.predecessorId === taskId || d.successorId === taskId)
    .map(({ dependencyId, predecessorId, successorId }) => ({
      type: 'DependencyUnlinked',
      data: { projectId: state.projectId, dependencyId, predecessorId, successorId },
    }));
  return [...unlinked, { type: 'TaskRemovedFromWbs', data: { projectId: state.projectId, taskId, parentId: task.parentId } }];
}
