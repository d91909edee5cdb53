import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ExpectedVersionConflict, PG_POOL, PgEventStore, TransactionOrderConflict, loadState } from '@pm/platform/event-store';
import type { DomainEvent, NewEvent } from '@pm/platform/event-store';
import { ResourceReadQueries } from '@pm/resource/data-access';
import { budgetDecider, budgetStreamId, timesheetDecider, timesheetStreamId } from '@pm/resource/domain';
import type {
  BudgetCommand,
  BudgetEvent,
  BudgetState,
  CostIncurred,
  TimesheetCommand,
  TimesheetEvent,
  TimesheetId,
  TimesheetOwner,
  TimesheetState,
} from '@pm/resource/domain';
import { callerOf, commandMetadata, metadataFor } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { projectsMustBeKnown } from './known-projects';

/** Enough for a burst of approvals against one busy project budget; each retry re-reads and re-decides everything. */
const ATTEMPTS = 8;

interface PendingAppend {
  readonly streamId: string;
  readonly expected: number;
  readonly events: readonly DomainEvent[];
}

/**
 * Approving a timesheet and counting its cost against each project's budget is one business fact, so both land
 * in ONE PostgreSQL transaction, each stream appended with the version its decision was made on (ADR 0202).
 * Either the approval and every ActualCostRecorded commit together or neither does: a crash in between leaves
 * a submitted timesheet to approve again, never an approved one whose cost the budget misses. A concurrent
 * writer on any of the streams (ExpectedVersionConflict) or a stream that moved on after this transaction began
 * writing (TransactionOrderConflict) rolls everything back, and the whole decision is made again.
 * Every project the approved lines name must be the caller's tenant's (planning announced it, ADR 0205) before any
 * budget stream is touched: a week accepted before that check existed is refused with 404, not booked elsewhere.
 */
@Injectable()
export class TimesheetApprovalTransaction {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: PgEventStore,
    private readonly reads: ResourceReadQueries,
  ) {}

  async approve(
    timesheetId: string,
    ctx: RequestContext,
    ownerOf: (resourceId: string) => Promise<TimesheetOwner | null>,
  ): Promise<{ version: number; events: TimesheetEvent[] }> {
    const tenantId = ctx.principal.tenantId;
    const streamId = timesheetStreamId(timesheetId);
    for (let attempt = 1; ; attempt++) {
      const timesheet = await loadState<TimesheetCommand, TimesheetEvent, TimesheetState>(this.store, streamId, timesheetDecider, tenantId);
      const owner = timesheet.state.status === 'none' ? null : await ownerOf(timesheet.state.timesheet.resourceId);
      const command: TimesheetCommand = { type: 'ApproveTimesheet', data: { timesheetId: timesheetId as TimesheetId, owner, caller: callerOf(ctx) }, metadata: commandMetadata(ctx) };
      const events = timesheetDecider.decide(command, timesheet.state);
      if (events.length === 0) return { version: timesheet.version, events };
      await projectsMustBeKnown(this.reads, tenantId, events.flatMap((e) => (e.type === 'TimesheetApproved' ? e.data.lines.map((l) => l.projectId) : [])));
      const appends: PendingAppend[] = [{ streamId, expected: timesheet.version, events }, ...(await this.budgetAppends(events, ctx))];
      try {
        const versions = await this.commit(appends, ctx);
        return { version: versions[0] ?? timesheet.version, events };
      } catch (error) {
        const retry = error instanceof ExpectedVersionConflict || error instanceof TransactionOrderConflict;
        if (retry && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** Each project's budget decides on its own costs, all costs of one project in one append. */
  private async budgetAppends(events: readonly TimesheetEvent[], ctx: RequestContext): Promise<PendingAppend[]> {
    const costs = events.filter((e): e is CostIncurred => e.type === 'CostIncurred');
    const projects = [...new Set(costs.map((c) => c.data.projectId))].sort();
    const appends: PendingAppend[] = [];
    for (const projectId of projects) {
      const streamId = budgetStreamId(projectId);
      const loaded = await loadState<BudgetCommand, BudgetEvent, BudgetState>(this.store, streamId, budgetDecider, ctx.principal.tenantId);
      let state = loaded.state;
      const decided: BudgetEvent[] = [];
      for (const cost of costs.filter((c) => c.data.projectId === projectId)) {
        const { costId, category, amount } = cost.data;
        const next = budgetDecider.decide({ type: 'RecordActualCost', data: { projectId, costId, category, amount }, metadata: commandMetadata(ctx) }, state);
        state = next.reduce(budgetDecider.evolve, state);
        decided.push(...next);
      }
      if (decided.length > 0) appends.push({ streamId, expected: loaded.version, events: decided });
    }
    return appends;
  }

  /** All appends or none; returns each stream's new version in the order given. */
  private async commit(appends: readonly PendingAppend[], ctx: RequestContext): Promise<number[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const versions: number[] = [];
      for (const { streamId, expected, events } of appends) {
        const toAppend: NewEvent[] = events.map((e) => ({ type: e.type, data: e.data, schemaVersion: 1, metadata: metadataFor(ctx) }));
        const { nextExpectedVersion } = await this.store.append(streamId, toAppend, expected === 0 ? 'no-stream' : expected, client);
        versions.push(nextExpectedVersion);
      }
      await client.query('COMMIT');
      // Appended through our own transaction: the store cannot tell when it commits, so wake its readers now.
      this.store.notifyAppended();
      return versions;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
