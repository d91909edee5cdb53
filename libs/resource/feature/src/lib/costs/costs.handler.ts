import { CommandHandler, QueryHandler } from '@nestjs/cqrs';
import type { ICommandHandler, IQueryHandler } from '@nestjs/cqrs';
import { WritePath } from '@pm/platform/event-store';
import { ResourceReadQueries } from '@pm/resource/data-access';
import { budgetAggregate, budgetStreamId, resourceAggregate, resourceStreamId, timesheetAggregate, timesheetStreamId } from '@pm/resource/domain';
import type { BudgetCommand, BudgetEvent, BudgetState, TimesheetCommand, TimesheetEvent, TimesheetId, TimesheetLine, TimesheetOwner } from '@pm/resource/domain';
import { callerOf, commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { projectsMustBeKnown } from './known-projects';
import { TimesheetApprovalTransaction } from './timesheet-approval.transaction';

export type TimesheetRequest =
  | { readonly kind: 'submit'; readonly timesheetId: string; readonly resourceId: string; readonly weekStart: string; readonly lines: TimesheetLine[] }
  | { readonly kind: 'approve'; readonly timesheetId: string }
  | { readonly kind: 'reject'; readonly timesheetId: string; readonly reason: string };

export class ExecuteTimesheetCommand {
  constructor(
    readonly request: TimesheetRequest,
    readonly ctx: RequestContext,
  ) {}
}

/**
 * Timesheets, with the owner's login and rate table read from the person's stream at the moment of the
 * decision. An approval and the budget's share of its cost commit in one transaction (TimesheetApprovalTransaction).
 * Lines are accepted only for projects planning announced to the caller's tenant (ADR 0205).
 */
@CommandHandler(ExecuteTimesheetCommand)
export class ExecuteTimesheetHandler implements ICommandHandler<ExecuteTimesheetCommand, { timesheetId: string; version: number; events: TimesheetEvent[] }> {
  constructor(
    private readonly writePath: WritePath,
    private readonly approval: TimesheetApprovalTransaction,
    private readonly reads: ResourceReadQueries,
  ) {}

  async execute({ request, ctx }: ExecuteTimesheetCommand) {
    const tenantId = ctx.principal.tenantId;
    const streamId = timesheetStreamId(tenantId, request.timesheetId);
    const timesheetId = request.timesheetId as TimesheetId;
    const metadata = commandMetadata(ctx);
    if (request.kind === 'approve') {
      const approved = await this.approval.approve(request.timesheetId, ctx, (resourceId) => this.owner(resourceId, ctx));
      return { timesheetId: request.timesheetId, ...approved };
    }
    let command: TimesheetCommand;
    if (request.kind === 'submit') {
      await projectsMustBeKnown(this.reads, tenantId, request.lines.map((l) => l.projectId));
      command = { type: 'SubmitTimesheet', data: { timesheetId, owner: await this.owner(request.resourceId, ctx), weekStart: request.weekStart, lines: request.lines, caller: callerOf(ctx) }, metadata };
    } else {
      // Whose time it is: the person never changes once submitted (a resubmission is for the same person).
      const { state } = await this.writePath.load(timesheetAggregate, streamId, tenantId);
      const owner = state.status === 'none' ? null : await this.owner(state.timesheet.resourceId, ctx);
      command = { type: 'RejectTimesheet', data: { timesheetId, reason: request.reason, owner, caller: callerOf(ctx) }, metadata };
    }
    const result = await this.writePath.handle(ctx, timesheetAggregate, streamId, command);
    return { timesheetId: request.timesheetId, version: result.version, events: result.events };
  }

  private async owner(resourceId: string, ctx: RequestContext): Promise<TimesheetOwner | null> {
    const tenantId = ctx.principal.tenantId;
    const { state } = await this.writePath.load(resourceAggregate, resourceStreamId(tenantId, resourceId), tenantId);
    if (state.status !== 'registered' || state.resource.kind !== 'person') return null;
    return { resourceId, userId: state.resource.userId, rates: state.resource.rates };
  }
}

export class ExecuteBudgetCommand {
  constructor(
    readonly command: BudgetCommand,
    readonly ctx: RequestContext,
  ) {}
}

/** Budget, expense and forecast commands, only on a project planning announced to the caller's tenant (ADR 0205). */
@CommandHandler(ExecuteBudgetCommand)
export class ExecuteBudgetHandler implements ICommandHandler<ExecuteBudgetCommand, { projectId: string; version: number; events: BudgetEvent[] }> {
  constructor(
    private readonly writePath: WritePath,
    private readonly reads: ResourceReadQueries,
  ) {}

  async execute({ command, ctx }: ExecuteBudgetCommand) {
    const { projectId } = command.data;
    await projectsMustBeKnown(this.reads, ctx.principal.tenantId, [projectId]);
    const result = await this.writePath.handle(ctx, budgetAggregate, budgetStreamId(ctx.principal.tenantId, projectId), command);
    return { projectId, version: result.version, events: result.events };
  }
}

export class GetBudgetQuery {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
  ) {}
}

@QueryHandler(GetBudgetQuery)
export class GetBudgetHandler implements IQueryHandler<GetBudgetQuery, BudgetState & { version: number }> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ tenantId, projectId }: GetBudgetQuery) {
    const { state, version } = await this.writePath.load(budgetAggregate, budgetStreamId(tenantId, projectId), tenantId);
    const { counted: _counted, ...view } = state;
    return { ...view, counted: [], version };
  }
}
