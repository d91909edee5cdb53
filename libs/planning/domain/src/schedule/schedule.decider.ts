import type { Decider } from '@pm/shared/ddd';
import { unknownCommand } from '@pm/shared/ddd';
import { clearBaseline, saveBaseline } from './baseline.decisions';
import { acceptLevellingProposal, rejectLevellingProposal } from './levelling.decisions';
import { adjustDependencyLag, linkDependency, unlinkDependency } from './dependency.decisions';
import { finishTask, recordReportedActualCosts, recordTaskActualCost, recordTaskProgress, setScheduleStatusDate, startTask } from './progress.decisions';
import type { ScheduleCommand } from './schedule.commands';
import type { ScheduleEvent, ScheduleStreamEvent } from './schedule.events';
import { evolveSchedule } from './schedule.evolve';
import { declareHoliday, defineWorkingCalendar, followTenantCalendar, openSchedule, recordCalendarException, rescheduleProjectStart } from './schedule-setup.decisions';
import type { ScheduleState } from './schedule.state';
import { initialScheduleState } from './schedule.state';
import { budgetTaskCost, constrainTask, estimateTaskDuration, estimateTaskThreePoint, planTaskWork } from './task-estimates.decisions';
import { addTaskToWbs, moveTaskInWbs, removeTaskFromWbs, renameTask } from './wbs.decisions';

export function decideSchedule(command: ScheduleCommand, state: ScheduleState): ScheduleEvent[] {
  switch (command.type) {
    case 'OpenSchedule':
      return openSchedule(command, state);
    case 'RescheduleProjectStart':
      return rescheduleProjectStart(command, state);
    case 'DefineWorkingCalendar':
      return defineWorkingCalendar(command, state);
    case 'FollowTenantCalendar':
      return followTenantCalendar(command, state);
    case 'DeclareHoliday':
      return declareHoliday(command, state);
    case 'RecordCalendarException':
      return recordCalendarException(command, state);
    case 'AddTaskToWbs':
      return addTaskToWbs(command, state);
    case 'RenameTask':
      return renameTask(command, state);
    case 'MoveTaskInWbs':
      return moveTaskInWbs(command, state);
    case 'RemoveTaskFromWbs':
      return removeTaskFromWbs(command, state);
    case 'EstimateTaskDuration':
      return estimateTaskDuration(command, state);
    case 'EstimateTaskThreePoint':
      return estimateTaskThreePoint(command, state);
    case 'PlanTaskWork':
      return planTaskWork(command, state);
    case 'BudgetTaskCost':
      return budgetTaskCost(command, state);
    case 'ConstrainTask':
      return constrainTask(command, state);
    case 'LinkDependency':
      return linkDependency(command, state);
    case 'AdjustDependencyLag':
      return adjustDependencyLag(command, state);
    case 'UnlinkDependency':
      return unlinkDependency(command, state);
    case 'StartTask':
      return startTask(command, state);
    case 'RecordTaskProgress':
      return recordTaskProgress(command, state);
    case 'FinishTask':
      return finishTask(command, state);
    case 'RecordTaskActualCost':
      return recordTaskActualCost(command, state);
    case 'RecordReportedActualCosts':
      return recordReportedActualCosts(command, state);
    case 'SetScheduleStatusDate':
      return setScheduleStatusDate(command, state);
    case 'SaveBaseline':
      return saveBaseline(command, state);
    case 'ClearBaseline':
      return clearBaseline(command, state);
    case 'AcceptLevellingProposal':
      return acceptLevellingProposal(command, state);
    case 'RejectLevellingProposal':
      return rejectLevellingProposal(command, state);
    default:
      return unknownCommand(command);
  }
}

export const scheduleDecider: Decider<ScheduleCommand, ScheduleStreamEvent, ScheduleState> = {
  decide: decideSchedule,
  evolve: evolveSchedule,
  initialState: initialScheduleState,
};
