import { Inject, Injectable } from '@nestjs/common';
import { dayNumber } from '@pm/shared/scheduling';
import type { CalendarSpec } from '@pm/shared/scheduling';
import { ResourceReadQueries } from '@pm/resource/data-access';
import type { PoolEntry, ScheduledAssignment } from '@pm/resource/data-access';
import { WorkingMinutes, bucketise, capacityProfile, demandProfile, rangeLength } from '@pm/resource/domain';
import type { DayRange, DemandItem, Granularity, PeriodFigures } from '@pm/resource/domain';
import { RESOURCE_OPTIONS } from '../shared/resource-options';
import type { ResourceOptions } from '../shared/resource-options';

export interface ResourceProfile {
  readonly entry: PoolEntry;
  readonly items: DemandItem[];
  readonly capacity: Int32Array;
  readonly demand: Int32Array;
}

export const demandItemOf = (a: ScheduledAssignment): DemandItem => ({ taskId: a.taskId, startDay: dayNumber(a.start), finishDay: dayNumber(a.finish), load: a.load });

/**
 * People and equipment have time to give: equipment is one unit bookable during the tenant's working hours
 * (it has no calendar, leave or availability of its own yet). A role placeholder has demand but no capacity
 * (it stands for someone not yet named); material is consumed by quantity, not booked by the hour.
 */
export const hasCapacity = (entry: PoolEntry): boolean => entry.kind === 'person' || entry.kind === 'equipment';

/** Capacity and demand of pool entries over a range, with the pure functions of the domain. */
@Injectable()
export class CapacityCalculator {
  constructor(
    private readonly queries: ResourceReadQueries,
    @Inject(RESOURCE_OPTIONS) private readonly options: ResourceOptions,
  ) {}

  /** The tenant's default calendar, or the service's when the tenant has set none. */
  async tenantCalendar(tenantId: string): Promise<CalendarSpec> {
    return (await this.queries.tenantSettings(tenantId)).calendar ?? this.options.defaultCalendar;
  }

  async profiles(tenantId: string, entries: readonly PoolEntry[], range: DayRange): Promise<ResourceProfile[]> {
    const tenantCalendar = await this.tenantCalendar(tenantId);
    const assignments = await this.queries.scheduledAssignments(tenantId, entries.map((e) => e.resourceId));
    const byResource = new Map<string, DemandItem[]>();
    for (const a of assignments) byResource.set(a.resourceId, [...(byResource.get(a.resourceId) ?? []), demandItemOf(a)]);
    return entries.map((entry) => this.profile(entry, byResource.get(entry.resourceId) ?? [], range, tenantCalendar));
  }

  profile(entry: PoolEntry, items: DemandItem[], range: DayRange, tenantCalendar: CalendarSpec): ResourceProfile {
    const calendar = entry.calendar ?? tenantCalendar;
    const minutes = new WorkingMinutes(calendar);
    const capacity = hasCapacity(entry)
      ? capacityProfile({ calendar, availabilityPercent: entry.availabilityPercent, leave: entry.leave }, range, minutes)
      : new Int32Array(rangeLength(range));
    return { entry, items, capacity, demand: demandProfile(items, range, minutes) };
  }

  /** Sums several resources into one line (a team, a department, everyone with a skill). */
  static total(range: DayRange, profiles: readonly ResourceProfile[], granularity: Granularity): PeriodFigures[] {
    const n = rangeLength(range);
    const cap = new Int32Array(n);
    const dem = new Int32Array(n);
    for (const p of profiles) for (let i = 0; i < n; i++) {
      cap[i] += p.capacity[i];
      dem[i] += p.demand[i];
    }
    return bucketise(range, cap, dem, granularity);
  }
}
