import { addDays, periodCount, periodEndOf } from '@pm/shared/scheduling';
import type { ReportingInterval } from '@pm/shared/scheduling';

export type CurveInterval = ReportingInterval;
export const CURVE_INTERVALS = ['week', 'month'] as const satisfies readonly CurveInterval[];
/** At most this many periods in one answer (23 years of weeks, 100 years of months); the latest are kept. */
export const MAX_CURVE_PERIODS = 1200;

/** The baseline's cumulative PV at a period end, as ProjectEarnedValueCalculated v3 published it. */
export interface PlannedValuePoint {
  readonly periodEnd: string;
  readonly pv: number;
}
export interface PlannedValueCurve {
  readonly interval: CurveInterval | null;
  readonly points: readonly PlannedValuePoint[];
}
/** The cumulative figures measured at one status date (the latest recorded for that date). */
export interface StatusFigures {
  readonly statusDate: string;
  readonly ev: number;
  readonly ac: number;
}

export interface SCurvePoint {
  readonly periodEnd: string;
  /** Cumulative PV of the baseline at the period end; null without a curve (no v3 figures yet). */
  readonly pv: number | null;
  /** Cumulative EV and AC at the latest status date at or before the period end; null before the first and after the last status date's period. */
  readonly ev: number | null;
  readonly ac: number | null;
  readonly statusDate: string | null;
}
export interface SCurve {
  readonly interval: CurveInterval;
  readonly points: readonly SCurvePoint[];
  /** True when more than MAX_CURVE_PERIODS periods span the data and the earliest were left out. */
  readonly truncated: boolean;
}

/**
 * The interval an answer can honour: weeks cannot be recovered from a curve published by month (its baseline spans
 * more than 260 weeks), so such a curve answers by month, and says so.
 */
export const answerInterval = (requested: CurveInterval, curves: readonly PlannedValueCurve[]): CurveInterval =>
  requested === 'week' && curves.some((c) => c.interval === 'month') ? 'month' : requested;

/**
 * PV by the answer's periods. A weekly curve asked by month gives each month the value of its last week end (a Sunday
 * on or before the month's last day): the figure published nearest to the month end without passing it.
 */
function plannedValueByPeriod(curve: PlannedValueCurve, interval: CurveInterval): Map<string, number> {
  const byPeriod = new Map<string, number>();
  for (const p of curve.points) byPeriod.set(periodEndOf(p.periodEnd, interval), p.pv);
  return byPeriod;
}

/** The period ends from the one holding `from` to the one holding `to`, at most `max` of them (the latest). */
export function periodsBetween(from: string, to: string, interval: CurveInterval, max = MAX_CURVE_PERIODS): { ends: string[]; truncated: boolean } {
  const last = periodEndOf(to, interval);
  const total = periodCount(from, to, interval);
  const ends: string[] = [];
  for (let end = last; ends.length < Math.min(total, max); end = periodEndOf(addDays(end, interval === 'week' ? -7 : -Number(end.slice(8, 10))), interval)) ends.push(end);
  return { ends: ends.reverse(), truncated: total > max };
}

function span(curve: PlannedValueCurve, history: readonly StatusFigures[]): { from: string; to: string } | null {
  const dates = [...curve.points.map((p) => p.periodEnd), ...history.map((h) => h.statusDate)];
  if (dates.length === 0) return null;
  let from = dates[0];
  let to = dates[0];
  for (const d of dates) {
    if (d < from) from = d;
    if (d > to) to = d;
  }
  return { from, to };
}

/**
 * One project's S-curve: cumulative PV from the baseline curve, EV and AC from the figures at each status date (within a
 * period the latest status date's), over every period from the first of either to the last of either. PV is 0 before
 * the baseline's first period and BAC after its last; there is no EV or AC after the last status date's period.
 * `history` is sorted by status date.
 */
export function projectSCurve(curve: PlannedValueCurve, history: readonly StatusFigures[], interval: CurveInterval, periods?: readonly string[]): SCurve {
  const range = span(curve, history);
  const { ends, truncated } = periods ? { ends: [...periods], truncated: false } : range ? periodsBetween(range.from, range.to, interval) : { ends: [], truncated: false };
  const pvByPeriod = plannedValueByPeriod(curve, interval);
  const first = curve.points.length ? periodEndOf(curve.points[0].periodEnd, interval) : null;
  const lastPv = curve.points.length ? curve.points[curve.points.length - 1].pv : null;
  const lastStatus = history.length ? periodEndOf(history[history.length - 1].statusDate, interval) : null;
  let next = 0;
  let latest: StatusFigures | null = null;
  const points = ends.map((periodEnd): SCurvePoint => {
    while (next < history.length && history[next].statusDate <= periodEnd) latest = history[next++];
    const pv = first === null ? null : periodEnd < first ? 0 : (pvByPeriod.get(periodEnd) ?? lastPv);
    const measured = latest !== null && lastStatus !== null && periodEnd <= lastStatus ? latest : null;
    return { periodEnd, pv, ev: measured?.ev ?? null, ac: measured?.ac ?? null, statusDate: measured?.statusDate ?? null };
  });
  return { interval, points, truncated };
}

export interface PortfolioProjectCurve {
  readonly currency: string;
  readonly curve: PlannedValueCurve;
  readonly history: readonly StatusFigures[];
}
export interface PortfolioSCurvePoint {
  readonly periodEnd: string;
  readonly pv: number | null;
  readonly ev: number | null;
  readonly ac: number | null;
  /** Projects whose EV and AC are in this period's sums (measured at or before it, not past their last status date). */
  readonly measuredProjects: number;
}
export interface PortfolioSCurve {
  readonly currency: string;
  readonly projects: number;
  readonly points: readonly PortfolioSCurvePoint[];
}

const plus = (a: number | null, b: number | null): number | null => (b === null ? a : (a ?? 0) + b);

/**
 * The portfolio's S-curves: each project's curve over the same periods, summed per currency (two currencies are never
 * added). Currencies in code order, so the answer does not depend on the order of the projects.
 */
export function portfolioSCurves(projects: readonly PortfolioProjectCurve[], interval: CurveInterval): { curves: PortfolioSCurve[]; truncated: boolean } {
  const spans = projects.map((p) => span(p.curve, p.history)).filter((s) => s !== null);
  if (spans.length === 0) return { curves: [], truncated: false };
  const from = spans.reduce((m, s) => (s.from < m ? s.from : m), spans[0].from);
  const to = spans.reduce((m, s) => (s.to > m ? s.to : m), spans[0].to);
  const { ends, truncated } = periodsBetween(from, to, interval);
  const byCurrency = new Map<string, { projects: number; points: PortfolioSCurvePoint[] }>();
  for (const project of projects) {
    const curve = projectSCurve(project.curve, project.history, interval, ends);
    let sums = byCurrency.get(project.currency);
    if (!sums) byCurrency.set(project.currency, (sums = { projects: 0, points: ends.map((periodEnd) => ({ periodEnd, pv: null, ev: null, ac: null, measuredProjects: 0 })) }));
    sums.projects++;
    for (let i = 0; i < ends.length; i++) {
      const s = sums.points[i];
      const p = curve.points[i];
      sums.points[i] = { periodEnd: s.periodEnd, pv: plus(s.pv, p.pv), ev: plus(s.ev, p.ev), ac: plus(s.ac, p.ac), measuredProjects: s.measuredProjects + (p.ev === null ? 0 : 1) };
    }
  }
  const curves = [...byCurrency].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([currency, s]) => ({ currency, projects: s.projects, points: s.points }));
  return { curves, truncated };
}
