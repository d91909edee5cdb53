/**
 * Levelling works in whole working days of the plan's calendar: day 0 is the first working day of the
 * horizon, a task occupies days [start, start + duration). Dates are the caller's concern (one calendar
 * conversion at the edge), which keeps the algorithm integer-only and easy to property-test.
 */
export interface LevellingTask {
  readonly taskId: string;
  readonly start: number;
  readonly duration: number;
  /** Working days the task may slip without moving the project finish; ≤ 0 means critical. */
  readonly totalFloat: number;
  /** Higher is more important (Microsoft Project's 0..1000 scale); breaks ties after float. */
  readonly priority: number;
}

/** A dependency as planning links it, with a lag (negative: a lead) in working days; FS when no type is given. */
export interface LevellingLink {
  readonly from: string;
  readonly to: string;
  readonly lag: number;
  readonly type?: 'FS' | 'SS' | 'FF' | 'SF';
}

/** A task's demand on one resource, in minutes per working day of the task. */
export interface LevellingLoad {
  readonly taskId: string;
  readonly resourceId: string;
  readonly minutesPerDay: number;
}

export interface LevellingInput {
  readonly tasks: readonly LevellingTask[];
  readonly links: readonly LevellingLink[];
  readonly loads: readonly LevellingLoad[];
  /** Minutes the resource can give on working day `day`. */
  readonly capacityOn: (resourceId: string, day: number) => number;
  /**
   * Minutes the load asks on working day `day` of the plan; `minutesPerDay` when absent. A resource on its own
   * calendar asks nothing on a plan working day it does not work (Microsoft Project's flat contour over the
   * resource's working time), and a share of that day's own length on the others.
   */
  readonly demandOn?: (load: LevellingLoad, day: number) => number;
  /** How far past its earliest start a task may be pushed before the conflict is reported instead. */
  readonly maxDelay?: number;
}

export interface TaskMove {
  readonly taskId: string;
  readonly fromStart: number;
  readonly toStart: number;
  readonly delay: number;
  /** True when the delay fits in the task's float, so the project finish does not move because of it. */
  readonly withinFloat: boolean;
}

/** A task that could not be placed without exceeding a resource: left at its earliest start and reported. */
export interface UnresolvedConflict {
  readonly taskId: string;
  readonly resourceId: string;
  /** Working days [fromDay, toDay] on which the resource stays over capacity because of this task. */
  readonly fromDay: number;
  readonly toDay: number;
  readonly reason: 'demand-exceeds-capacity-every-day' | 'no-slot-within-max-delay';
}

export interface LevellingProposal {
  /** Each task's levelled start day, by task id (a Map: task ids are the client's). */
  readonly starts: ReadonlyMap<string, number>;
  readonly moves: readonly TaskMove[];
  readonly finishBefore: number;
  readonly finishAfter: number;
  readonly unresolved: readonly UnresolvedConflict[];
}
