import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { contractRegistry } from '@pm/contracts';
import { decideSchedule, evolveSchedule, scheduleStreamId } from '@pm/planning/domain';
import type { OpenedSchedule, ScheduleCommand, ScheduleEvent, ScheduleState } from '@pm/planning/domain';
import { ExpectedVersionConflict, PgEventStore } from '@pm/platform/event-store';
import type { NewEvent } from '@pm/platform/event-store';
import { metadataFor } from '../projects/request-context';
import type { RequestContext } from '../projects/request-context';
import { evolvePlannedSchedule, initialPlannedScheduleState } from '@pm/planning/data-access';
import type { CalculationEvent, PlannedScheduleState, ScheduleStreamEvent } from '@pm/planning/data-access';
import { recalculate } from './calculation/schedule-recalculation';

/** What a request asks of the schedule, decided against the current state (baselines need the current dates). */
export type SchedulePlan = (state: PlannedScheduleState, metadata: ScheduleCommand['metadata']) => ScheduleCommand[];

export class ChangeScheduleCommand {
  constructor(
    readonly projectId: string,
    readonly ctx: RequestContext,
    readonly plan: SchedulePlan,
  ) {}
}

export interface ScheduleChangeResult {
  readonly projectId: string;
  readonly version: number;
  readonly changes: readonly ScheduleEvent[];
  readonly calculation: readonly CalculationEvent[];
}

const RETRIES_ON_CONFLICT = 3;

export const schemaVersionOf = (type: string): number => {
  const publicType = `pm.planning.${type}`;
  return contractRegistry.find(publicType, 1) ? contractRegistry.latest(publicType).version : 1;
};

export async function loadPlannedSchedule(store: PgEventStore, projectId: string, tenantId: string): Promise<{ state: PlannedScheduleState; version: number }> {
  const stored = await store.readStream(scheduleStreamId(projectId), { tenantId });
  let state = initialPlannedScheduleState();
  for (const e of stored) state = evolvePlannedSchedule(state, { type: e.type, data: e.data } as ScheduleStreamEvent);
  return { state, version: stored.at(-1)?.streamVersion ?? 0 };
}

/**
 * Every schedule change and the critical-path results it moved are appended together, in one append
 * with the version read (ADR 0100): a reader never sees a change without its consequences.
 */
@CommandHandler(ChangeScheduleCommand)
export class ChangeScheduleHandler implements ICommandHandler<ChangeScheduleCommand, ScheduleChangeResult> {
  constructor(private readonly store: PgEventStore) {}

  async execute({ projectId, ctx, plan }: ChangeScheduleCommand): Promise<ScheduleChangeResult> {
    const tenantId = ctx.principal.tenantId;
    const metadata = { now: ctx.now, actor: ctx.principal.actor, tenantId };
    for (let attempt = 0; ; attempt++) {
      const loaded = await loadPlannedSchedule(this.store, projectId, tenantId);
      let schedule: ScheduleState = loaded.state.schedule;
      const changes: ScheduleEvent[] = [];
      for (const command of plan(loaded.state, metadata)) {
        const decided = decideSchedule(command, schedule);
        schedule = decided.reduce(evolveSchedule, schedule);
        changes.push(...decided);
      }
      if (changes.length === 0 || schedule.status !== 'open') return { projectId, version: loaded.version, changes: [], calculation: [] };
      const planned = changes.reduce<PlannedScheduleState>(evolvePlannedSchedule, loaded.state);
      const calculation = recalculate(schedule as OpenedSchedule, planned);
      const toAppend: NewEvent[] = [...changes, ...calculation].map((e) => ({
        type: e.type,
        data: e.data,
        schemaVersion: schemaVersionOf(e.type),
        metadata: metadataFor(ctx),
      }));
      try {
        const { nextExpectedVersion } = await this.store.append(
          scheduleStreamId(projectId),
          toAppend,
          loaded.version === 0 ? 'no-stream' : loaded.version,
        );
        return { projectId, version: nextExpectedVersion, changes, calculation };
      } catch (error) {
        if (error instanceof ExpectedVersionConflict && attempt < RETRIES_ON_CONFLICT) continue;
        throw error;
      }
    }
  }
}
