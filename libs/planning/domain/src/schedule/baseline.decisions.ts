import { conflict, invalid } from '../shared/domain-error';
import { isIsoDate } from '../shared/iso-date';
import { sameValue } from '../shared/same-value';
import type { ClearBaseline, SaveBaseline, TaskDates } from './schedule.commands';
import type { BaselineCleared, BaselineSaved, BaselineTask } from './schedule.events';
import { isBaselineNumber } from './schedule.ids';
import { scheduleMustBeOpen } from './schedule.rules';
import type { OpenedSchedule, ScheduleState, WbsTask } from './schedule.state';
import { rolledUpCost, rolledUpWork, wbsOrder } from './wbs';
import { workingDaysInRange } from './project-calendar';

export function baselineNumberMustBeValid(baselineNumber: number): void {
  if (!isBaselineNumber(baselineNumber)) throw invalid('BASELINE_NUMBER_INVALID', 'Baselines are numbered 0…10', { baselineNumber });
}

/** A baseline is the yardstick for every later variance, so it must cover the whole WBS and nothing else. */
export function baselineDatesMustCoverTheWbs(state: OpenedSchedule, taskDates: Readonly<Record<string, TaskDates>>): void {
  const order = wbsOrder(state);
  if (order.length === 0) throw invalid('BASELINE_OF_EMPTY_SCHEDULE', 'There is nothing to baseline yet');
  const unknown = Object.keys(taskDates).filter((id) => !state.tasks[id]);
  if (unknown.length > 0) throw invalid('BASELINE_UNKNOWN_TASK', 'Dates were given for tasks not in the WBS', { taskIds: unknown });
  const missing = order.filter((id) => !taskDates[id]);
  if (missing.length > 0) throw invalid('BASELINE_DATES_MISSING', 'Every task in the WBS needs dates', { taskIds: missing });
  const bad = order.filter((id) => {
    const { start, finish } = taskDates[id];
    return !isIsoDate(start) || !isIsoDate(finish) || finish < start;
  });
  if (bad.length > 0) throw invalid('BASELINE_DATES_INVALID', 'Dates must be YYYY-MM-DD with start <= finish', { taskIds: bad });
}

function baselineTask(state: OpenedSchedule, task: WbsTask, dates: TaskDates): BaselineTask {
  const durationDays = task.kind === 'summary' ? workingDaysInRange(state.calendar, dates.start, dates.finish) : task.durationDays;
  return {
    taskId: task.taskId,
    kind: task.kind,
    start: dates.start,
    finish: dates.finish,
    durationDays,
    workHours: rolledUpWork(state, task.taskId),
    cost: rolledUpCost(state, task.taskId),
  };
}

export function saveBaseline(command: SaveBaseline, state: ScheduleState): BaselineSaved[] {
  scheduleMustBeOpen(state);
  const { baselineNumber, taskDates } = command.data;
  baselineNumberMustBeValid(baselineNumber);
  baselineDatesMustCoverTheWbs(state, taskDates);
  const tasks = wbsOrder(state).map((id) => baselineTask(state, state.tasks[id], taskDates[id]));
  const existing = state.baselines[baselineNumber];
  if (existing) {
    // Compared per task id: a record with numeric ids (an MSPDI import) enumerates in key order, not WBS order.
    if (sameValue(existing.tasks, Object.fromEntries(tasks.map((t) => [t.taskId, t])))) return [];
    if (command.data.overwrite !== true) {
      throw conflict('BASELINE_ALREADY_SAVED', `Baseline ${baselineNumber} was saved on ${existing.savedAt}; overwrite it explicitly`, {
        baselineNumber,
        savedAt: existing.savedAt,
      });
    }
  }
  return [{ type: 'BaselineSaved', data: { projectId: state.projectId, baselineNumber, savedAt: command.metadata.now, tasks } }];
}

export function clearBaseline(command: ClearBaseline, state: ScheduleState): BaselineCleared[] {
  scheduleMustBeOpen(state);
  const { baselineNumber } = command.data;
  baselineNumberMustBeValid(baselineNumber);
  if (!state.baselines[baselineNumber]) return [];
  return [{ type: 'BaselineCleared', data: { projectId: state.projectId, baselineNumber } }];
}
