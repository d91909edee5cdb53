import type { ChangeRequestRaised } from './change-request.events';
import type {
  AddTaskToWbs,
  AdjustDependencyLag,
  BudgetTaskCost,
  ConstrainTask,
  EstimateTaskDuration,
  EstimateTaskThreePoint,
  LinkDependency,
  MoveTaskInWbs,
  PlanTaskWork,
  RemoveTaskFromWbs,
  RenameTask,
  UnlinkDependency,
} from '../schedule/schedule.commands';

/**
 * The schedule commands a change request may propose: scope (WBS), schedule (durations, logic,
 * constraints) and cost (budgets). Progress and baselines are not changes to the plan, so they are not here.
 */
export type ProposableScheduleCommand =
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
  | UnlinkDependency;

/**
 * A schedule command without project and metadata, as the change request's contract publishes it: those are filled
 * in when the approved change is applied.
 */
export type ProposedScheduleChange = ChangeRequestRaised['data']['proposedChanges'][number];

export const PROPOSABLE_CHANGE_TYPES: ReadonlySet<string> = new Set<ProposedScheduleChange['type']>([
  'AddTaskToWbs',
  'RenameTask',
  'MoveTaskInWbs',
  'RemoveTaskFromWbs',
  'EstimateTaskDuration',
  'EstimateTaskThreePoint',
  'PlanTaskWork',
  'BudgetTaskCost',
  'ConstrainTask',
  'LinkDependency',
  'AdjustDependencyLag',
  'UnlinkDependency',
]);
