/** At most this many status dates in one trend (ten years of weekly status); the latest are kept. */
export const MAX_TREND_STATUS_DATES = 520;

export interface TrendMilestone {
  readonly taskId: string;
  readonly name: string;
  readonly baselineFinish: string;
  readonly forecastFinish: string;
  readonly slipDays: number;
  readonly achieved: boolean;
}
/** The milestones as forecast at one status date (the latest recorded for that date). */
export interface StatusMilestones {
  readonly statusDate: string;
  readonly milestones: readonly TrendMilestone[];
}

export interface MilestoneForecast {
  readonly statusDate: string;
  readonly forecastFinish: string;
  readonly slipDays: number;
  readonly achieved: boolean;
}
export interface MilestoneTrendLine {
  readonly taskId: string;
  /** Name and baseline finish as the latest status date shows them. */
  readonly name: string;
  readonly baselineFinish: string;
  readonly forecasts: readonly MilestoneForecast[];
}
export interface MilestoneTrend {
  readonly statusDates: readonly string[];
  readonly milestones: readonly MilestoneTrendLine[];
}

/**
 * Milestone trend analysis: each milestone's forecast finish at each status date, a line per milestone (flat while on
 * track, rising while it slips). Milestones are keyed by task id in a Map (client ids are data, not keys), ordered by
 * baseline finish then task id. `history` is sorted by status date.
 */
export function milestoneTrend(history: readonly StatusMilestones[]): MilestoneTrend {
  const lines = new Map<string, { taskId: string; name: string; baselineFinish: string; forecasts: MilestoneForecast[] }>();
  for (const { statusDate, milestones } of history) {
    for (const m of milestones) {
      const line = lines.get(m.taskId) ?? { taskId: m.taskId, name: m.name, baselineFinish: m.baselineFinish, forecasts: [] };
      line.name = m.name;
      line.baselineFinish = m.baselineFinish;
      line.forecasts.push({ statusDate, forecastFinish: m.forecastFinish, slipDays: m.slipDays, achieved: m.achieved });
      lines.set(m.taskId, line);
    }
  }
  const milestones = [...lines.values()].sort((a, b) =>
    a.baselineFinish !== b.baselineFinish ? (a.baselineFinish < b.baselineFinish ? -1 : 1) : a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0,
  );
  return { statusDates: history.map((h) => h.statusDate), milestones };
}
