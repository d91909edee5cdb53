import type { CommandMetadata } from '../shared/command-metadata';
import { toProjectId } from '../project/project.ids';
import type { ScheduleCommand } from '../schedule/schedule.commands';
import { scheduleDecider } from '../schedule/schedule.decider';
import type { ScheduleEvent } from '../schedule/schedule.events';
import type { ScheduleState } from '../schedule/schedule.state';
import type { ChangeRequestApplied } from './change-request.events';

/** The approved changes as the schedule commands they stand for. */
export function scheduleCommandsForAppliedChange(applied: ChangeRequestApplied, metadata: CommandMetadata): ScheduleCommand[] {
  const projectId = toProjectId(applied.data.projectId);
  // ProposedScheduleChange pairs each type with its data; TypeScript cannot follow that pairing through a spread.
  return applied.data.appliedChanges.map((change) => ({ type: change.type, data: { ...change.data, projectId }, metadata }) as ScheduleCommand);
}

/**
 * Runs the approved changes through the schedule decider in order, each against the state the previous
 * ones left, and returns all resulting schedule events. All or nothing: the first change the schedule
 * rejects throws its DomainError and nothing is returned, so a half-applied change request cannot exist.
 */
export function scheduleEventsForAppliedChange(schedule: ScheduleState, applied: ChangeRequestApplied, metadata: CommandMetadata): ScheduleEvent[] {
  const events: ScheduleEvent[] = [];
  let state = schedule;
  for (const command of scheduleCommandsForAppliedChange(applied, metadata)) {
    const decided = scheduleDecider.decide(command, state);
    state = decided.reduce(scheduleDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}
