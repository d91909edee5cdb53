import type { CalendarSpec } from '@pm/shared/scheduling';
import type { DistributionKind, SimulationInput, SimulationLink, SimulationTask } from '../simulation.types';

/** Textbooks count abstract periods: with every day worked, working days are calendar days. */
export const EVERY_DAY: CalendarSpec = { workingWeekdays: [0, 1, 2, 3, 4, 5, 6], hoursPerDay: 8, holidays: [] };
export const WEEKDAYS: CalendarSpec = { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] };

export const fs = (from: string, to: string, lag = 0): SimulationLink => ({ from, to, type: 'FS', lag });

export function threePointTask(id: string, a: number, m: number, b: number, distribution: DistributionKind = 'pert'): SimulationTask {
  return { id, duration: m, estimate: { optimistic: a, mostLikely: m, pessimistic: b }, distribution };
}

/** The tasks one after the other (finish-to-start), on a calendar where every day is worked. */
export function chainInput(tasks: readonly SimulationTask[], iterations: number, seed = 1): SimulationInput {
  return {
    projectStart: '2025-01-01',
    calendar: EVERY_DAY,
    tasks,
    links: tasks.slice(1).map((task, i) => fs(tasks[i].id, task.id)),
    iterations,
    seed,
  };
}

/** Spearman's ρ of two samples: Pearson's correlation of their mid-ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rx = midRanks(x);
  const ry = midRanks(y);
  const n = rx.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += rx[i] / n;
    my += ry[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function midRanks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}
