import { snapshotPolicy, streamIdOf } from '@pm/shared/ddd';
import type { Aggregate } from '@pm/shared/ddd';
import type { ScheduleCommand } from './schedule.commands';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleImported, ScheduleStreamEvent } from './schedule.events';
import { recalculateInSteps } from './schedule-calculation';
import type { ScheduleState } from './schedule.state';

/**
 * The schedule of one project: WBS, logic, calendar, progress, baselines, and the critical-path results. Every plan
 * of changes is concluded by one recalculation whose results go into the same append (ADR 0100), so a reader never
 * sees a change without its consequences and a plan of 2,000 changes runs the engine once.
 */
export const scheduleAggregate: Aggregate<ScheduleCommand, ScheduleStreamEvent, ScheduleState> = {
  name: 'planning.schedule',
  context: 'planning',
  decider: scheduleDecider,
  // In steps: on a large plan the write path lets other requests run between them.
  conclude: (state, decided) => recalculateInSteps(state, decided),
  // Version 1: Maps and Sets of ADR 0008; 2: lastEarnedValue (ADR 0303); 3: reportedCosts (ADR 0106); 4: published entries as numbers (ADR 0108). Bump it whenever the state's shape changes.
  // At least as many events between snapshots as the plan has tasks and links (SnapshotPolicy.sizeOf).
  snapshot: snapshotPolicy<ScheduleState>('planning.schedule', 4, 100, (state) => (state.status === 'open' ? state.tasks.size + state.dependencies.size : 0)),
  // An import is staged in chunks and committed by one ScheduleImported (ADR 0009).
  staged: {
    commitType: 'ScheduleImported',
    chunkType: 'ScheduleImportStaged',
    stagingStreamOf: (data) => (data as ScheduleImported['data']).stagingStreamId,
  },
};

/** Where an import's chunks are staged until ScheduleImported commits them. */
export const scheduleImportStreamId = (tenantId: string, importId: string): string => streamIdOf('schedule-import', tenantId, importId);
