import type { BudgetTaskCost, ConstrainTask, EstimateTaskDuration, EstimateTaskThreePoint, PlanTaskWork } from './schedule.commands';
import type { TaskConstrained, TaskCostBudgeted, TaskDurationEstimated, TaskThreePointEstimated, TaskWorkPlanned } from './schedule.events';
import {
  amountMustBeNonNegative,
  constraintMustBeComplete,
  durationMustSuitKind,
  pertEstimate,
  scheduleMustBeOpen,
  summaryValuesAreRolledUp,
  taskMustExist,
  threePointMustBeOrdered,
} from './schedule.rules';
import type { ScheduleState } from './schedule.state';

export function estimateTaskDuration(command: EstimateTaskDuration, state: ScheduleState): TaskDurationEstimated[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'duration');
  const { durationDays } = command.data;
  durationMustSuitKind(task.kind, durationDays);
  if (task.durationDays === durationDays) return [];
  return [{ type: 'TaskDurationEstimated', data: { projectId: state.projectId, taskId: task.taskId, durationDays } }];
}

/**
 * The three-point estimate is recorded next to the committed duration, not instead of it: the planner
 * decides what to commit to, and risk simulations read the spread.
 */
export function estimateTaskThreePoint(command: EstimateTaskThreePoint, state: ScheduleState): TaskThreePointEstimated[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'duration');
  const { optimisticDays, mostLikelyDays, pessimisticDays } = command.data;
  threePointMustBeOrdered(optimisticDays, mostLikelyDays, pessimisticDays);
  const known = task.threePoint;
  if (known && known.optimisticDays === optimisticDays && known.mostLikelyDays === mostLikelyDays && known.pessimisticDays === pessimisticDays) {
    return [];
  }
  return [
    {
      type: 'TaskThreePointEstimated',
      data: {
        projectId: state.projectId,
        taskId: task.taskId,
        optimisticDays,
        mostLikelyDays,
        pessimisticDays,
        ...pertEstimate(optimisticDays, mostLikelyDays, pessimisticDays),
      },
    },
  ];
}

export function planTaskWork(command: PlanTaskWork, state: ScheduleState): TaskWorkPlanned[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'work');
  const { workHours } = command.data;
  amountMustBeNonNegative('TASK_WORK_INVALID', 'workHours', workHours);
  if (task.workHours === workHours) return [];
  return [{ type: 'TaskWorkPlanned', data: { projectId: state.projectId, taskId: task.taskId, workHours } }];
}

export function budgetTaskCost(command: BudgetTaskCost, state: ScheduleState): TaskCostBudgeted[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'cost');
  const { costBudget } = command.data;
  amountMustBeNonNegative('TASK_COST_INVALID', 'costBudget', costBudget);
  if (task.costBudget === costBudget) return [];
  return [{ type: 'TaskCostBudgeted', data: { projectId: state.projectId, taskId: task.taskId, costBudget } }];
}

export function constrainTask(command: ConstrainTask, state: ScheduleState): TaskConstrained[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'date constraint');
  const constraint = constraintMustBeComplete(command.data.constraint.type, command.data.constraint.date);
  if (task.constraint.type === constraint.type && task.constraint.date === constraint.date) return [];
  return [{ type: 'TaskConstrained', data: { projectId: state.projectId, taskId: task.taskId, constraint } }];
}
