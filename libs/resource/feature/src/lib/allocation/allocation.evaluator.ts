import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { fromDayNumber } from '@pm/shared/scheduling';
import type { CalendarSpec } from '@pm/shared/scheduling';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import type { WritePlan } from '@pm/platform/event-store';
import { MAX_HORIZON_DAYS, ResourceReadQueries, UtilisationQueries, clearDirty, refreshUtilisationHorizons, takeDirty, utilisationHorizon } from '@pm/resource/data-access';
import type { DirtyResource, PoolEntry, WeekFigures } from '@pm/resource/data-access';
import { allocationAggregate, allocationStreamId, bucketise, dayRange, findOverallocations, periodStart, utilisationAggregate, utilisationStreamId } from '@pm/resource/domain';
import type { AllocationCommand, AllocationEvent, DayRange, DemandItem, UtilisationCommand, UtilisationEvent } from '@pm/resource/domain';
import { CapacityCalculator, demandItemOf, hasCapacity } from '../capacity/capacity.calculator';
import { commandMetadata, systemContext } from '../shared/request-context';

/** A resource to evaluate: marked dirty (its mark is cleared with the evaluation), or asked for directly. */
export type EvaluationRequest = Pick<DirtyResource, 'tenantId' | 'resourceId'> & Partial<Pick<DirtyResource, 'mark' | 'cause'>>;

/**
 * Re-evaluates the resources marked dirty (their demand or capacity may have moved) and publishes what changed in
 * their over-allocation through the allocation decider, which turns an unchanged finding into nothing. One
 * evaluation is one plan of the write path: the events, the resource's utilisation rows and the clearing of its
 * mark commit together, so a crash means evaluating again, never a change missed or a mark cleared without its
 * rows. The events name the event that marked the resource as their cause (the planning event that moved a task,
 * the assignment that added demand) and continue its trace.
 */
@Injectable()
export class AllocationEvaluator {
  private readonly log = new Logger(AllocationEvaluator.name);
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queries: ResourceReadQueries,
    private readonly utilisation: UtilisationQueries,
    private readonly calculator: CapacityCalculator,
    private readonly writePath: WritePath,
  ) {}

  /** Evaluates every marked resource; returns how many were evaluated. */
  async drain(): Promise<number> {
    // A plan that grew or shrank moves every resource's utilisation rows, assigned or idle: mark them all first.
    await refreshUtilisationHorizons(this.pool);
    let done = 0;
    for (;;) {
      const batch = await takeDirty(this.pool);
      if (batch.length === 0) return done;
      for (const dirty of batch) {
        await this.evaluate(dirty);
        done++;
      }
    }
  }

  async evaluate(request: EvaluationRequest): Promise<Array<AllocationEvent | UtilisationEvent>> {
    const { tenantId, resourceId } = request;
    const ctx = systemContext(tenantId, request.cause);
    const { result: events } = await this.writePath.run(ctx, async (plan) => {
      const entry = await this.queries.poolEntry(tenantId, resourceId);
      const streamId = allocationStreamId(tenantId, resourceId);
      const known = await plan.load(allocationAggregate, streamId);
      const assignments = entry ? await this.queries.scheduledAssignments(tenantId, [resourceId]) : [];
      const demand = windowOf(assignments.map((a) => [a.start, a.finish] as const));
      // The decision also looks where over-allocation was published before, so a period that cleared is resolved.
      const window = windowOf([...assignments.map((a) => [a.start, a.finish] as const), ...known.state.periods.map((p) => [p.from, p.to] as const)]);
      const items = assignments.map(demandItemOf);
      const tenantCalendar = await this.calculator.tenantCalendar(tenantId);
      const decided = window ? await this.decide(plan, streamId, resourceId, entry, items, window, tenantCalendar) : [];
      // The read model does not: what was published is history, and a rebuild (which replays no such history into
      // the range) must give the same rows as live evaluation. Current demand and the tenant horizon only.
      const weeks = await this.utilisationWeeks(tenantId, entry, items, demand, tenantCalendar);
      plan.alsoInTransaction((tx) => this.utilisation.replace(tenantId, resourceId, entry?.department ?? null, weeks, tx));
      // Reporting learns the same rows from events only (ADR 0502): the weeks that moved, in the same transaction.
      const published = await this.publishUtilisation(plan, tenantId, resourceId, entry, weeks);
      const { mark } = request;
      if (mark !== undefined) plan.alsoInTransaction((tx) => clearDirty(tx, { tenantId, resourceId, mark }));
      return [...decided, ...published];
    });
    if (events.some((e) => e.type !== 'ResourceUtilisationChanged')) this.log.log({ tenantId, resourceId, events: events.map((e) => e.type), causationId: ctx.causationId }, 'over-allocation changed');
    return events;
  }

  private async decide(plan: WritePlan, streamId: string, resourceId: string, entry: PoolEntry | null, items: DemandItem[], window: DayRange, tenantCalendar: CalendarSpec): Promise<AllocationEvent[]> {
    const profile = entry ? this.calculator.profile(entry, items, window, tenantCalendar) : null;
    // A placeholder has no capacity of its own: its demand is staffing to do, not over-allocation.
    const periods = entry && hasCapacity(entry) && profile ? findOverallocations(window, profile.capacity, profile.demand, items) : [];
    const command: AllocationCommand = {
      type: 'EvaluateAllocation',
      data: { resourceId, periods, window: { from: fromDayNumber(window.from), to: fromDayNumber(window.to) } },
      metadata: commandMetadata(plan.ctx),
    };
    const { events } = await plan.decide(allocationAggregate, streamId, command);
    return events;
  }

  private async publishUtilisation(plan: WritePlan, tenantId: string, resourceId: string, entry: PoolEntry | null, weeks: readonly WeekFigures[]): Promise<UtilisationEvent[]> {
    const command: UtilisationCommand = {
      type: 'RecordResourceUtilisation',
      data: { resourceId, profile: entry && { name: entry.name, kind: entry.kind, role: entry.role, department: entry.department }, weeks },
      metadata: commandMetadata(plan.ctx),
    };
    const { events } = await plan.decide(utilisationAggregate, utilisationStreamId(tenantId, resourceId), command);
    return events;
  }

  /**
   * Every resource in the pool gets a row for every week of the tenant's horizon (idle people count in their
   * department's capacity), widened to the resource's own current demand; whole weeks, so no row is
   * half-computed. Nothing else widens it (not previously published over-allocation): the rows are a function
   * of the current projections only, the same live and after a rebuild. None for a resource no longer in the pool.
   */
  private async utilisationWeeks(tenantId: string, entry: PoolEntry | null, items: DemandItem[], demand: DayRange | null, tenantCalendar: CalendarSpec): Promise<WeekFigures[]> {
    const horizon = await utilisationHorizon(this.pool, tenantId);
    const spans = [demand, horizon && dayRange(horizon.from, horizon.to, MAX_HORIZON_DAYS)].filter((span): span is DayRange => span !== null);
    if (!entry || spans.length === 0) return [];
    const from = Math.min(...spans.map((span) => span.from));
    const to = Math.max(...spans.map((span) => span.to));
    const range = { from: periodStart(from, 'week'), to: periodStart(to, 'week') + 6 };
    const profile = this.calculator.profile(entry, items, range, tenantCalendar);
    return bucketise(range, profile.capacity, profile.demand, 'week').map((w) => ({ weekStart: w.start, capacityMinutes: w.capacityMinutes, demandMinutes: w.demandMinutes }));
  }
}

function windowOf(spans: ReadonlyArray<readonly [string, string]>): DayRange | null {
  if (spans.length === 0) return null;
  const from = spans.reduce((m, [s]) => (s < m ? s : m), spans[0][0]);
  const to = spans.reduce((m, [, f]) => (f > m ? f : m), spans[0][1]);
  return dayRange(from, to, 40_000);
}
