import { wbsOrder, workPackagesUnder } from '@pm/planning/domain';
import type { OpenedSchedule, TaskDates } from '@pm/planning/domain';
import { runCpm } from './schedule-recalculation';

/**
 * The current start and finish of every task in the WBS: work packages from the critical-path engine,
 * summaries spanning their work packages (an empty summary sits on the project start).
 */
export function currentTaskDates(state: OpenedSchedule, dataDate: string | null): Record<string, TaskDates> {
  const result = runCpm(state, dataDate);
  const dates: Record<string, TaskDates> = {};
  for (const task of result.tasks) dates[task.id] = { start: task.earlyStart, finish: task.earlyFinish };
  for (const taskId of wbsOrder(state)) {
    if (state.tasks[taskId].kind !== 'summary') continue;
    const spans = workPackagesUnder(state, taskId).map((t) => dates[t.taskId]).filter((d) => d !== undefined);
    dates[taskId] = spans.length
      ? { start: spans.map((d) => d.start).sort()[0], finish: spans.map((d) => d.finish).sort().at(-1) ?? state.projectStart }
      : { start: state.projectStart, finish: state.projectStart };
  }
  return dates;
}
