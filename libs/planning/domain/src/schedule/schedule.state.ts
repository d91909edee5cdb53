import type { BaselineTask, DependencyType, TaskConstraint, TaskKind } from './schedule.events';
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

export interface Baseline {
  readonly baselineNumber: number;
  readonly savedAt: string;
  readonly tasks: Readonly<Record<string, BaselineTask>>;
}

export interface NoSchedule {
  readonly status: 'not-opened';
}

export interface OpenedSchedule {
  readonly status: 'open';
  readonly projectId: string;
  readonly projectStart: string;
  readonly calendar: ProjectCalendar;
  /** The project's status date, adopted from the project: the data date the schedule reforecasts from. */
  readonly statusDate: string | null;
  readonly tasks: Readonly<Record<string, WbsTask>>;
  /** Child order per parent; top-level tasks under ROOT_KEY. Order is what WBS codes are derived from. */
  readonly children: Readonly<Record<string, readonly string[]>>;
  readonly dependencies: Readonly<Record<string, Dependency>>;
  readonly baselines: Readonly<Record<number, Baseline>>;
  /** Removed ids stay retired: a repeat removal is a no-op and history never shows one id for two tasks. */
  readonly retiredTaskIds: Readonly<Record<string, true>>;
  readonly retiredDependencyIds: Readonly<Record<string, true>>;
  /** Levelling proposals decided for this project: each is decided once (ADR 0107). */
  readonly levellingDecisions: Readonly<Record<string, LevellingDecision>>;
}

export type LevellingDecision = 'accepted' | 'rejected';

export type ScheduleState = NoSchedule | OpenedSchedule;

/** Task ids are caller-chosen strings; this key cannot collide because task ids must not be blank. */
export const ROOT_KEY = '';
export const childrenKey = (parentId: string | null): string => parentId ?? ROOT_KEY;

export const initialScheduleState = (): ScheduleState => ({ status: 'not-opened' });
