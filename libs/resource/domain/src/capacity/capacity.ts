import type { CalendarSpec } from '@pm/shared/scheduling';
import { dayNumber } from '@pm/shared/scheduling';
import type { DayRange } from './working-minutes';
import { WorkingMinutes, rangeLength } from './working-minutes';

/** What capacity needs to know about one resource. */
export interface CapacityInput {
  readonly calendar: CalendarSpec;
  /** 0..100: a part-time person at 60 % has 60 % of each working day. */
  readonly availabilityPercent: number;
  readonly leave: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/** Minutes available per day: calendar minutes × availability, zero on leave. */
export function capacityProfile(input: CapacityInput, range: DayRange, calendar = new WorkingMinutes(input.calendar)): Int32Array {
  const out = calendar.fill(range);
  const percent = input.availabilityPercent;
  if (percent !== 100) for (let i = 0; i < out.length; i++) out[i] = Math.floor((out[i] * percent) / 100);
  for (const leave of input.leave) {
    const lo = Math.max(dayNumber(leave.from), range.from);
    const hi = Math.min(dayNumber(leave.to), range.to);
    for (let d = lo; d <= hi; d++) out[d - range.from] = 0;
  }
  return out;
}

/** How an assignment asks for time: a share of each working day, or a total of work spread evenly. */
export type Load = { readonly kind: 'units'; readonly percent: number } | { readonly kind: 'work'; readonly minutes: number };

export interface DemandItem {
  readonly taskId: string;
  /** Task dates, inclusive, as day numbers. */
  readonly startDay: number;
  readonly finishDay: number;
  readonly load: Load;
}

/**
 * Adds one assignment's demand to `out` (indexed from `range.from`). Demand falls on the resource's working
 * days within the task's dates, as Microsoft Project spreads a flat contour. Work is split in whole minutes
 * with the remainder on the earliest days, so the minutes added always sum to the work, exactly.
 */
export function addDemand(out: Int32Array, range: DayRange, item: DemandItem, calendar: WorkingMinutes, dayMinutes?: Int32Array): void {
  // Inside the range the calendar is read from the precomputed array; outside it (work spread over a task
  // that starts before the range) from the calendar itself.
  const minutesOn = dayMinutes ? (d: number) => (d >= range.from && d <= range.to ? dayMinutes[d - range.from] : calendar.minutesOn(d)) : (d: number) => calendar.minutesOn(d);
  const { startDay, finishDay, load } = item;
  if (load.kind === 'units') {
    const lo = Math.max(startDay, range.from);
    const hi = Math.min(finishDay, range.to);
    for (let d = lo; d <= hi; d++) {
      const minutes = minutesOn(d);
      if (minutes > 0) out[d - range.from] += Math.round((minutes * load.percent) / 100);
    }
    return;
  }
  let workingDays = 0;
  for (let d = startDay; d <= finishDay; d++) if (minutesOn(d) > 0) workingDays++;
  if (workingDays === 0) return;
  const base = Math.floor(load.minutes / workingDays);
  let remainder = load.minutes - base * workingDays;
  for (let d = startDay; d <= finishDay; d++) {
    if (minutesOn(d) === 0) continue;
    const share = base + (remainder > 0 ? 1 : 0);
    if (remainder > 0) remainder--;
    if (d >= range.from && d <= range.to) out[d - range.from] += share;
  }
}

export function demandProfile(items: readonly DemandItem[], range: DayRange, calendar: WorkingMinutes): Int32Array {
  const out = new Int32Array(rangeLength(range));
  const dayMinutes = items.length > 1 ? calendar.fill(range) : undefined;
  for (const item of items) addDemand(out, range, item, calendar, dayMinutes);
  return out;
}

/** Sums profiles of the same range: a team, a department or everyone with a skill. */
export function sumProfiles(profiles: readonly Int32Array[], length: number): Int32Array {
  const out = new Int32Array(length);
  for (const p of profiles) for (let i = 0; i < length; i++) out[i] += p[i];
  return out;
}
