import { toProjectId } from '@pm/planning/domain';
import type { ScheduleCommand } from '@pm/planning/domain';
import { dataDateOf } from '@pm/planning/data-access';
import { currentTaskDates } from '../calculation/current-dates';
import type { SchedulePlan } from '../change-schedule.handler';

/** A baseline captures the dates the engine computes now; the caller never supplies them, so they cannot disagree. */
export const saveBaselinePlan =
  (projectId: string, baselineNumber: number, overwrite: boolean): SchedulePlan =>
  (planned, metadata) => {
    const state = planned.schedule;
    const taskDates = state.status === 'open' ? currentTaskDates(state, dataDateOf(planned)) : {};
    const command: ScheduleCommand = { type: 'SaveBaseline', data: { projectId: toProjectId(projectId), baselineNumber, taskDates, overwrite }, metadata };
    return [command];
  };
