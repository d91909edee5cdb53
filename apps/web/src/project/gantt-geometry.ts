import type { LinkType, ScheduleLink, ScheduleTask } from './schedule.types';

// Pure geometry of the Gantt: calendar days to pixels, bars, link routes. No React, so it is cheap to call for the
// few rows on screen and easy to reason about.

const DAY_MS = 86_400_000;

/** Days since the epoch of a YYYY-MM-DD date, read as UTC (dates carry no zone; the chart is a calendar). */
export const dayNumber = (date: string): number => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export type Zoom = 'day' | 'week' | 'month';
export const PX_PER_DAY: Record<Zoom, number> = { day: 24, week: 6, month: 2 };
export const ROW_HEIGHT = 28;
const MARGIN_DAYS = 7;

export interface TimeScale {
  readonly firstDay: number;
  readonly lastDay: number;
  readonly pxPerDay: number;
  readonly width: number;
  /** Left edge of a date's day. */
  x(date: string): number;
}

/** The span of every dated task (and the status date and today when near), a week of margin either side. */
export function timeScale(tasks: readonly ScheduleTask[], extra: ReadonlyArray<string | null>, zoom: Zoom): TimeScale {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of tasks) {
    if (t.start) min = Math.min(min, dayNumber(t.start));
    if (t.finish) max = Math.max(max, dayNumber(t.finish));
  }
  for (const d of extra) {
    if (!d) continue;
    const n = dayNumber(d);
    // Today far from the plan (a plan of 2009) would stretch the chart over years of nothing: only within a year.
    if (Number.isFinite(min) && (n < min - 366 || n > max + 366)) continue;
    min = Math.min(min, n);
    max = Math.max(max, n);
  }
  if (!Number.isFinite(min)) min = max = Math.floor(Date.now() / DAY_MS);
  const firstDay = min - MARGIN_DAYS;
  const lastDay = max + MARGIN_DAYS;
  const pxPerDay = PX_PER_DAY[zoom];
  return { firstDay, lastDay, pxPerDay, width: (lastDay - firstDay + 1) * pxPerDay, x: (date) => (dayNumber(date) - firstDay) * pxPerDay };
}

/** A bar from the start day's left edge to the finish day's right edge (finish dates are inclusive). */
export function barOf(task: ScheduleTask, scale: TimeScale): { x: number; width: number } | null {
  if (!task.start || !task.finish) return null;
  const x = scale.x(task.start);
  return { x, width: Math.max(scale.x(task.finish) + scale.pxPerDay - x, 2) };
}

export interface Tick {
  readonly x: number;
  readonly label: string;
}

/** Month boundaries (and Mondays when zoomed to days or weeks) as labelled ticks. */
export function ticksOf(scale: TimeScale, zoom: Zoom): { months: Tick[]; minor: Tick[] } {
  const months: Tick[] = [];
  const minor: Tick[] = [];
  for (let day = scale.firstDay; day <= scale.lastDay; day++) {
    const date = new Date(day * DAY_MS);
    const x = (day - scale.firstDay) * scale.pxPerDay;
    if (date.getUTCDate() === 1 || day === scale.firstDay) {
      months.push({ x, label: date.toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }) });
    }
    if (zoom !== 'month' && date.getUTCDay() === 1) minor.push({ x, label: zoom === 'day' ? String(date.getUTCDate()) : '' });
  }
  return { months, minor };
}

/**
 * The route of a link as an orthogonal polyline, MS Project style: it leaves the predecessor at its start (S*) or
 * finish (F*) and enters the successor at its start (*S) or finish (*F), stepping out a few pixels first so an arrow
 * into a start comes from the left and one into a finish from the right.
 */
export function linkPath(type: LinkType, from: { x: number; width: number; row: number }, to: { x: number; width: number; row: number }): string {
  const mid = ROW_HEIGHT / 2;
  const y1 = from.row * ROW_HEIGHT + mid;
  const y2 = to.row * ROW_HEIGHT + mid;
  const leaveAtFinish = type === 'FS' || type === 'FF';
  const enterAtStart = type === 'FS' || type === 'SS';
  const x1 = leaveAtFinish ? from.x + from.width : from.x;
  const x2 = enterAtStart ? to.x : to.x + to.width;
  const out = leaveAtFinish ? x1 + 6 : x1 - 6;
  const into = enterAtStart ? x2 - 6 : x2 + 6;
  const yTurn = y2 > y1 ? y2 - mid + 2 : y2 + mid - 2;
  // Straight across when the step out already lies on the right side of the entry; else drop between the rows.
  if ((enterAtStart && out <= into) || (!enterAtStart && out >= into)) return `M${x1},${y1}H${out}V${y2}H${x2}`;
  return `M${x1},${y1}H${out}V${yTurn}H${into}V${y2}H${x2}`;
}

/** Links by the tasks they touch, so a visible row finds its links without scanning them all. */
export function linksByTask(links: readonly ScheduleLink[]): Map<string, ScheduleLink[]> {
  const map = new Map<string, ScheduleLink[]>();
  for (const l of links) {
    for (const id of [l.predecessorId, l.successorId]) {
      const list = map.get(id);
      if (list) list.push(l);
      else map.set(id, [l]);
    }
  }
  return map;
}

export const todayIso = (): string => new Date().toISOString().slice(0, 10);
