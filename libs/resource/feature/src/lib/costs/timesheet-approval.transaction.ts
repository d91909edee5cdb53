import { Injectable } from '@nestjs/common';
import { WritePath } from '@pm/platform/event-store';
import type { WritePlan } from '@pm/platform/event-store';
import { ResourceReadQueries } from '@pm/resource/data-access';
import { budgetAggregate, budgetStreamId, timesheetAggregate, timesheetStreamId } from '@pm/resource/domain';
import type { BudgetCommand, CostIncurred, TimesheetCommand, TimesheetEvent, TimesheetId, TimesheetOwner } from '@pm/resource/domain';
import { callerOf, commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { projectsMustBeKnown } from './known-projects';

/**
 * Approving a timesheet and counting its cost against each project's budget is one business fact, so it is ONE
 * plan of the write path: the approval decided on the timesheet stream, then each project's budget deciding on its
 * own costs, all appended in one PostgreSQL transaction with the versions the decisions were made on (ADR 0202).
 * Either the approval and every ActualCostRecorded commit together or nothing does: a budget that refuses a cost
 * or a crash in between leaves a submitted timesheet to approve again, never an approved one whose cost the budget
 * misses. A concurrent writer on any of the streams makes the write path run the whole plan again on fresh state.
 * Every project the approved lines name must be the caller's tenant's (planning announced it, ADR 0205) before any
 * budget stream is decided on: a week accepted before that check existed is refused with 404, not booked elsewhere.
 */
@Injectable()
export class TimesheetApprovalTransaction {
  constructor(
    private readonly writePath: WritePath,
    private readonly reads: ResourceReadQueries,
  ) {}

  async approve(
    timesheetId: string,
    ctx: RequestContext,
    ownerOf: (resourceId: string) => Promise<TimesheetOwner | null>,
  ): Promise<{ version: number; events: TimesheetEvent[] }> {
    const streamId = timesheetStreamId(ctx.principal.tenantId, timesheetId);
    const { result, streams } = await this.writePath.run(ctx, (plan) => this.plan(plan, streamId, timesheetId as TimesheetId, ownerOf));
    return { version: streams.get(streamId)?.version ?? 0, events: result };
  }

  private async plan(plan: WritePlan, streamId: string, timesheetId: TimesheetId, ownerOf: (resourceId: string) => Promise<TimesheetOwner | null>): Promise<TimesheetEvent[]> {
    const { ctx } = plan;
    const tenantId = ctx.principal.tenantId;
    const timesheet = await plan.load(timesheetAggregate, streamId);
    // Whose time it is, with their rate table as it stands now: the approval prices every line at it.
    const owner = timesheet.state.status === 'none' ? null : await ownerOf(timesheet.state.timesheet.resourceId);
    const approve: TimesheetCommand = { type: 'ApproveTimesheet', data: { timesheetId, owner, caller: callerOf(ctx) }, metadata: commandMetadata(ctx) };
    const { events } = await plan.decide(timesheetAggregate, streamId, approve);
    if (events.length === 0) return events;
    const costs = events.filter((e): e is CostIncurred => e.type === 'CostIncurred');
    await projectsMustBeKnown(this.reads, tenantId, events.flatMap((e) => (e.type === 'TimesheetApproved' ? e.data.lines.map((l) => l.projectId) : [])));
    // Each project's budget decides on its own costs, all costs of one project in one decision; in a fixed order,
    // so two approvals touching the same budgets meet them in the same order.
    for (const projectId of [...new Set(costs.map((c) => c.data.projectId))].sort()) {
      const record = costs
        .filter((c) => c.data.projectId === projectId)
        .map(({ data: { costId, category, amount } }): BudgetCommand => ({ type: 'RecordActualCost', data: { projectId, costId, category, amount }, metadata: commandMetadata(ctx) }));
      await plan.decide(budgetAggregate, budgetStreamId(tenantId, projectId), record);
    }
    return events;
  }
}
