import type { ReportedActualCost } from '../earned-value/reported-actual-cost';
import type { BaselineTask, DependencyType, ProjectEarnedValueCalculated, ProjectScheduleCalculated, TaskConstraint, TaskKind } from './schedule.events';
import type { PublishedEntry } from './published-schedule';
import type { ProjectCalendar } from './project-calendar';

export interface ThreePointEstimate {
  readonly optimisticDays: number;
  readonly mostLikelyDays: number;
  readonly pessimisticDays: number;
  readonly expectedDays: number;
  readonly standardDeviationDays: number;
}

export interface WbsTask {
  readonly taskId: string;
  readonly name: string;
  readonly kind: TaskKind;
  readonly parentId: string | null;
  readonly durationDays: number;
  readonly workHours: number | null;
  readonly costBudget: number | null;
  readonly constraint: TaskConstraint;
  readonly threePoint: ThreePointEstimate | null;
  readonly actualStart: string | null;
  readonly actualFinish: string | null;
  readonly percentComplete: number;
  readonly remainingDurationDays: number | null;
  /** Cumulative actual cost to date, as reported by the resource context. */
  readonly actualCost: number;
}

export interface Dependency {
  readonly dependencyId: string;
  readonly predecessorId: string;
  readonly successorId: string;
  readonly dependencyType: DependencyType;
  readonly lagDays: number;
}

export type ProjectCalculation = ProjectScheduleCalculated['data'];
/** The earned-value figures the last ProjectEarnedValueCalculated published: a conclusion is only published when they change. */
export type PublishedEarnedValue = ProjectEarnedValueCalculated['data'];

export interface Baseline {
  readonly baselineNumber: number;
  readonly savedAt: string;
  readonly tasks: ReadonlyMap<string, BaselineTask>;
}

export interface NoSchedule {
  readonly status: 'not-opened';
}

/**
 * An open schedule. Everything keyed by a client-chosen id is a Map or a Set, never a plain object: an id such as
 * `constructor` or `__proto__` is data, not a property (ADR 0008). The fold updates these collections in place, so
 * a command costs what it changes, not the size of the plan; a state is never shared between two folds.
 */
export interface OpenedSchedule {
  readonly status: 'open';
  readonly projectId: string;
  readonly projectStart: string;
  readonly calendar: ProjectCalendar;
  /** The project's status date, adopted from the project: the data date the schedule reforecasts from. */
  readonly statusDate: string | null;
  readonly tasks: ReadonlyMap<string, WbsTask>;
  /** Child order per parent; top-level tasks under ROOT_KEY. Order is what WBS codes are derived from. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly dependencies: ReadonlyMap<string, Dependency>;
  readonly baselines: ReadonlyMap<number, Baseline>;
  /** Removed ids stay retired: a repeat removal is a no-op and history never shows one id for two tasks. */
  readonly retiredTaskIds: ReadonlySet<string>;
  readonly retiredDependencyIds: ReadonlySet<string>;
  /** Levelling proposals decided for this project: each is decided once (ADR 0107). */
  readonly levellingDecisions: ReadonlyMap<string, LevellingDecision>;
  /** Costs the resource service reported (ADR 0106), per task (or none) and day, and the cost ids already recorded. */
  readonly reportedCosts: readonly ReportedActualCost[];
  readonly reportedCostIds: ReadonlySet<string>;
  /** The latest date progress was reported for (null before any progress); see `dataDateOf`. */
  readonly progressDate: string | null;
  /**
   * What the calculations published, per task and for the project: what "moved" is measured against. Read from the
   * stream, never recomputed, so a change in the engine never republishes the whole plan silently (ADR 0100).
   */
  readonly published: ReadonlyMap<string, PublishedEntry>;
  readonly lastCalculation: ProjectCalculation | null;
  readonly lastEarnedValue: PublishedEarnedValue | null;
}

/** The same schedule as the fold sees it: the collections it updates in place. */
export interface WritableSchedule {
  status: 'open';
  projectId: string;
  projectStart: string;
  calendar: ProjectCalendar;
  statusDate: string | null;
  tasks: Map<string, WbsTask>;
  children: Map<string, string[]>;
  dependencies: Map<string, Dependency>;
  baselines: Map<number, Baseline>;
  retiredTaskIds: Set<string>;
  retiredDependencyIds: Set<string>;
  levellingDecisions: Map<string, LevellingDecision>;
  reportedCosts: ReportedActualCost[];
  reportedCostIds: Set<string>;
  progressDate: string | null;
  published: Map<string, PublishedEntry>;
  lastCalculation: ProjectCalculation | null;
  lastEarnedValue: PublishedEarnedValue | null;
}

export type LevellingDecision = 'accepted' | 'rejected';

export type ScheduleState = NoSchedule | OpenedSchedule;

/** Task ids are caller-chosen strings; this key cannot collide because task ids must not be blank. */
export const ROOT_KEY = '';
export const childrenKey = (parentId: string | null): string => parentId ?? ROOT_KEY;

export const initialScheduleState = (): ScheduleState => ({ status: 'not-opened' });

export function openedSchedule(projectId: string, projectStart: string, calendar: ProjectCalendar): WritableSchedule {
  return {
    status: 'open',
    projectId,
    projectStart,
    calendar,
    statusDate: null,
    tasks: new Map(),
    children: new Map(),
    dependencies: new Map(),
    baselines: new Map(),
    retiredTaskIds: new Set(),
    retiredDependencyIds: new Set(),
    levellingDecisions: new Map(),
    reportedCosts: [],
    reportedCostIds: new Set(),
    progressDate: null,
    published: new Map(),
    lastCalculation: null,
    lastEarnedValue: null,
  };
}

/**
 * The data date the schedule reforecasts from: the project's status date once one is set, else the latest date
 * progress was reported for (ADR 0105). Null before either: the plan is not yet under way.
 */
export const dataDateOf = (state: OpenedSchedule): string | null => state.statusDate ?? state.progressDate;
