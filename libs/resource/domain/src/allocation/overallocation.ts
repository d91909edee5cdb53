import { fromDayNumber } from '@pm/shared/scheduling';
import type { DemandItem } from '../capacity/capacity';
import type { DayRange } from '../capacity/working-minutes';

/** A run of days on which demand exceeds capacity (days off with no demand do not break the run). */
export interface OverallocatedPeriod {
  readonly from: string;
  readonly to: string;
  readonly minutesOver: number;
  /** The tasks with demand in the period, sorted: what a PMO must move or re-staff. */
  readonly taskIds: readonly string[];
}

export function findOverallocations(range: DayRange, capacity: Int32Array, demand: Int32Array, items: readonly DemandItem[]): OverallocatedPeriod[] {
  const periods: OverallocatedPeriod[] = [];
  let runStart = -1;
  let lastOver = -1;
  let over = 0;
  const close = () => {
    if (runStart < 0) return;
    const from = range.from + runStart;
    const to = range.from + lastOver;
    const taskIds = [...new Set(items.filter((i) => i.startDay <= to && i.finishDay >= from).map((i) => i.taskId))].sort();
    periods.push({ from: fromDayNumber(from), to: fromDayNumber(to), minutesOver: over, taskIds });
    runStart = -1;
    over = 0;
  };
  for (let i = 0; i < capacity.length; i++) {
    const excess = demand[i] - capacity[i];
    if (excess > 0) {
      if (runStart < 0) runStart = i;
      lastOver = i;
      over += excess;
    } else if (!(capacity[i] === 0 && demand[i] === 0)) {
      close();
    }
  }
  close();
  return periods;
}
