import { invalid } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';
import type { WorkingDayCount } from '../schedule/project-calendar';
import type { OpenedSchedule } from '../schedule/schedule.state';
import { baselineMustExist } from '../schedule/variance';
import { wbsOrder, workPackagesUnder } from '../schedule/wbs';
import { earnedValueMetrics, sumMeasures } from './earned-value';
import type { EarnedValueMeasures, EarnedValueMetrics } from './earned-value';
import { earnedValueOf, plannedValueAt } from './planned-value';
import { actualCostsAt } from './reported-actual-cost';
import type { ActualCostsAt, ReportedActualCost } from './reported-actual-cost';

export interface EarnedValueReport {
  readonly statusDate: string;
  readonly baselineNumber: number;
  /** Every task in WBS order, summaries rolled up from their work packages. */
  readonly tasks: ReadonlyMap<string, EarnedValueMetrics>;
  readonly project: EarnedValueMetrics;
}

/**
 * Measures of one work package: BAC and PV from the baseline (the performance measurement baseline),
 * EV from percent complete, AC as reported (`actualCostsAt`). Work added after the baseline has no budget and
 * earns nothing, but what it costs still counts: unplanned work is exactly what CPI should reveal.
 */
export function workPackageMeasures(
  state: OpenedSchedule,
  baselineNumber: number,
  taskId: string,
  statusDate: string,
  actuals: ActualCostsAt = { byTask: new Map(), projectLevel: 0 },
  count?: WorkingDayCount,
): EarnedValueMeasures {
  const saved = baselineMustExist(state, baselineNumber).tasks.get(taskId);
  const task = state.tasks.get(taskId);
  const bac = saved?.cost ?? 0;
  return {
    bac,
    pv: saved ? plannedValueAt(state.calendar, { budget: bac, start: saved.start, finish: saved.finish }, statusDate, count) : 0,
    ev: task ? earnedValueOf(bac, task.percentComplete) : 0,
    ac: actuals.byTask.get(taskId) ?? task?.actualCost ?? 0,
  };
}

/**
 * Earned value at `statusDate` against baseline `baselineNumber`, per task and for the project.
 * Progress is the schedule's current progress: to report as of an earlier date, fold the stream up to it.
 */
export function earnedValueReport(state: OpenedSchedule, baselineNumber: number, statusDate: string, reported: readonly ReportedActualCost[] = []): EarnedValueReport {
  if (!isIsoDate(statusDate)) throw invalid('INVALID_DATE', 'statusDate must be a calendar date YYYY-MM-DD', { statusDate });
  const baseline = baselineMustExist(state, baselineNumber);
  const actuals = actualCostsAt(state, reported, statusDate);
  const measuresOf = (taskId: string) => workPackageMeasures(state, baselineNumber, taskId, statusDate, actuals);
  const tasks = new Map<string, EarnedValueMetrics>();
  for (const taskId of wbsOrder(state)) {
    tasks.set(taskId, earnedValueMetrics(sumMeasures(workPackagesUnder(state, taskId).map((t) => measuresOf(t.taskId)))));
  }
  // Baselined work removed from the WBS without re-baselining stays in the plan: its value was promised.
  const dropped = [...baseline.tasks.values()].filter((t) => t.kind !== 'summary' && !state.tasks.get(t.taskId));
  const all = [...workPackagesUnder(state, null).map((t) => t.taskId), ...dropped.map((t) => t.taskId)];
  const projectLevel: EarnedValueMeasures = { bac: 0, pv: 0, ev: 0, ac: actuals.projectLevel };
  return { statusDate, baselineNumber, tasks, project: earnedValueMetrics(sumMeasures([...all.map(measuresOf), projectLevel])) };
}
