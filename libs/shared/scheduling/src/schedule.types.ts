import type { CalendarSpec } from './calendar';

export type LinkType = 'FS' | 'SS' | 'FF' | 'SF';
export type ConstraintType = 'SNET' | 'SNLT' | 'FNET' | 'FNLT' | 'MSO' | 'MFO';
export type TaskStatus = 'not-started' | 'in-progress' | 'completed';

export interface TaskConstraint {
  readonly type: ConstraintType;
  /** YYYY-MM-DD */
  readonly date: string;
}

export interface TaskProgress {
  readonly actualStart?: string;
  /** Set: the task is completed and keeps its actual dates. */
  readonly actualFinish?: string;
  /** Working days still to do; for a started task it defaults to duration minus the working days elapsed (at least 1). */
  readonly remainingDuration?: number;
}

export interface ScheduleTaskInput {
  readonly id: string;
  /** Working days; 0 = milestone. Fractions are rounded up. */
  readonly duration: number;
  readonly constraint?: TaskConstraint;
  readonly progress?: TaskProgress;
}

export interface ScheduleLinkInput {
  readonly from: string;
  readonly to: string;
  readonly type: LinkType;
  /** Working days; negative = lead. Fractions are rounded up. */
  readonly lag: number;
}

export interface ScheduleInput {
  /** YYYY-MM-DD; offset 0 is the first working day on or after it. */
  readonly projectStart: string;
  readonly calendar: CalendarSpec;
  readonly tasks: readonly ScheduleTaskInput[];
  readonly links: readonly ScheduleLinkInput[];
  /** The data date: progress is reported up to it; remaining and unstarted work starts on it or later. */
  readonly statusDate?: string;
}

export interface ScheduleOptions {
  /** Critical paths are enumerated in a canonical order and cut after this many (default 100). */
  readonly maxCriticalPaths?: number;
  /**
   * At most this many task ids over all the listed paths (default: no bound). Paths are kept whole, in order, while
   * they fit; a first path longer than the bound is cut to it. The enumeration stops there, so its cost follows the
   * bound rather than `maxCriticalPaths` times the length of a path (100 paths through a 77,562-task chain are 7.8
   * million ids). `criticalPathsTruncated` says when anything was left out.
   */
  readonly maxCriticalPathTasks?: number;
}

/**
 * Offsets are working-day boundaries counted from the project start (the textbook "day 0" convention):
 * the task works on working days [startOffset, finishOffset), so finishOffset = startOffset + duration.
 */
export interface ScheduledTask {
  readonly id: string;
  readonly status: TaskStatus;
  readonly earlyStart: string;
  readonly earlyFinish: string;
  readonly lateStart: string;
  readonly lateFinish: string;
  readonly earlyStartOffset: number;
  readonly earlyFinishOffset: number;
  readonly lateStartOffset: number;
  readonly lateFinishOffset: number;
  /** Working days; negative when a constraint cannot be met. */
  readonly totalFloat: number;
  /** Working days, 0 <= freeFloat <= max(totalFloat, 0). */
  readonly freeFloat: number;
  /** Not completed and totalFloat <= 0. */
  readonly critical: boolean;
}

export interface ScheduleResult {
  readonly projectStart: string;
  /** The latest early finish date. */
  readonly projectFinish: string;
  /** The largest earlyFinishOffset (0 for an empty project). */
  readonly projectFinishOffset: number;
  /** In the order of the input tasks. */
  readonly tasks: readonly ScheduledTask[];
  /** Chains of critical tasks linked by driving relationships, in a canonical (input-order independent) order. */
  readonly criticalPaths: readonly (readonly string[])[];
  /** True when more critical paths exist than `maxCriticalPaths`, or their tasks exceed `maxCriticalPathTasks`. */
  readonly criticalPathsTruncated: boolean;
}
