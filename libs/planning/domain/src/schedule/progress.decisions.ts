import { conflict, invalid } from '@pm/shared/ddd';
import type { FinishTask, RecordReportedActualCosts, RecordTaskActualCost, RecordTaskProgress, SetScheduleStatusDate, StartTask } from './schedule.commands';
import type { ActualCostsReported, ScheduleStatusDateSet, TaskActualCostRecorded, TaskFinished, TaskProgressRecorded, TaskStarted } from './schedule.events';
import { amountMustBeNonNegative, dateMustBeValid, scheduleMustBeOpen, summaryValuesAreRolledUp, taskMustExist } from './schedule.rules';
import type { OpenedSchedule, ScheduleState, WbsTask } from './schedule.state';

function actualStartMustNotPrecedeProject(state: OpenedSchedule, actualStart: string): void {
  if (actualStart < state.projectStart) {
    throw invalid('ACTUAL_START_BEFORE_PROJECT_START', 'Work cannot have started before the project start', { actualStart, projectStart: state.projectStart });
  }
}

function taskMustBeUnfinished(task: WbsTask): void {
  if (task.actualFinish !== null) throw conflict('TASK_ALREADY_FINISHED', `Task ${task.taskId} finished on ${task.actualFinish}`, { taskId: task.taskId });
}

export function startTask(command: StartTask, state: ScheduleState): TaskStarted[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'progress');
  const { actualStart } = command.data;
  dateMustBeValid('actualStart', actualStart);
  if (task.actualStart === actualStart) return [];
  if (task.actualStart !== null) {
    throw conflict('TASK_ALREADY_STARTED', `Task ${task.taskId} started on ${task.actualStart}`, { taskId: task.taskId, actualStart: task.actualStart });
  }
  actualStartMustNotPrecedeProject(state, actualStart);
  return [{ type: 'TaskStarted', data: { projectId: state.projectId, taskId: task.taskId, actualStart } }];
}

/**
 * Percent complete below 100 on a started task. Completion is a fact with a date, so 100 % is recorded
 * by FinishTask, and a milestone is either reached or not.
 */
export function recordTaskProgress(command: RecordTaskProgress, state: ScheduleState): TaskProgressRecorded[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'progress');
  if (task.kind === 'milestone') throw invalid('MILESTONE_PROGRESS_IS_ALL_OR_NOTHING', 'Finish the milestone instead', { taskId: task.taskId });
  const { percentComplete, asOf } = command.data;
  if (!Number.isFinite(percentComplete) || percentComplete < 0 || percentComplete >= 100) {
    throw invalid(percentComplete === 100 ? 'TASK_COMPLETION_NEEDS_ACTUAL_FINISH' : 'PERCENT_COMPLETE_INVALID', 'Percent complete is 0 ≤ p < 100; finish the task for 100', {
      percentComplete,
    });
  }
  dateMustBeValid('asOf', asOf);
  // Remaining duration defaults to the linear share of the estimate, as Microsoft Project derives it.
  const remainingDurationDays = command.data.remainingDurationDays ?? (task.durationDays * (100 - percentComplete)) / 100;
  amountMustBeNonNegative('REMAINING_DURATION_INVALID', 'remainingDurationDays', remainingDurationDays);
  if (task.actualFinish === null && task.percentComplete === percentComplete && task.remainingDurationDays === remainingDurationDays) return [];
  taskMustBeUnfinished(task);
  if (task.actualStart === null) throw conflict('TASK_NOT_STARTED', `Task ${task.taskId} has no actual start`, { taskId: task.taskId });
  if (asOf < task.actualStart) throw invalid('PROGRESS_BEFORE_ACTUAL_START', 'Progress is dated before the task started', { asOf, actualStart: task.actualStart });
  return [{ type: 'TaskProgressRecorded', data: { projectId: state.projectId, taskId: task.taskId, percentComplete, remainingDurationDays, asOf } }];
}

/** A milestone that is reached starts and finishes on the same day; a task finishing unstarted must say when it started. */
export function finishTask(command: FinishTask, state: ScheduleState): Array<TaskStarted | TaskFinished> {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'progress');
  const { actualFinish } = command.data;
  dateMustBeValid('actualFinish', actualFinish);
  if (task.actualFinish === actualFinish) return [];
  taskMustBeUnfinished(task);
  const { projectId } = state;
  const taskId = task.taskId;
  const finished: TaskFinished = { type: 'TaskFinished', data: { projectId, taskId, actualFinish } };
  const actualStart = task.actualStart ?? command.data.actualStart ?? (task.kind === 'milestone' ? actualFinish : null);
  if (actualStart === null) throw conflict('TASK_NOT_STARTED', `Task ${taskId} has no actual start; give one`, { taskId });
  dateMustBeValid('actualStart', actualStart);
  if (actualFinish < actualStart) throw invalid('ACTUAL_FINISH_BEFORE_START', 'A task cannot finish before it started', { actualStart, actualFinish });
  if (task.actualStart !== null) return [finished];
  actualStartMustNotPrecedeProject(state, actualStart);
  return [{ type: 'TaskStarted', data: { projectId, taskId, actualStart } }, finished];
}

/** Actual cost is cumulative to date (the resource context reports totals), so a lower figure is a correction, not an error. */
export function recordTaskActualCost(command: RecordTaskActualCost, state: ScheduleState): TaskActualCostRecorded[] {
  scheduleMustBeOpen(state);
  const task = taskMustExist(state, command.data.taskId);
  summaryValuesAreRolledUp(task, 'actual cost');
  const { actualCost, asOf } = command.data;
  amountMustBeNonNegative('ACTUAL_COST_INVALID', 'actualCost', actualCost);
  dateMustBeValid('asOf', asOf);
  if (task.actualCost === actualCost) return [];
  return [{ type: 'TaskActualCostRecorded', data: { projectId: state.projectId, taskId: task.taskId, actualCost, asOf } }];
}

/**
 * A cost the resource service reported (ADR 0106), recorded once per cost id; what it adds to earned value follows
 * the AC rule (`actualCostsAt`): per work package the reported costs replace the figure recorded on the task.
 */
export function recordReportedActualCosts(command: RecordReportedActualCosts, state: ScheduleState): ActualCostsReported[] {
  scheduleMustBeOpen(state);
  const { costId, currency, minorUnitDigits, entries } = command.data;
  if (state.reportedCostIds.has(costId)) return [];
  if (entries.length === 0) throw invalid('REPORTED_COST_EMPTY', 'A reported cost has at least one part', { costId });
  for (const entry of entries) {
    dateMustBeValid('date', entry.date);
    if (!Number.isSafeInteger(entry.amountMinor) || entry.amountMinor < 0) throw invalid('REPORTED_COST_INVALID', 'Amounts are whole, non-negative minor units', { costId });
  }
  return [{ type: 'ActualCostsReported', data: { projectId: state.projectId, costId, currency, minorUnitDigits, entries: entries.map((e) => ({ ...e })) } }];
}

/**
 * The status date is the project's (set on the project stream, which checks it against the planned start);
 * the schedule records it to reforecast from it: no unstarted work before it, remaining work from it.
 */
export function setScheduleStatusDate(command: SetScheduleStatusDate, state: ScheduleState): ScheduleStatusDateSet[] {
  scheduleMustBeOpen(state);
  const { statusDate } = command.data;
  dateMustBeValid('statusDate', statusDate);
  if (state.statusDate === statusDate) return [];
  return [{ type: 'ScheduleStatusDateSet', data: { projectId: state.projectId, statusDate } }];
}
