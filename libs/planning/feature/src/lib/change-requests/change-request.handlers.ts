import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { changeRequestDecider, changeRequestStreamId, notFound, scheduleCommandsForAppliedChange, toChangeRequestId } from '@pm/planning/domain';
import type { ChangeRequestCommand, ChangeRequestEvent, ChangeRequestState, ScheduleCommand } from '@pm/planning/domain';
import { PgEventStore, handleCommand, loadState } from '@pm/platform/event-store';
import { metadataFor } from '../projects/request-context';
import type { RequestContext } from '../projects/request-context';
import { ChangeScheduleCommand, loadPlannedSchedule, schemaVersionOf } from '../schedule/change-schedule.handler';
import type { ScheduleChangeResult } from '../schedule/change-schedule.handler';
import { saveBaselinePlan } from '../schedule/baselines/save-baseline.plan';
import { applyProposedChanges } from './change-impact';
import { CHANGE_APPROVAL_CONFIG, limitsFor } from './change-approval.config';
import type { ChangeApprovalConfig } from './change-approval.config';

export type ChangeRequestCommandBuilder = (metadata: ChangeRequestCommand['metadata'], state: ChangeRequestState) => ChangeRequestCommand;

export class DecideChangeRequestCommand {
  constructor(
    readonly projectId: string,
    readonly changeRequestId: string,
    readonly ctx: RequestContext,
    readonly build: ChangeRequestCommandBuilder,
  ) {}
}

export interface ChangeRequestResult {
  readonly changeRequestId: string;
  readonly version: number;
  readonly status: ChangeRequestState['status'];
  readonly changes: readonly ChangeRequestEvent[];
  /** For an applied change: what it did to the schedule (changes and the recalculation). */
  readonly schedule?: ScheduleChangeResult;
}

/** A change request of another project (or tenant) is not found, whatever its id. */
export async function loadChangeRequest(store: PgEventStore, projectId: string, changeRequestId: string, tenantId: string, mustExist = true) {
  const loaded = await loadState(store, changeRequestStreamId(changeRequestId), changeRequestDecider, tenantId);
  const foreign = loaded.state.status !== 'not-raised' && loaded.state.request.projectId !== projectId;
  if (foreign || (mustExist && loaded.state.status === 'not-raised')) {
    throw notFound('CHANGE_REQUEST_NOT_FOUND', `Change request ${changeRequestId} does not exist`, { changeRequestId });
  }
  return loaded;
}

@CommandHandler(DecideChangeRequestCommand)
export class DecideChangeRequestHandler implements ICommandHandler<DecideChangeRequestCommand, ChangeRequestResult> {
  constructor(
    private readonly store: PgEventStore,
    private readonly commands: CommandBus,
    @Inject(CHANGE_APPROVAL_CONFIG) private readonly approval: ChangeApprovalConfig,
  ) {}

  async execute({ projectId, changeRequestId, ctx, build }: DecideChangeRequestCommand): Promise<ChangeRequestResult> {
    const tenantId = ctx.principal.tenantId;
    const metadata = { now: ctx.now, actor: ctx.principal.actor, tenantId };
    const loaded = await loadChangeRequest(this.store, projectId, changeRequestId, tenantId, false);
    const command = build(metadata, loaded.state);
    const limited = command.type === 'ApproveChangeRequest' || command.type === 'RejectChangeRequest'
      ? ({ ...command, data: { ...command.data, limits: limitsFor(this.approval, tenantId) } } as ChangeRequestCommand)
      : command;
    // Applying runs the approved changes against the schedule first: if the schedule refuses one, nothing is recorded.
    const applied = limited.type === 'ApplyChangeRequest' ? changeRequestDecider.decide(limited, loaded.state) : [];
    const appliedEvent = applied.find((e) => e.type === 'ChangeRequestApplied');
    let schedule: ScheduleChangeResult | undefined;
    if (appliedEvent) {
      const planned = await loadPlannedSchedule(this.store, projectId, tenantId);
      applyProposedChanges(planned.state.schedule, appliedEvent.data.appliedChanges, metadata);
      const rebaseline = applied.find((e) => e.type === 'NewBaselineRequested');
      schedule = await this.commands.execute<ChangeScheduleCommand, ScheduleChangeResult>(
        new ChangeScheduleCommand(projectId, ctx, (_state, meta): ScheduleCommand[] => scheduleCommandsForAppliedChange(appliedEvent, meta)),
      );
      if (rebaseline) {
        await this.commands.execute(new ChangeScheduleCommand(projectId, ctx, saveBaselinePlan(projectId, rebaseline.data.baselineNumber, true)));
      }
    }
    const result = await handleCommand<ChangeRequestCommand, ChangeRequestEvent, ChangeRequestState>(this.store, {
      streamId: changeRequestStreamId(toChangeRequestId(changeRequestId)),
      decider: changeRequestDecider,
      command: limited,
      tenantId,
      metadata: () => metadataFor(ctx),
      schemaVersionOf,
      retriesOnConflict: 0,
    });
    return { changeRequestId, version: result.version, status: result.state.status, changes: result.events, ...(schedule ? { schedule } : {}) };
  }
}
