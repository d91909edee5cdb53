import type { CalendarSpec, LinkType, TaskConstraint, TaskProgress } from '@pm/shared/scheduling';

/** 'pert': the PERT-beta, Beta(1 + 4(m-a)/(b-a), 1 + 4(b-m)/(b-a)) on [a, b]; 'triangular': the triangle on a, m, b. */
export type DistributionKind = 'pert' | 'triangular';

/** A three-point estimate in working days (or, for a risk event's cost, money): optimistic <= mostLikely <= pessimistic. */
export interface ThreePointEstimate {
  readonly optimistic: number;
  readonly mostLikely: number;
  readonly pessimistic: number;
}

/** A task's budget: the fixed part, and the time-dependent part that scales with sampled / planned duration. */
export interface TaskCost {
  readonly fixed?: number;
  readonly timeDependent?: number;
}

export interface SimulationTask {
  readonly id: string;
  /** Planned duration in working days (0 = milestone): the plan's own CPM date and the cost model's reference. */
  readonly duration: number;
  /** Whole-duration estimate; without one, the tenant's default spread applies around `duration`. */
  readonly estimate?: ThreePointEstimate;
  /** Default: 'pert' with an estimate, the default spread's distribution without. */
  readonly distribution?: DistributionKind;
  readonly constraint?: TaskConstraint;
  /** As in the scheduling engine: completed tasks are facts, tasks in progress vary their remaining work only. */
  readonly progress?: TaskProgress;
  readonly cost?: TaskCost;
}

export interface SimulationLink {
  readonly from: string;
  readonly to: string;
  readonly type: LinkType;
  /** Working days; negative = lead. */
  readonly lag: number;
}

/** The tenant's spread for tasks without an estimate, as fractions of the duration: -0.1 and 0.25 give [0.9d, d, 1.25d]. */
export interface DefaultSpread {
  readonly optimistic: number;
  readonly pessimistic: number;
  readonly distribution: DistributionKind;
}

export interface RiskImpact {
  readonly taskId: string;
  /** Working days added to the task when the event occurs. */
  readonly days: number | ThreePointEstimate;
}

/**
 * A threat that occurs in an iteration with `probability`. Its severity is one random grade per iteration: every
 * three-point impact and the cost are read at that grade, so a bad occurrence is bad everywhere at once.
 */
export interface RiskEvent {
  readonly id: string;
  readonly probability: number;
  readonly impacts?: readonly RiskImpact[];
  readonly cost?: number | ThreePointEstimate;
  /** Distribution of three-point impacts and cost (default 'triangular'). */
  readonly distribution?: DistributionKind;
}

/** Spearman rank correlation `coefficient` between the durations of every pair of the tasks (a pair is a group of two). */
export interface DurationCorrelation {
  readonly taskIds: readonly string[];
  readonly coefficient: number;
}

export interface SimulationOutputs {
  /** Criticality index per task (default true). */
  readonly criticality?: boolean;
  /** Spearman sensitivity (tornado) per task and risk event (default true). */
  readonly sensitivity?: boolean;
}

export interface SimulationInput {
  /** YYYY-MM-DD */
  readonly projectStart: string;
  /** The data date: actuals before it are facts, remaining and unstarted work is simulated from it. */
  readonly statusDate?: string;
  readonly calendar: CalendarSpec;
  readonly tasks: readonly SimulationTask[];
  readonly links: readonly SimulationLink[];
  readonly defaultSpread?: DefaultSpread;
  readonly riskEvents?: readonly RiskEvent[];
  readonly correlations?: readonly DurationCorrelation[];
  readonly iterations: number;
  /** Any integer; the same input and seed give the same result on any number of threads. */
  readonly seed: number;
  /** YYYY-MM-DD: the result gives the probability of finishing on or before it. */
  readonly targetDate?: string;
  /** Percentiles to report (default 10, 50, 80, 90, 95). */
  readonly percentiles?: readonly number[];
  readonly outputs?: SimulationOutputs;
}

export interface DatePercentile {
  readonly percentile: number;
  /** Working days from the project start to the finish (a fraction: 12.25 ends a quarter into working day 12). */
  readonly workingDays: number;
  readonly date: string;
}

export interface ValuePercentile {
  readonly percentile: number;
  readonly value: number;
}

/** One bar of a histogram with the cumulative share of iterations at its upper end (the S-curve). */
export interface DateBin {
  /** Last date of the bin (inclusive). */
  readonly date: string;
  readonly count: number;
  readonly cumulative: number;
}

export interface ValueBin {
  /** Bin [from, to); the last bin includes `to`. */
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly cumulative: number;
}

export interface FinishDistribution {
  readonly percentiles: readonly DatePercentile[];
  readonly meanWorkingDays: number;
  readonly meanDate: string;
  readonly standardDeviationWorkingDays: number;
  readonly earliest: string;
  readonly latest: string;
  readonly histogram: readonly DateBin[];
  /** Present with a target date: the share of iterations finishing on or before it. */
  readonly probabilityOfTarget?: number;
  /** Share of iterations finishing on or before the deterministic plan's finish date. */
  readonly probabilityOfPlannedFinish: number;
}

export interface CostDistribution {
  readonly percentiles: readonly ValuePercentile[];
  readonly mean: number;
  readonly standardDeviation: number;
  readonly histogram: readonly ValueBin[];
  /** Share of iterations within the planned budget (the sum of the task budgets). */
  readonly probabilityWithinBudget: number;
}

export interface TaskRisk {
  readonly id: string;
  /** Share of iterations in which the task was critical (total float <= 0, not completed); absent when not computed. */
  readonly criticality?: number;
  /** Spearman rank correlation of the task's sampled duration with the project finish; 0 for a task that does not vary. */
  readonly sensitivity?: number;
}

export interface RiskEventResult {
  readonly id: string;
  /** Share of iterations in which it occurred. */
  readonly occurrence: number;
  /** Spearman rank correlation of its occurrence with the project finish. */
  readonly sensitivity?: number;
}

export interface TornadoBar {
  readonly kind: 'task' | 'risk-event';
  readonly id: string;
  readonly sensitivity: number;
}

export interface SimulationResult {
  readonly iterations: number;
  readonly seed: number;
  readonly blockSize: number;
  /** The plan's own CPM, with the planned durations and no risk event. */
  readonly planned: { readonly finishDate: string; readonly finishWorkingDays: number; readonly cost: number };
  readonly finish: FinishDistribution;
  readonly cost: CostDistribution;
  /** In input order. */
  readonly tasks: readonly TaskRisk[];
  readonly riskEvents: readonly RiskEventResult[];
  /** The largest sensitivities by absolute value, tasks and risk events together (at most 20). */
  readonly tornado: readonly TornadoBar[];
  /** 0 when the correlations were consistent; else how far they were shrunk towards independence to be (see README). */
  readonly correlationShrinkage: number;
}
