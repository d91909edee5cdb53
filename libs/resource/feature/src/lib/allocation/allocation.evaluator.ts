import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { CalendarSpec } from '@pm/shared/scheduling';
import { PG_POOL } from '@pm/platform/event-store';
import { MAX_HORIZON_DAYS, ResourceReadQueries, UtilisationQueries, clearDirty, refreshUtilisationHorizons, takeDirty, utilisationHorizon } from '@pm/resource/data-access';
import type { DirtyResource, PoolEntry } from '@pm/resource/data-access';
import { allocationDecider, allocationStreamId, bucketise, dayRange, findOverallocations, fromDayNumber, periodStart } from '@pm/resource/domain';
import type { AllocationCommand, AllocationEvent, AllocationState, DayRange, DemandItem } from '@pm/resource/domain';
import { CapacityCalculator, demandItemOf, hasCapacity } from '../capacity/capacity.calculator';
import { DeciderRunner } from '../shared/decider-runner';
import { commandMetadata, systemContext } from '../shared/request-context';

/**
 * Re-evaluates the resources marked dirty (their demand or capacity may have moved) and publishes what
 * changed in their over-allocation through the allocation decider, which turns an unchanged finding into
 * nothing. The mark is cleared only after the evaluation committed, so a crash means evaluating again, not
 * missing a change; the utilisation read model is refreshed on the way.
 */
@Injectable()
export class AllocationEvaluator {
  private readonly log = new Logger(AllocationEvaluator.name);
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queries: ResourceReadQueries,
    private readonly utilisation: UtilisationQueries,
    private readonly calculator: CapacityCalculator,
    private readonly runner: DeciderRunner,
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
        await clearDirty(this.pool, dirty);
        done++;
      }
    }
  }

  async evaluate({ tenantId, resourceId }: DirtyResource): Promise<AllocationEvent[]> {
    const entry = await this.queries.poolEntry(tenantId, resourceId);
    const streamId = allocationStreamId(resourceId);
    const known = await this.runner.load<AllocationCommand, AllocationEvent, AllocationState>(allocationDecider, streamId, tenantId);
    const assignments = entry ? await this.queries.scheduledAssignments(tenantId, [resourceId]) : [];
    const demand = windowOf(assignments.map((a) => [a.start, a.finish] as const));
    // The decision also looks where over-allocation was published before, so a period that cleared is resolved.
    const window = windowOf([...assignments.map((a) => [a.start, a.finish] as const), ...known.state.periods.map((p) => [p.from, p.to] as const)]);
    const items = assignments.map(demandItemOf);
    const tenantCalendar = await this.calculator.tenantCalendar(tenantId);
    const events = window ? await this.decide(tenantId, resourceId, entry, items, window, tenantCalendar) : [];
    // The read model does not: what was published is history, and a rebuild (which replays no such history into
    // the range) must give the same rows as live evaluation. Current demand and the tenant horizon only.
    await this.refreshUtilisation(tenantId, resourceId, entry, items, demand, tenantCalendar);
    if (events.length) this.log.log({ tenantId, resourceId, events: events.map((e) => e.type) }, 'over-allocation changed');
    return events;
  }

  private async decide(tenantId: string, resourceId: string, entry: PoolEntry | null, items: DemandItem[], window: DayRange, tenantCalendar: CalendarSpec): Promise<AllocationEvent[]> {
    const profile = entry ? this.calculator.profile(entry, items, window, tenantCalendar) : null;
    // A placeholder has no capacity of its own: its demand is staffing to do, not over-allocation.
    const periods = entry && hasCapacity(entry) && profile ? findOverallocations(window, profile.capacity, profile.demand, items) : [];
    const ctx = systemContext(tenantId);
    const command: AllocationCommand = {
      type: 'EvaluateAllocation',
      data: { resourceId, periods, window: { from: fromDayNumber(window.from), to: fromDayNumber(window.to) } },
      metadata: commandMetadata(ctx),
    };
    const { events } = await this.runner.run(allocationDecider, allocationStreamId(resourceId), command, ctx);
    return events;
  }

  /**
   * Every resource in the pool gets a row for every week of the tenant's horizon (idle people count in their
   * department's capacity), widened to the resource's own current demand; whole weeks, so no row is
   * half-computed. Nothing else widens it (not previously published over-allocation): the rows are a function
   * of the current projections only, the same live and after a rebuild.
   */
  private async refreshUtilisation(tenantId: string, resourceId: string, entry: PoolEntry | null, items: DemandItem[], demand: DayRange | null, tenantCalendar: CalendarSpec): Promise<void> {
    const horizon = await utilisationHorizon(this.pool, tenantId);
    const spans = [demand, horizon && dayRange(horizon.from, horizon.to, MAX_HORIZON_DAYS)].filter((span): span is DayRange => span !== null);
    if (!entry || spans.length === 0) {
      await this.utilisation.replace(tenantId, resourceId, entry?.department ?? null, []);
      return;
    }
    const from = Math.min(...spans.map((span) => span.from));
    const to = Math.max(...spans.map((span) => span.to));
    const range = { from: periodStart(from, 'week'), to: periodStart(to, 'week') + 6 };
    const profile = this.calculator.profile(entry, items, range, tenantCalendar);
    const weeks = bucketise(range, profile.capacity, profile.demand, 'week').map((w) => ({ weekStart: w.start, capacityMinutes: w.capacityMinutes, demandMinutes: w.demandMinutes }));
    await this.utilisation.replace(tenantId, entry.resourceId, entry.department, weeks);
  }
}

function windowOf(spans: ReadonlyArray<readonly [string, string]>): DayRange | null {
  if (spans.length === 0) return null;
  const from = spans.reduce((m, [s]) => (s < m ? s : m), spans[0][0]);
  const to = spans.reduce((m, [, f]) => (f > m ? f : m), spans[0][1]);
  return dayRange(from, to, 40_000);
}
