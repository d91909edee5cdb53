import { sameValue } from '@pm/shared/ddd';
import type { ScheduleResult, ScheduledTask } from '@pm/shared/scheduling';
import type { ProjectEarnedValueCalculated, ScheduleStreamEvent } from '../schedule/schedule.events';
import { workingDayCounter, workingDayDifference } from '../schedule/project-calendar';
import type { OpenedSchedule, PublishedEarnedValue } from '../schedule/schedule.state';
import { earnedValueMetrics } from './earned-value';
import { actualCostsAt } from './reported-actual-cost';
import type { EarnedValueMeasures } from './earned-value';
import { baselineSpan, durationWeightedPercentComplete, plannedValueCurve } from './project-progress';
import { workPackageMeasures } from './schedule-earned-value';

/** Mirrors the contract's bounds (libs/contracts planning earned-value.contracts.ts); a domain lib imports no contract values. */
export const MAX_PUBLISHED_MILESTONES = 200;
export const NEAR_CRITICAL_FLOAT_DAYS: readonly number[] = [0, 2, 5, 10, 20];

type Milestone = PublishedEarnedValue['milestones'][number];
type NearCritical = PublishedEarnedValue['nearCritical'];

/**
 * The performance measurement baseline: baseline 0, as in Microsoft Project and in `GET …/evm` by default (re-baselining
 * overwrites it; 1…10 keep copies); a plan without one is measured against its lowest-numbered baseline.
 */
export function measurementBaselineNumber(state: OpenedSchedule): number | null {
  let lowest: number | null = null;
  for (const n of state.baselines.keys()) if (lowest === null || n < lowest) lowest = n;
  return lowest;
}

/** Unfinished work within N working days of float, for each N: how much of the plan a small slip makes critical. */
export function nearCriticalCounts(tasks: readonly ScheduledTask[]): NearCritical {
  const counts = NEAR_CRITICAL_FLOAT_DAYS.map(() => 0);
  for (const task of tasks) {
    if (task.status === 'completed') continue;
    for (let i = 0; i < counts.length; i++) if (task.totalFloat <= NEAR_CRITICAL_FLOAT_DAYS[i]) counts[i]++;
  }
  return NEAR_CRITICAL_FLOAT_DAYS.map((maxTotalFloatDays, i) => ({ maxTotalFloatDays, count: counts[i] }));
}

const bySlip = (a: Milestone, b: Milestone): number => b.slipDays - a.slipDays || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);

/** Milestones of the plan that the baseline has too, forecast (the engine's finish) against their baseline finish. */
function milestonesOf(state: OpenedSchedule, baselineNumber: number, tasks: readonly ScheduledTask[], statusDate: string): Milestone[] {
  const baseline = state.baselines.get(baselineNumber);
  const milestones: Milestone[] = [];
  for (const scheduled of tasks) {
    const task = state.tasks.get(scheduled.id);
    const saved = task?.kind === 'milestone' ? baseline?.tasks.get(task.taskId) : undefined;
    if (task === undefined || saved?.kind !== 'milestone') continue;
    const achieved = task.actualFinish !== null;
    milestones.push({
      taskId: task.taskId,
      name: task.name,
      baselineFinish: saved.finish,
      forecastFinish: scheduled.earlyFinish,
      slipDays: workingDayDifference(state.calendar, saved.finish, scheduled.earlyFinish),
      achieved,
      overdue: !achieved && saved.finish < statusDate,
    });
  }
  return milestones.sort(bySlip);
}

/** Project BAC, PV, EV and AC: the work packages of the plan plus baselined work removed since (its value was promised). */
function projectMeasures(state: OpenedSchedule, baselineNumber: number, statusDate: string): EarnedValueMeasures {
  const count = workingDayCounter(state.calendar);
  const reported = actualCostsAt(state, state.reportedCosts, statusDate);
  const measuresOf = (taskId: string) => workPackageMeasures(state, baselineNumber, taskId, statusDate, reported, count);
  const sum = { bac: 0, pv: 0, ev: 0, ac: 0 };
  const add = (m: EarnedValueMeasures): void => {
    sum.bac += m.bac;
    sum.pv += m.pv;
    sum.ev += m.ev;
    sum.ac += m.ac;
  };
  for (const task of state.tasks.values()) if (task.kind !== 'summary') add(measuresOf(task.taskId));
  for (const saved of state.baselines.get(baselineNumber)?.tasks.values() ?? []) {
    if (saved.kind !== 'summary' && !state.tasks.has(saved.taskId)) add(measuresOf(saved.taskId));
  }
  // Reported costs of no work package are the project's (ADR 0106).
  sum.ac += reported.projectLevel;
  return sum;
}

/**
 * The project's earned value and the plan's risk signals after a recalculation (ADR 0303), or null before there is a
 * status date and a baseline to measure against. One pass over the plan, like the critical-path run it follows;
 * the event is bounded whatever the plan's size (counts, and the 200 milestones with the largest slip).
 */
export function projectEarnedValue(state: OpenedSchedule, result: ScheduleResult, statusDate: string | null, decided: readonly ScheduleStreamEvent[]): PublishedEarnedValue | null {
  const baselineNumber = measurementBaselineNumber(state);
  if (statusDate === null || baselineNumber === null) return null;
  const metrics = earnedValueMetrics(projectMeasures(state, baselineNumber, statusDate));
  const baseline = state.baselines.get(baselineNumber);
  const span = baselineSpan(baseline);
  const curve = plannedValueCurve(state, baseline, workingDayCounter(state.calendar));
  const milestones = milestonesOf(state, baselineNumber, result.tasks, statusDate);
  const nearCritical = nearCriticalCounts(result.tasks);
  const last = state.lastEarnedValue;
  const baselineSavedNow = decided.some((e) => e.type === 'BaselineSaved' && e.data.baselineNumber === baselineNumber);
  const sameBaseline = last !== null && last.baselineNumber === baselineNumber && !baselineSavedNow;
  return {
    projectId: state.projectId,
    statusDate,
    baselineNumber,
    bac: metrics.bac,
    pv: metrics.pv,
    ev: metrics.ev,
    ac: metrics.ac,
    spi: metrics.spi,
    cpi: metrics.cpi,
    eac: metrics.eac.atCurrentCpi,
    actualCostSource: 'resource-service-and-tasks',
    nearCritical,
    nearCriticalAtBaseline: sameBaseline ? last.nearCriticalAtBaseline : nearCritical,
    milestoneCount: milestones.length,
    overdueMilestoneCount: milestones.filter((m) => m.overdue).length,
    milestones: milestones.slice(0, MAX_PUBLISHED_MILESTONES),
    milestonesTruncated: milestones.length > MAX_PUBLISHED_MILESTONES,
    percentComplete: durationWeightedPercentComplete(state),
    baselineStart: span?.start ?? null,
    baselineFinish: span?.finish ?? null,
    forecastFinish: result.projectFinish,
    finishSlipDays: span ? workingDayDifference(state.calendar, span.finish, result.projectFinish) : null,
    curveInterval: curve.interval,
    plannedValueCurve: [...curve.points],
  };
}

/** The figures are bounded, so comparing them is cheap; by value, because the last ones were read back from jsonb, keys reordered. */
const sameFigures = (a: PublishedEarnedValue | null, b: PublishedEarnedValue): boolean => a !== null && sameValue(a, b);

/** ProjectEarnedValueCalculated when any figure differs from the last published, else nothing. */
export function earnedValueConclusion(state: OpenedSchedule, result: ScheduleResult, statusDate: string | null, decided: readonly ScheduleStreamEvent[]): ProjectEarnedValueCalculated[] {
  const figures = projectEarnedValue(state, result, statusDate, decided);
  if (figures === null || sameFigures(state.lastEarnedValue, figures)) return [];
  return [{ type: 'ProjectEarnedValueCalculated', data: figures }];
}
