import type { ProjectId } from '../project/project.ids';
import type { CommandMetadata } from '../shared/command-metadata';
import type { ConstraintType, DependencyType, TaskKind } from './schedule.events';
import type { DependencyId, TaskId } from './schedule.ids';
import type { ProjectCalendar } from './project-calendar';

interface ScheduleCommandOf<Type extends string, Data> {
  readonly type: Type;
  readonly data: { projectId: ProjectId } & Data;
  readonly metadata: CommandMetadata;
}

/** Start and finish of a task as the scheduling engine computed them (inclusive working dates). */
export interface TaskDates {
  readonly start: string;
  readonly finish: string;
}

export type OpenSchedule = ScheduleCommandOf<'OpenSchedule', { projectStart: string; calendar?: ProjectCalendar }>;
export type RescheduleProjectStart = ScheduleCommandOf<'RescheduleProjectStart', { projectStart: string }>;
export type DefineWorkingCalendar = ScheduleCommandOf<'DefineWorkingCalendar', { calendar: ProjectCalendar }>;
/** The tenant default changed: a schedule that follows it takes the new calendar, one with its own keeps it. */
export type FollowTenantCalendar = ScheduleCommandOf<'FollowTenantCalendar', { calendar: ProjectCalendar }>;
export type DeclareHoliday = ScheduleCommandOf<'DeclareHoliday', { date: string; name: string }>;
export type RecordCalendarException = ScheduleCommandOf<
  'RecordCalendarException',
  { date: string; working: boolean; hours?: number | null; reason?: string | null }
>;

export type AddTaskToWbs = ScheduleCommandOf<
  'AddTaskToWbs',
  {
    taskId: TaskId;
    name: string;
    kind: TaskKind;
    parentId?: TaskId | null;
    /** Index among the parent's children; default: last. */
    position?: number;
    /** Default 1 working day for a task (as Microsoft Project does), 0 for milestones and summaries. */
    durationDays?: number;
    workHours?: number | null;
    costBudget?: number | null;
  }
>;
export type RenameTask = ScheduleCommandOf<'RenameTask', { taskId: TaskId; name: string }>;
export type MoveTaskInWbs = ScheduleCommandOf<'MoveTaskInWbs', { taskId: TaskId; parentId: TaskId | null; position?: number }>;
export type RemoveTaskFromWbs = ScheduleCommandOf<'RemoveTaskFromWbs', { taskId: TaskId }>;

export type EstimateTaskDuration = ScheduleCommandOf<'EstimateTaskDuration', { taskId: TaskId; durationDays: number }>;
export type EstimateTaskThreePoint = ScheduleCommandOf<
  'EstimateTaskThreePoint',
  { taskId: TaskId; optimisticDays: number; mostLikelyDays: number; pessimisticDays: number }
>;
export type PlanTaskWork = ScheduleCommandOf<'PlanTaskWork', { taskId: TaskId; workHours: number }>;
export type BudgetTaskCost = ScheduleCommandOf<'BudgetTaskCost', { taskId: TaskId; costBudget: number }>;
export type ConstrainTask = ScheduleCommandOf<'ConstrainTask', { taskId: TaskId; constraint: { type: ConstraintType; date?: string | null } }>;

export type LinkDependency = ScheduleCommandOf<
  'LinkDependency',
  { dependencyId: DependencyId; predecessorId: TaskId; successorId: TaskId; dependencyType?: DependencyType; lagDays?: number }
>;
export type AdjustDependencyLag = ScheduleCommandOf<'AdjustDependencyLag', { dependencyId: DependencyId; lagDays: number }>;
export type UnlinkDependency = ScheduleCommandOf<'UnlinkDependency', { dependencyId: DependencyId }>;

export type StartTask = ScheduleCommandOf<'StartTask', { taskId: TaskId; actualStart: string }>;
export type RecordTaskProgress = ScheduleCommandOf<
  'RecordTaskProgress',
  { taskId: TaskId; percentComplete: number; remainingDurationDays?: number | null; asOf: string }
>;
export type FinishTask = ScheduleCommandOf<'FinishTask', { taskId: TaskId; actualFinish: string; actualStart?: string | null }>;
export type RecordTaskActualCost = ScheduleCommandOf<'RecordTaskActualCost', { taskId: TaskId; actualCost: number; asOf: string }>;
/** A cost the resource service reported, in the project's currency, split per task (or none) and day. */
export type RecordReportedActualCosts = ScheduleCommandOf<
  'RecordReportedActualCosts',
  { costId: string; currency: string; minorUnitDigits: number; entries: ReadonlyArray<{ taskId: TaskId | null; date: string; amountMinor: number }> }
>;

export type SetScheduleStatusDate = ScheduleCommandOf<'SetScheduleStatusDate', { statusDate: string }>;

export type SaveBaseline = ScheduleCommandOf<
  'SaveBaseline',
  {
    baselineNumber: number;
    /**
     * Dates of every task in the WBS. Absent: the schedule computes them now (the usual case); given: dates that
     * came from elsewhere (a baseline imported from Microsoft Project).
     */
    taskDates?: ReadonlyMap<string, TaskDates>;
    /** Re-baselining is a deliberate act: saving over an existing baseline must say so. */
    overwrite?: boolean;
  }
>;
export type ClearBaseline = ScheduleCommandOf<'ClearBaseline', { baselineNumber: number }>;

/** One task move of a resource-levelling proposal (ADR 0107), as the resource service proposed it. */
export interface LevellingMove {
  readonly taskId: string;
  readonly fromStart: string;
  readonly toStart: string;
}
export type AcceptLevellingProposal = ScheduleCommandOf<
  'AcceptLevellingProposal',
  {
    proposalId: string;
    /** The moves of this project only: a portfolio proposal is accepted project by project. */
    moves: readonly LevellingMove[];

  }
>;
export type RejectLevellingProposal = ScheduleCommandOf<'RejectLevellingProposal', { proposalId: string; reason: string | null }>;

export type ScheduleCommand =
  | OpenSchedule
  | RescheduleProjectStart
  | DefineWorkingCalendar
  | FollowTenantCalendar
  | DeclareHoliday
  | RecordCalendarException
  | AddTaskToWbs
  | RenameTask
  | MoveTaskInWbs
  | RemoveTaskFromWbs
  | EstimateTaskDuration
  | EstimateTaskThreePoint
  | PlanTaskWork
  | BudgetTaskCost
  | ConstrainTask
  | LinkDependency
  | AdjustDependencyLag
  | UnlinkDependency
  | StartTask
  | RecordTaskProgress
  | FinishTask
  | RecordTaskActualCost
  | RecordReportedActualCosts
  | SetScheduleStatusDate
  | SaveBaseline
  | ClearBaseline
  | AcceptLevellingProposal
  | RejectLevellingProposal;

export type ScheduleCommandType = ScheduleCommand['type'];

