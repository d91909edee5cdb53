import { notFound } from '@pm/shared/ddd';
import type { CommandMetadata } from '../shared/command-metadata';
import { toProjectId } from '../project/project.ids';
import { decideSchedule } from '../schedule/schedule.decider';
import { evolveSchedule } from '../schedule/schedule.evolve';
import { runCpm } from '../schedule/schedule-calculation';
import { dataDateOf } from '../schedule/schedule.state';
import type { ScheduleCommand } from '../schedule/schedule.commands';
import type { ScheduleState } from '../schedule/schedule.state';
import { workingDayDifference } from '../schedule/project-calendar';
import { rolledUpCost } from '../schedule/wbs';
import type { ChangeImpact } from './change-request.events';
import type { ProposedScheduleChange } from './proposed-change';

export interface ChangeImpactReport extends ChangeImpact {
  readonly currentFinish: string;
  readonly proposedFinish: string;
  readonly currentCost: number;
  readonly proposedCost: number;
}

/** The approved changes as the schedule commands they stand for. */
export function scheduleCommandsForChanges(projectId: string, changes: readonly ProposedScheduleChange[], metadata: CommandMetadata): ScheduleCommand[] {
  const pid = toProjectId(projectId);
  // ProposedScheduleChange pairs each type with its command's data (the contract's discriminated union); TypeScript
  // cannot follow that pairing through the spread, so the command is asserted once here.
  return changes.map((change) => ({ type: change.type, data: { ...change.data, projectId: pid }, metadata }) as ScheduleCommand);
}

/**
 * The impact is computed, never typed in: the critical path with and without the change gives the finish movement in
 * working days, the rolled-up budgets the cost delta. The proposed changes are decided in order, all or nothing (the
 * first refusal throws). The schedule fold updates in place, so `schedule` is consumed: pass a freshly loaded one.
 */
export function changeImpact(
  schedule: ScheduleState,
  changes: readonly ProposedScheduleChange[],
  metadata: CommandMetadata,
  notes: string | null,
): ChangeImpactReport {
  if (schedule.status !== 'open') throw notFound('SCHEDULE_NOT_OPEN', 'The project has no schedule yet');
  const dataDate = dataDateOf(schedule);
  const currentFinish = runCpm(schedule, dataDate).projectFinish;
  const currentCost = rolledUpCost(schedule, null);
  let proposed: ScheduleState = schedule;
  for (const command of scheduleCommandsForChanges(schedule.projectId, changes, metadata)) {
    proposed = decideSchedule(command, proposed).reduce(evolveSchedule, proposed);
  }
  if (proposed.status !== 'open') throw notFound('SCHEDULE_NOT_OPEN', 'The project has no schedule yet');
  const proposedFinish = runCpm(proposed, dataDate).projectFinish;
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
