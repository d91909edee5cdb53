import type { PoolEntry, UtilisationRow } from './resources.types';

export type GroupBy = 'resource' | 'role';

export interface Cell {
  readonly week: string;
  readonly capacityHours: number;
  readonly demandHours: number;
  /** Demand over capacity in percent; null when there is no capacity that week. */
  readonly percent: number | null;
  readonly over: boolean;
}

export interface HeatRow {
  readonly label: string;
  readonly cells: readonly Cell[];
}

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/**
 * Weekly rows per resource, or summed per role (the resource service groups by resource or department; a role is the
 * pool entry's own field, so the sum is made here). A cell is over-allocated when demand exceeds capacity, including
 * demand in a week without any capacity (leave, a part-timer's day off).
 */
export function heatRows(rows: readonly UtilisationRow[], pool: readonly PoolEntry[], by: GroupBy): { weeks: string[]; rows: HeatRow[] } {
  const entry = new Map(pool.map((p) => [p.resourceId, p]));
  const weeks = [...new Set(rows.map((r) => r.weekStart))].sort();
  const sums = new Map<string, Map<string, { c: number; d: number }>>();
  for (const r of rows) {
    const who = entry.get(r.key);
    const label = by === 'role' ? (who?.role ?? 'No role') : (who?.name ?? r.key);
    const byWeek = sums.get(label) ?? new Map<string, { c: number; d: number }>();
    const sum = byWeek.get(r.weekStart) ?? { c: 0, d: 0 };
    byWeek.set(r.weekStart, { c: sum.c + r.capacityMinutes, d: sum.d + r.demandMinutes });
    sums.set(label, byWeek);
  }
  const out = [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, byWeek]) => ({
      label,
      cells: weeks.map((week) => {
        const { c, d } = byWeek.get(week) ?? { c: 0, d: 0 };
        return { week, capacityHours: hours(c), demandHours: hours(d), percent: c > 0 ? Math.round((d / c) * 100) : null, over: d > c };
      }),
    }));
  return { weeks, rows: out };
}

/** The over-allocated weeks of each row, worst excess first. */
export function overAllocations(rows: readonly HeatRow[]): Array<{ label: string; weeks: Cell[]; excessHours: number }> {
  return rows
    .map((r) => {
      const weeks = r.cells.filter((c) => c.over);
      return { label: r.label, weeks, excessHours: Math.round(weeks.reduce((s, c) => s + c.demandHours - c.capacityHours, 0) * 10) / 10 };
    })
    .filter((r) => r.weeks.length > 0)
    .sort((a, b) => b.excessHours - a.excessHours);
}

/** Monday of the week holding `date` (UTC), as YYYY-MM-DD. */
export function mondayOf(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
