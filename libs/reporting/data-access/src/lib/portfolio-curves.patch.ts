import type { FactPatch } from './portfolio-facts.writer';

/**
 * The v3 figures of ProjectEarnedValueCalculated (ADR 0501) as schedule-fact columns. An upcast v2 event carries them
 * null: they are stored null (not invented), and its null forecast finish leaves the one ProjectScheduleCalculated
 * set in place (both come from the same calculation, so a v3 forecast finish equals it).
 */
export function progressPatch(d: Readonly<Record<string, unknown>>): FactPatch {
  return {
    percent_complete: d.percentComplete,
    baseline_start: d.baselineStart,
    baseline_finish: d.baselineFinish,
    finish_slip_days: d.finishSlipDays,
    curve_interval: d.curveInterval,
    pv_curve: d.plannedValueCurve,
    ...(d.forecastFinish === null ? {} : { project_finish: d.forecastFinish }),
  };
}
