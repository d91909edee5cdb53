import { periodCount, periodEnds } from '@pm/shared/scheduling';
import type { IsoDate, ReportingInterval } from '@pm/shared/scheduling';
import type { WorkingDayCount } from '../schedule/project-calendar';
import type { Baseline, OpenedSchedule } from '../schedule/schedule.state';
import { plannedValueAt } from './planned-value';
import type { TimePhasedBudget } from './planned-value';

/** Mirror the contract's bounds (libs/contracts planning earned-value.contracts.ts); a domain lib imports no contract values. */
export const MAX_WEEKLY_CURVE_POINTS = 260;
export const MAX_MONTHLY_CURVE_POINTS = 1200;

export interface PlannedValuePoint {
  readonly periodEnd: IsoDate;
  readonly pv: number;
}
export interface PlannedValueCurve {
  readonly interval: ReportingInterval | null;
  readonly points: readonly PlannedValuePoint[];
}

/**
 * Microsoft Project's % complete of a project (its summary task): the sum over work packages of duration x % complete
 * over the sum of their durations, so a long task half done weighs more than a short one finished. Durations are the
 * tasks' working-day durations; milestones (0 days) weigh nothing; summaries roll up, so only work packages count.
 * Null when no work package has a duration (nothing to weigh).
 */
export function durationWeightedPercentComplete(state: OpenedSchedule): number | null {
  let done = 0;
  let total = 0;
  for (const task of state.tasks.values()) {
    if (task.kind === 'summary') continue;
    done += task.durationDays * task.percentComplete;
    total += task.durationDays;
  }
  return total > 0 ? done / total : null;
}

/** The earliest start and latest finish of a baseline's tasks; null for an empty baseline. */
export function baselineSpan(baseline: Baseline | undefined): { start: IsoDate; finish: IsoDate } | null {
  let start: IsoDate | null = null;
  let finish: IsoDate | null = null;
  for (const t of baseline?.tasks.values() ?? []) {
    if (start === null || t.start < start) start = t.start;
    if (finish === null || t.finish > finish) finish = t.finish;
  }
  return start !== null && finish !== null ? { start, finish } : null;
}

/**
 * What PV is summed from, in the order `projectMeasures` sums it: the work packages of the plan that the baseline has,
 * then the baselined work packages removed since. Work without a baseline adds 0 to PV there, which leaves a
 * floating-point sum unchanged, so summing these items alone gives `pv` to the last bit.
 */
function plannedValueItems(state: OpenedSchedule, baseline: Baseline): TimePhasedBudget[] {
  const items: TimePhasedBudget[] = [];
  const push = (taskId: string): void => {
    const saved = baseline.tasks.get(taskId);
    if (saved) items.push({ budget: saved.cost, start: saved.start, finish: saved.finish });
  };
  for (const task of state.tasks.values()) if (task.kind !== 'summary') push(task.taskId);
  for (const saved of baseline.tasks.values()) if (saved.kind !== 'summary' && !state.tasks.has(saved.taskId)) push(saved.taskId);
  return items;
}

/** Cumulative PV at the end of `date`: the same sum, in the same order, as the event's `pv` at a status date. */
export function plannedValueOn(state: OpenedSchedule, items: readonly TimePhasedBudget[], date: IsoDate, count: WorkingDayCount): number {
  let pv = 0;
  for (const item of items) pv += plannedValueAt(state.calendar, item, date, count);
  return pv;
}

/** Weeks while the span has at most 260 of them, else months (at most 1200), else no curve. */
export function curveIntervalFor(span: { start: IsoDate; finish: IsoDate }): ReportingInterval | null {
  if (periodCount(span.start, span.finish, 'week') <= MAX_WEEKLY_CURVE_POINTS) return 'week';
  if (periodCount(span.start, span.finish, 'month') <= MAX_MONTHLY_CURVE_POINTS) return 'month';
  return null;
}

/**
 * The baseline's cumulative planned value at the end of each ISO week (Sunday) or month from the period holding its
 * start to the one holding its finish: the S-curve's PV line (ADR 0501). Bounded: at most 260 weeks or 1200 months,
 * each point one pass over the baselined work packages.
 */
export function plannedValueCurve(state: OpenedSchedule, baseline: Baseline | undefined, count: WorkingDayCount): PlannedValueCurve {
  const span = baselineSpan(baseline);
  const interval = span ? curveIntervalFor(span) : null;
  if (!baseline || !span || interval === null) return { interval: null, points: [] };
  const items = plannedValueItems(state, baseline);
  return { interval, points: periodEnds(span.start, span.finish, interval).map((periodEnd) => ({ periodEnd, pv: plannedValueOn(state, items, periodEnd, count) })) };
}
