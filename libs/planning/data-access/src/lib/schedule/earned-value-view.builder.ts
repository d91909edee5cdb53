import { earnedValueReport, wbsCodes } from '@pm/planning/domain';
import type { EarnedValueMetrics } from '@pm/planning/domain';
import type { PlannedScheduleState } from './planned-schedule.state';
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
}

/** PV comes from the baseline (the performance measurement baseline), EV from percent complete, AC as recorded. */
export function buildEarnedValueView(planned: PlannedScheduleState, projectId: string, baselineNumber: number, statusDate: string): EarnedValueView {
  const state = openedScheduleOf(planned, projectId);
  const report = earnedValueReport(state, baselineNumber, statusDate);
  const codes = wbsCodes(state);
  return {
    projectId,
    statusDate,
    baselineNumber,
    project: report.project,
    tasks: Object.entries(report.tasks).map(([taskId, metrics]) => ({
      taskId,
      name: state.tasks[taskId].name,
      kind: state.tasks[taskId].kind,
      wbsCode: codes[taskId],
      ...metrics,
    })),
  };
}
