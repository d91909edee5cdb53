import type { CommandMetadata } from '../shared/command-metadata';
import { decideSchedule } from '../schedule/schedule.decider';
import { evolveSchedule } from '../schedule/schedule.evolve';
import type { ScheduleCommand } from '../schedule/schedule.commands';
import type { ScheduleEvent } from '../schedule/schedule.events';
import type { ScheduleState } from '../schedule/schedule.state';
import type { ChangeRequestApplied } from './change-request.events';
import { scheduleCommandsForChanges } from './change-impact';

/** The approved changes as the schedule commands they stand for. */
export function scheduleCommandsForAppliedChange(applied: ChangeRequestApplied, metadata: CommandMetadata): ScheduleCommand[] {
  return scheduleCommandsForChanges(applied.data.projectId, applied.data.appliedChanges, metadata);
}

/**
 * Runs the approved changes through the schedule decider in order, each against the state the previous ones left,
 * and returns all resulting schedule events; the first refusal throws. The fold updates `schedule` in place: pass a
 * state this call may consume.
 */
export function scheduleEventsForAppliedChange(schedule: ScheduleState, applied: ChangeRequestApplied, metadata: CommandMetadata): ScheduleEvent[] {
  const events: ScheduleEvent[] = [];
  let state = schedule;
  for (const command of scheduleCommandsForAppliedChange(applied, metadata)) {
    const decided = decideSchedule(command, state);
    state = decided.reduce(evolveSchedule, state);
    events.push(...decided);
  }
  return events;
}
