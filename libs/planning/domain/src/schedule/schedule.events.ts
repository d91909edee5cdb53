import type { ProjectCalendarException, ProjectCalendar } from './project-calendar';

export type TaskKind = 'summary' | 'task' | 'milestone';
export type DependencyType = 'FS' | 'SS' | 'FF' | 'SF';
/** As soon / as late as possible carry no date; the others pin or bound a date. */
export type ConstraintType = 'ASAP' | 'ALAP' | 'SNET' | 'SNLT' | 'FNET' | 'FNLT' | 'MSO' | 'MFO';

export interface TaskConstraint {
  type: ConstraintType;
  date: string | null;
}

export interface ScheduleOpened {
  readonly type: 'ScheduleOpened';
  readonly data: { projectId: string; projectStart: string; calendar: ProjectCalendar; openedAt: string };
}

export interface ProjectStartRescheduled {
  readonly type: 'ProjectStartRescheduled';
  readonly data: { projectId: string; previousStart: string; projectStart: string };
}

export interface WorkingCalendarDefined {
  readonly type: 'WorkingCalendarDefined';
  readonly data: { projectId: string; calendar: ProjectCalendar };
}

export interface HolidayDeclared {
  readonly type: 'HolidayDeclared';
  readonly data: { projectId: string; date: string; name: string };
}

export interface CalendarExceptionRecorded {
  readonly type: 'CalendarExceptionRecorded';
  readonly data: { projectId: string } & ProjectCalendarException;
}

export interface TaskAddedToWbs {
  readonly type: 'TaskAddedToWbs';
  readonly data: {
    projectId: string;
    taskId: string;
    name: string;
    kind: TaskKind;
    parentId: string | null;
    /** Index among the parent's children after insertion. */
    position: number;
    durationDays: number;
    workHours: number | null;
    costBudget: number | null;
  };
}

export interface TaskRenamed {
  readonly type: 'TaskRenamed';
  readonly data: { projectId: string; taskId: string; name: string };
}

export interface TaskMovedInWbs {
  readonly type: 'TaskMovedInWbs';
  readonly data: { projectId: string; taskId: string; fromParentId: string | null; toParentId: string | null; position: number };
}

export interface TaskRemovedFromWbs {
  readonly type: 'TaskRemovedFromWbs';
  readonly data: { projectId: string; taskId: string; parentId: string | null };
}

export interface TaskDurationEstimated {
  readonly type: 'TaskDurationEstimated';
  readonly data: { projectId: string; taskId: string; durationDays: number };
}

export interface TaskThreePointEstimated {
  readonly type: 'TaskThreePointEstimated';
  readonly data: {
    projectId: string;
    taskId: string;
    optimisticDays: number;
    mostLikelyDays: number;
    pessimisticDays: number;
    /** PERT mean (o + 4m + p) / 6, recorded so consumers agree on one figure. */
    expectedDays: number;
    /** PERT (p − o) / 6. */
    standardDeviationDays: number;
  };
}

export interface TaskWorkPlanned {
  readonly type: 'TaskWorkPlanned';
  readonly data: { projectId: string; taskId: string; workHours: number };
}

export interface TaskCostBudgeted {
  readonly type: 'TaskCostBudgeted';
  readonly data: { projectId: string; taskId: string; costBudget: number };
}

export interface TaskConstrained {
  readonly type: 'TaskConstrained';
  readonly data: { projectId: string; taskId: string; constraint: TaskConstraint };
}

export interface DependencyLinked {
  readonly type: 'DependencyLinked';
  readonly data: { projectId: string; dependencyId: string; predecessorId: string; successorId: string; dependencyType: DependencyType; lagDays: number };
}

export interface DependencyLagAdjusted {
  readonly type: 'DependencyLagAdjusted';
  readonly data: { projectId: string; dependencyId: string; lagDays: number };
}

export interface DependencyUnlinked {
  readonly type: 'DependencyUnlinked';
  readonly data: { projectId: string; dependencyId: string; predecessorId: string; successorId: string };
}

export interface TaskStarted {
  readonly type: 'TaskStarted';
  readonly data: { projectId: string; taskId: string; actualStart: string };
}

export interface TaskProgressRecorded {
  readonly type: 'TaskProgressRecorded';
  readonly data: { projectId: string; taskId: string; percentComplete: number; remainingDurationDays: number; asOf: string };
}

export interface TaskFinished {
  readonly type: 'TaskFinished';
  readonly data: { projectId: string; taskId: string; actualFinish: string };
}

/** The project's status date, recorded on the schedule so that the schedule reforecasts from it. */
export interface ScheduleStatusDateSet {
  readonly type: 'ScheduleStatusDateSet';
  readonly data: { projectId: string; statusDate: string };
}

export interface TaskActualCostRecorded {
  readonly type: 'TaskActualCostRecorded';
  readonly data: { projectId: string; taskId: string; actualCost: number; asOf: string };
}

export interface BaselineTask {
  taskId: string;
  /** Kept so totals can sum work packages only (summaries already hold their children's roll-up). */
  kind: TaskKind;
  start: string;
  finish: string;
  durationDays: number;
  workHours: number;
  cost: number;
}

export interface BaselineSaved {
  readonly type: 'BaselineSaved';
  readonly data: { projectId: string; baselineNumber: number; savedAt: string; tasks: readonly BaselineTask[] };
}

export interface BaselineCleared {
  readonly type: 'BaselineCleared';
  readonly data: { projectId: string; baselineNumber: number };
}

export interface LevelledTask {
  taskId: string;
  fromStart: string;
  toStart: string;
  /** What levelling replaced: un-levelling restores it (ADR 0107). */
  previousConstraint: TaskConstraint;
}

/** A project manager accepted a levelling proposal; its moves are the TaskConstrained events appended with it. */
export interface LevellingProposalAccepted {
  readonly type: 'LevellingProposalAccepted';
  readonly data: { projectId: string; proposalId: string; moves: readonly LevelledTask[]; acceptedBy: string; acceptedAt: string };
}

export interface LevellingProposalRejected {
  readonly type: 'LevellingProposalRejected';
  readonly data: { projectId: string; proposalId: string; reason: string | null; rejectedBy: string; rejectedAt: string };
}

export type ScheduleEvent =
  | ScheduleOpened
  | ProjectStartRescheduled
  | WorkingCalendarDefined
  | HolidayDeclared
  | CalendarExceptionRecorded
  | TaskAddedToWbs
  | TaskRenamed
  | TaskMovedInWbs
  | TaskRemovedFromWbs
  | TaskDurationEstimated
  | TaskThreePointEstimated
  | TaskWorkPlanned
  | TaskCostBudgeted
  | TaskConstrained
  | DependencyLinked
  | DependencyLagAdjusted
  | DependencyUnlinked
  | TaskStarted
  | TaskProgressRecorded
  | TaskFinished
  | TaskActualCostRecorded
  | ScheduleStatusDateSet
  | BaselineSaved
  | BaselineCleared
  | LevellingProposalAccepted
  | LevellingProposalRejected;

export type ScheduleEventType = ScheduleEvent['type'];
