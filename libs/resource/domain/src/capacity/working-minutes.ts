import type { CalendarSpec } from '@pm/shared/scheduling';
import { invalid } from '@pm/shared/ddd';
import { dayNumber, isIsoDate, weekdayOfDay } from '@pm/shared/scheduling';

/** A closed range of plan dates as day numbers; every profile is an array indexed from `from`. */
export interface DayRange {
  readonly from: number;
  /** Inclusive. */
  readonly to: number;
}

export const rangeLength = (range: DayRange): number => range.to - range.from + 1;

export function dayRange(from: string, to: string, maxDays = 3_700): DayRange {
  if (!isIsoDate(from) || !isIsoDate(to)) throw invalid('INVALID_DATE', `range ${from}..${to} needs YYYY-MM-DD dates`);
  const range = { from: dayNumber(from), to: dayNumber(to) };
  if (range.to < range.from) throw invalid('RANGE_ENDS_BEFORE_IT_STARTS', `range ${from}..${to} ends before it starts`);
  // About ten years: enough for any portfolio question, small enough that one query cannot exhaust memory.
  if (rangeLength(range) > maxDays) throw invalid('RANGE_TOO_LONG', `range ${from}..${to} is longer than ${maxDays} days`);
  return range;
}

/**
 * A working calendar read as minutes per day. Minutes, not hours, so capacity and demand are integers and
 * "demand exceeds capacity" never depends on floating-point rounding (7.5 h × 80 % = 360 min exactly).
 */
export class WorkingMinutes {
  private readonly weekMinutes = new Int32Array(7);
  private readonly overrides = new Map<number, number>();

  constructor(readonly spec: CalendarSpec) {
    const dayMinutes = Math.round(spec.hoursPerDay * 60);
    for (const weekday of spec.workingWeekdays) this.weekMinutes[weekday] = dayMinutes;
    for (const holiday of spec.holidays) this.overrides.set(dayNumber(holiday), 0);
    // As in the scheduling engine, an exception wins over holidays and weekdays.
    for (const e of spec.exceptions ?? []) this.overrides.set(dayNumber(e.date), e.working ? Math.round((e.hours ?? spec.hoursPerDay) * 60) : 0);
  }

  minutesOn(day: number): number {
    const override = this.overrides.get(day);
    return override ?? this.weekMinutes[weekdayOfDay(day)];
  }

  /** Minutes per day over the range, written into `out` (reused by callers that profile many resources). */
  fill(range: DayRange, out: Int32Array = new Int32Array(rangeLength(range))): Int32Array {
    let weekday = weekdayOfDay(range.from);
    for (let i = 0, n = rangeLength(range); i < n; i++) {
      out[i] = this.weekMinutes[weekday];
      weekday = weekday === 6 ? 0 : weekday + 1;
    }
    for (const [day, minutes] of this.overrides) if (day >= range.from && day <= range.to) out[day - range.from] = minutes;
    return out;
  }
}

/** The default when a tenant has set none: Monday to Friday, 8 hours. */
export const STANDARD_CALENDAR: CalendarSpec = { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] };
