import type { IsoDate } from '@pm/shared/scheduling';
import type { ProjectCalendar, WorkingDayCount } from '../schedule/project-calendar';
import { workingDaysInRange } from '../schedule/project-calendar';

/** A budget spread over a planned (baseline) period. */
export interface TimePhasedBudget {
  readonly budget: number;
  readonly start: IsoDate;
  readonly finish: IsoDate;
}

/**
 * Share of the budget planned to be spent by the end of `statusDate`, accruing linearly over the
 * working days of [start, finish]: a five-day task has planned 3/5 of its budget after its third
 * working day. Work on zero working days (a milestone) is planned in full on its date.
 */
export function plannedFraction(
  calendar: ProjectCalendar,
  start: IsoDate,
  finish: IsoDate,
  statusDate: IsoDate,
  count: WorkingDayCount = (from, to) => workingDaysInRange(calendar, from, to),
): number {
  if (statusDate < start) return 0;
  if (statusDate >= finish) return 1;
  const total = count(start, finish);
  if (total === 0) return 1;
  return count(start, statusDate) / total;
}

export const plannedValueAt = (calendar: ProjectCalendar, item: TimePhasedBudget, statusDate: IsoDate, count?: WorkingDayCount): number =>
  item.budget * plannedFraction(calendar, item.start, item.finish, statusDate, count);

/** Percent complete earns that share of the budget (the physical-percent-complete method). */
export const earnedValueOf = (budget: number, percentComplete: number): number => (budget * percentComplete) / 100;
