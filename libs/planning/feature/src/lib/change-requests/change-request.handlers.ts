import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import {
  changeRequestAggregate,
  changeRequestStreamId,
  notFound,
  scheduleAggregate,
  scheduleCommandsForAppliedChange,
  scheduleStreamId,
  toProjectId,
} from '@pm/planning/domain';
import type { ChangeRequestCommand, ChangeRequestEvent, ChangeRequestState } from '@pm/planning/domain';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { commandMetadata } from '../schedule/schedule-http';
import type { ScheduleChangeResult } from '../schedule/change-schedule.handler';
import { CHANGE_APPROVAL_CONFIG, limitsFor } from './change-approval.config';
import type { ChangeApprovalConfig } from './change-approval.config';

export class DecideChangeRequestCommand {
  constructor(
    readonly projectId: string,
    readonly changeRequestId: string,
    readonly ctx: RequestContext,
    readonly command: ChangeRequestCommand,
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
export function changeRequestOfProject(state: ChangeRequestState, projectId: string, changeRequestId: string, mustExist = true): ChangeRequestState {
  const foreign = state.status !== 'not-raised' && state.request.projectId !== projectId;
  if (foreign || (mustExist && state.status === 'not-raised')) {
    throw notFound('CHANGE_REQUEST_NOT_FOUND', `Change request ${changeRequestId} does not exist`, { changeRequestId });
  }
  return state;
}

/** Approval limits come from configuration, per tenant, never from the request. */
function withLimits(command: ChangeRequestCommand, config: ChangeApprovalConfig, tenantId: string): ChangeRequestCommand {
  if (command.type === 'ApproveChangeRequest') return { ...command, data: { ...command.data, limits: limitsFor(config, tenantId) } };
  if (command.type === 'RejectChangeRequest') return { ...command, data: { ...command.data, limits: limitsFor(config, tenantId) } };
  return command;
}

/**
 * Every change-request command. Applying one is a single plan: the request is marked applied, its changes are decided
 * on the project's schedule (concluded by one recalculation) and the requested baseline saved, all in one
 * transaction: if the schedule refuses any change, nothing at all is recorded.
 */
@CommandHandler(DecideChangeRequestCommand)
export class DecideChangeRequestHandler implements ICommandHandler<DecideChangeRequestCommand, ChangeRequestResult> {
  constructor(
    private readonly writePath: WritePath,
    @Inject(CHANGE_APPROVAL_CONFIG) private readonly approval: ChangeApprovalConfig,
  ) {}

  async execute({ projectId, changeRequestId, ctx, command }: DecideChangeRequestCommand): Promise<ChangeRequestResult> {
    const tenantId = ctx.principal.tenantId;
    const streamId = changeRequestStreamId(tenantId, changeRequestId);
    const scheduleStream = scheduleStreamId(tenantId, projectId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const loaded = await tx.load(changeRequestAggregate, streamId);
      changeRequestOfProject(loaded.state, projectId, changeRequestId, false);
      const decided = await tx.decide(changeRequestAggregate, streamId, withLimits(command, this.approval, tenantId));
      const applied = decided.events.find((e) => e.type === 'ChangeRequestApplied');
      if (applied?.type !== 'ChangeRequestApplied') return { status: decided.state.status, applied: false };
      const metadata = commandMetadata(ctx);
      await tx.decide(scheduleAggregate, scheduleStream, scheduleCommandsForAppliedChange(applied, metadata));
      const rebaseline = decided.events.find((e) => e.type === 'NewBaselineRequested');
      if (rebaseline?.type === 'NewBaselineRequested') {
        const { baselineNumber } = rebaseline.data;
        await tx.decide(scheduleAggregate, scheduleStream, { type: 'SaveBaseline', data: { projectId: toProjectId(projectId), baselineNumber, overwrite: true }, metadata });
      }
      return { status: decided.state.status, applied: true };
    });
    const request = committedOf(outcome, changeRequestAggregate, streamId);
    const schedule = outcome.result.applied ? committedOf(outcome, scheduleAggregate, scheduleStream) : undefined;
    return {
      changeRequestId,
      version: request?.version ?? 0,
      status: outcome.result.status,
      changes: request?.decided ?? [],
      ...(schedule ? { schedule: { projectId, version: schedule.version, changes: schedule.decided, calculation: schedule.concluded } } : {}),
    };
  }
}
