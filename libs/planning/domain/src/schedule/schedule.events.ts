import type { ContractEvent } from '@pm/contracts';

/**
 * Events of the schedule aggregate (stream `schedule:<tenant>:<projectId>`). Each is its published contract's latest
 * version (`pm.planning.<Type>` in libs/contracts): the domain never declares an event shape of its own (ADR 0008).
 */
type PlanningEvent<TName extends string> = ContractEvent<'planning', TName>;

export type ScheduleOpened = PlanningEvent<'ScheduleOpened'>;
export type ProjectStartRescheduled = PlanningEvent<'ProjectStartRescheduled'>;
export type WorkingCalendarDefined = PlanningEvent<'WorkingCalendarDefined'>;
export type HolidayDeclared = PlanningEvent<'HolidayDeclared'>;
export type CalendarExceptionRecorded = PlanningEvent<'CalendarExceptionRecorded'>;
export type TaskAddedToWbs = PlanningEvent<'TaskAddedToWbs'>;
export type TaskRenamed = PlanningEvent<'TaskRenamed'>;
export type TaskMovedInWbs = PlanningEvent<'TaskMovedInWbs'>;
export type TaskRemovedFromWbs = PlanningEvent<'TaskRemovedFromWbs'>;
export type TaskDurationEstimated = PlanningEvent<'TaskDurationEstimated'>;
export type TaskThreePointEstimated = PlanningEvent<'TaskThreePointEstimated'>;
export type TaskWorkPlanned = PlanningEvent<'TaskWorkPlanned'>;
export type TaskCostBudgeted = PlanningEvent<'TaskCostBudgeted'>;
export type TaskConstrained = PlanningEvent<'TaskConstrained'>;
export type DependencyLinked = PlanningEvent<'DependencyLinked'>;
export type DependencyLagAdjusted = PlanningEvent<'DependencyLagAdjusted'>;
export type DependencyUnlinked = PlanningEvent<'DependencyUnlinked'>;
export type TaskStarted = PlanningEvent<'TaskStarted'>;
export type TaskProgressRecorded = PlanningEvent<'TaskProgressRecorded'>;
export type TaskFinished = PlanningEvent<'TaskFinished'>;
export type TaskActualCostRecorded = PlanningEvent<'TaskActualCostRecorded'>;
/** A cost the resource service reported, split per task and day (ADR 0106): earned value counts it. */
export type ActualCostsReported = PlanningEvent<'ActualCostsReported'>;
export type ScheduleStatusDateSet = PlanningEvent<'ScheduleStatusDateSet'>;
export type BaselineSaved = PlanningEvent<'BaselineSaved'>;
export type BaselineExtended = PlanningEvent<'BaselineExtended'>;
export type BaselineCleared = PlanningEvent<'BaselineCleared'>;
export type LevellingProposalAccepted = PlanningEvent<'LevellingProposalAccepted'>;
export type LevellingProposalRejected = PlanningEvent<'LevellingProposalRejected'>;
/** A staged change (an import) committed: the loader folds its chunks' events before this one (ADR 0009). */
export type ScheduleImported = PlanningEvent<'ScheduleImported'>;
export type TaskScheduleChanged = PlanningEvent<'TaskScheduleChanged'>;
export type TaskUnscheduled = PlanningEvent<'TaskUnscheduled'>;
export type ProjectScheduleCalculated = PlanningEvent<'ProjectScheduleCalculated'>;
export type ProjectEarnedValueCalculated = PlanningEvent<'ProjectEarnedValueCalculated'>;

export type TaskKind = TaskAddedToWbs['data']['kind'];
export type DependencyType = DependencyLinked['data']['dependencyType'];
/** As soon / as late as possible carry no date; the others pin or bound a date. */
export type TaskConstraint = TaskConstrained['data']['constraint'];
export type ConstraintType = TaskConstraint['type'];
/** A task as a baseline saved it; `kind` lets totals sum work packages only (summaries hold their children's roll-up). */
export type BaselineTask = BaselineSaved['data']['tasks'][number];
/** A levelled task and what levelling replaced: un-levelling restores it (ADR 0107). */
export type LevelledTask = LevellingProposalAccepted['data']['moves'][number];

/** What a change to the plan records. */
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
  | ActualCostsReported
  | ScheduleStatusDateSet
  | BaselineSaved
  | BaselineExtended
  | BaselineCleared
  | LevellingProposalAccepted
  | LevellingProposalRejected
  | ScheduleImported;

/** What the critical-path calculation concludes from a change, appended with it (ADR 0100). */
export type CalculationEvent = TaskScheduleChanged | TaskUnscheduled | ProjectScheduleCalculated | ProjectEarnedValueCalculated;

/** Everything on a schedule stream. */
export type ScheduleStreamEvent = ScheduleEvent | CalculationEvent;

export type ScheduleEventType = ScheduleEvent['type'];
