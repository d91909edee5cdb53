import { conflict, invalid, sameValue } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';
import type { ClearBaseline, SaveBaseline, TaskDates } from './schedule.commands';
import type { BaselineCleared, BaselineExtended, BaselineSaved, BaselineTask } from './schedule.events';
import { isBaselineNumber } from './schedule.ids';
import { scheduleMustBeOpen } from './schedule.rules';
import { dataDateOf } from './schedule.state';
import type { OpenedSchedule, ScheduleState, WbsTask } from './schedule.state';
import { currentTaskDates } from './schedule-calculation';
import { rolledUpCost, rolledUpWork, wbsOrder } from './wbs';
import { workingDaysInRange } from './project-calendar';

export function baselineNumberMustBeValid(baselineNumber: number): void {
  if (!isBaselineNumber(baselineNumber)) throw invalid('BASELINE_NUMBER_INVALID', 'Baselines are numbered 0…10', { baselineNumber });
}

/** A baseline is the yardstick for every later variance, so it must cover the whole WBS and nothing else. */
export function baselineDatesMustCoverTheWbs(state: OpenedSchedule, taskDates: ReadonlyMap<string, TaskDates>): void {
  const order = wbsOrder(state);
  if (order.length === 0) throw invalid('BASELINE_OF_EMPTY_SCHEDULE', 'There is nothing to baseline yet');
  const unknown = [...taskDates.keys()].filter((id) => !state.tasks.has(id));
  if (unknown.length > 0) throw invalid('BASELINE_UNKNOWN_TASK', 'Dates were given for tasks not in the WBS', { taskIds: unknown });
  const missing = order.filter((id) => !taskDates.has(id));
  if (missing.length > 0) throw invalid('BASELINE_DATES_MISSING', 'Every task in the WBS needs dates', { taskIds: missing });
  const bad = order.filter((id) => {
    const dates = taskDates.get(id);
    return !dates || !isIsoDate(dates.start) || !isIsoDate(dates.finish) || dates.finish < dates.start;
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

/** Compared per task id, whatever the order: the same dates, work and cost for the same tasks is the same baseline. */
function sameBaselineTasks(saved: ReadonlyMap<string, BaselineTask>, tasks: readonly BaselineTask[]): boolean {
  return saved.size === tasks.length && tasks.every((t) => sameValue(saved.get(t.taskId), t));
}

export function saveBaseline(command: SaveBaseline, state: ScheduleState): Array<BaselineSaved | BaselineExtended> {
  scheduleMustBeOpen(state);
  const { baselineNumber } = command.data;
  baselineNumberMustBeValid(baselineNumber);
  // Dates are the engine's own unless the command brings dates from elsewhere (an imported baseline).
  const taskDates = command.data.taskDates ?? currentTaskDates(state, dataDateOf(state));
  baselineDatesMustCoverTheWbs(state, taskDates);
  const tasks: BaselineTask[] = [];
  for (const id of wbsOrder(state)) {
    const task = state.tasks.get(id);
    const dates = taskDates.get(id);
    if (task && dates) tasks.push(baselineTask(state, task, dates));
  }
  const existing = state.baselines.get(baselineNumber);
  if (existing) {
    if (sameBaselineTasks(existing.tasks, tasks)) return [];
    if (command.data.overwrite !== true) {
      throw conflict('BASELINE_ALREADY_SAVED', `Baseline ${baselineNumber} was saved on ${existing.savedAt}; overwrite it explicitly`, {
        baselineNumber,
        savedAt: existing.savedAt,
      });
    }
  }
  const parts: Array<BaselineSaved | BaselineExtended> = [
    { type: 'BaselineSaved', data: { projectId: state.projectId, baselineNumber, savedAt: command.metadata.now, tasks: tasks.slice(0, BASELINE_PART_TASKS) } },
  ];
  for (let from = BASELINE_PART_TASKS; from < tasks.length; from += BASELINE_PART_TASKS) {
    parts.push({ type: 'BaselineExtended', data: { projectId: state.projectId, baselineNumber, tasks: tasks.slice(from, from + BASELINE_PART_TASKS) } });
  }
  return parts;
}

/**
 * Tasks per baseline event: a baseline of a large plan is saved as BaselineSaved plus BaselineExtended parts, so no
 * event (and no Kafka message) grows with the plan; 2,000 tasks are about 300 KB.
 */
export const BASELINE_PART_TASKS = 2_000;

export function clearBaseline(command: ClearBaseline, state: ScheduleState): BaselineCleared[] {
  scheduleMustBeOpen(state);
  const { baselineNumber } = command.data;
  baselineNumberMustBeValid(baselineNumber);
  if (!state.baselines.get(baselineNumber)) return [];
  return [{ type: 'BaselineCleared', data: { projectId: state.projectId, baselineNumber } }];
}
