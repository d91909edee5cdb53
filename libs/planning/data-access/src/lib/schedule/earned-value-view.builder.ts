import { earnedValueReport, wbsCodes } from '@pm/planning/domain';
import type { EarnedValueMetrics } from '@pm/planning/domain';
import type { ReportedCostsInProjectCurrency, UnconvertedActualCost } from '../actual-cost/reported-costs.mapper';
import type { ScheduleState } from '@pm/planning/domain';
import { openedScheduleOf } from './schedule-view.builder';

export interface EarnedValueTaskView extends EarnedValueMetrics {
  readonly taskId: string;
  readonly name: string;
  readonly kind: string;
  readonly wbsCode: string;
}

export interface EarnedValueView {
  readonly projectId: string;
  readonly statusDate: string;
  readonly baselineNumber: number;
  readonly project: EarnedValueMetrics;
  /** Every task in WBS order; summaries are rolled up from their work packages. */
  readonly tasks: readonly EarnedValueTaskView[];
  /** Resource-reported cost in another currency than the project's, left out of AC. */
  readonly unconvertedActualCosts: readonly UnconvertedActualCost[];
}

/**
 * PV comes from the baseline (the performance measurement baseline), EV from percent complete, AC from the
 * resource service's costs where it reported any, else as recorded on the task (`actualCostsAt`, ADR 0106).
 */
export function buildEarnedValueView(
  schedule: ScheduleState,
  projectId: string,
  baselineNumber: number,
  statusDate: string,
  costs: ReportedCostsInProjectCurrency = { reported: [], unconverted: [] },
): EarnedValueView {
  const state = openedScheduleOf(schedule, projectId);
  const report = earnedValueReport(state, baselineNumber, statusDate, costs.reported);
  const codes = wbsCodes(state);
  return {
    projectId,
    statusDate,
    baselineNumber,
    project: report.project,
    tasks: [...report.tasks].map(([taskId, metrics]) => ({
      taskId,
      name: state.tasks.get(taskId)?.name ?? taskId,
      kind: state.tasks.get(taskId)?.kind ?? 'task',
      wbsCode: codes.get(taskId) ?? '',
      ...metrics,
    })),
    unconvertedActualCosts: costs.unconverted,
  };
}
