import { rolledUpCost, workingDayDifference } from '@pm/planning/domain';
import type { ChangeImpact, OpenedSchedule, ProposedScheduleChange, ScheduleCommand, ScheduleState } from '@pm/planning/domain';
import { decideSchedule, evolveSchedule, notFound, toProjectId } from '@pm/planning/domain';
import { runCpm } from '../schedule/calculation/schedule-recalculation';

export interface ChangeImpactReport extends ChangeImpact {
  readonly currentFinish: string;
  readonly proposedFinish: string;
  readonly currentCost: number;
  readonly proposedCost: number;
}

/** The proposed changes as the schedule would decide them now, all or nothing (the first refusal throws). */
export function applyProposedChanges(schedule: ScheduleState, changes: readonly ProposedScheduleChange[], metadata: ScheduleCommand['metadata']): ScheduleState {
  let state = schedule;
  for (const change of changes) {
    const command = { type: change.type, data: { ...change.data, projectId: toProjectId(state.status === 'open' ? state.projectId : '') }, metadata } as ScheduleCommand;
    state = decideSchedule(command, state).reduce(evolveSchedule, state);
  }
  return state;
}

/**
 * The impact is computed, never typed in: the critical path with and without the change gives the
 * finish movement in working days, the rolled-up budgets the cost delta.
 */
export function changeImpact(
  schedule: ScheduleState,
  dataDate: string | null,
  changes: readonly ProposedScheduleChange[],
  metadata: ScheduleCommand['metadata'],
  notes: string | null,
): ChangeImpactReport {
  if (schedule.status !== 'open') throw notFound('SCHEDULE_NOT_OPEN', 'The project has no schedule yet');
  const proposed = applyProposedChanges(schedule, changes, metadata) as OpenedSchedule;
  const currentFinish = runCpm(schedule, dataDate).projectFinish;
  const proposedFinish = runCpm(proposed, dataDate).projectFinish;
  const currentCost = rolledUpCost(schedule, null);
  const proposedCost = rolledUpCost(proposed, null);
  return {
    scheduleImpactDays: workingDayDifference(schedule.calendar, currentFinish, proposedFinish),
    costImpact: proposedCost - currentCost,
    notes,
    currentFinish,
    proposedFinish,
    currentCost,
    proposedCost,
  };
}
