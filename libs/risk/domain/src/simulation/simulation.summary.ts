import { dayIndexOf } from './simulation.compile';
import type { CompiledSimulation } from './simulation.compile';
import type { BlockResult } from './simulation.block';
import type {
  CostDistribution,
  DateBin,
  FinishDistribution,
  RiskEventResult,
  SimulationResult,
  TaskRisk,
  TornadoBar,
  ValueBin,
} from './simulation.types';

const MAX_DATE_BINS = 100;
const COST_BINS = 40;
const TORNADO_BARS = 20;

/** Merges the blocks in block order (whatever order they arrive in) into the result. */
export function summarizeSimulation(sim: CompiledSimulation, blocks: readonly BlockResult[]): SimulationResult {
  const ordered = [...blocks].sort((a, b) => a.block - b.block);
  if (ordered.length !== sim.blockCount || ordered.some((b, i) => b.block !== i)) {
    throw new RangeError(`expected blocks 0..${sim.blockCount - 1}, got ${ordered.map((b) => b.block).join(', ')}`);
  }
  const n = sim.settings.iterations;
  const finish = new Float64Array(n);
  const cost = new Float64Array(n);
  let offset = 0;
  for (const block of ordered) {
    finish.set(block.finish, offset);
    cost.set(block.cost, offset);
    offset += block.iterations;
  }
  const { tasks, riskEvents } = perTaskAndEvent(sim, ordered);
  const bars: TornadoBar[] = [
    ...tasks.map((t): TornadoBar => ({ kind: 'task', id: t.id, sensitivity: t.sensitivity ?? 0 })),
    ...riskEvents.map((e): TornadoBar => ({ kind: 'risk-event', id: e.id, sensitivity: e.sensitivity ?? 0 })),
  ];
  const tornado = sim.settings.sensitivity
    ? bars
        .filter((b) => b.sensitivity !== 0)
        .sort((a, b) => Math.abs(b.sensitivity) - Math.abs(a.sensitivity) || a.kind.localeCompare(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, TORNADO_BARS)
    : [];
  return {
    iterations: n,
    seed: sim.settings.seed,
    blockSize: sim.blockSize,
    planned: sim.planned,
    finish: finishDistribution(sim, finish),
    cost: costDistribution(sim, cost),
    tasks,
    riskEvents,
    tornado,
    correlationShrinkage: sim.correlation?.shrinkage ?? 0,
  };
}

function finishDistribution(sim: CompiledSimulation, finish: Float64Array): FinishDistribution {
  const { schedule } = sim;
  const dateOf = (workingDays: number): string => schedule.calendar.dateAt(dayIndexOf(schedule, workingDays));
  const { mean, standardDeviation } = moments(finish);
  const sorted = Float64Array.from(finish).sort();
  const n = sorted.length;
  const dayIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) dayIndex[i] = dayIndexOf(schedule, sorted[i]);
  const plannedDay = dayIndexOf(schedule, sim.planned.finishWorkingDays);
  const shareOnOrBefore = (day: number): number => upperBound(dayIndex, day) / n;
  return {
    percentiles: sim.settings.percentiles.map((percentile) => {
      const workingDays = sorted[nearestRank(percentile, n)];
      return { percentile, workingDays, date: dateOf(workingDays) };
    }),
    meanWorkingDays: mean,
    meanDate: dateOf(mean),
    standardDeviationWorkingDays: standardDeviation,
    earliest: dateOf(sorted[0]),
    latest: dateOf(sorted[n - 1]),
    histogram: dateHistogram(sim, dayIndex),
    ...(sim.targetDayIndex === undefined ? {} : { probabilityOfTarget: shareOnOrBefore(sim.targetDayIndex) }),
    probabilityOfPlannedFinish: shareOnOrBefore(plannedDay),
  };
}

/** One bar per working day, or per group of consecutive working days when the range is wider than 100 days. */
function dateHistogram(sim: CompiledSimulation, sortedDayIndex: Int32Array): DateBin[] {
  const n = sortedDayIndex.length;
  const lo = sortedDayIndex[0];
  const hi = sortedDayIndex[n - 1];
  const width = Math.ceil((hi - lo + 1) / MAX_DATE_BINS);
  const bins: DateBin[] = [];
  let seen = 0;
  for (let start = lo; start <= hi; start += width) {
    const last = Math.min(start + width - 1, hi);
    const upTo = upperBound(sortedDayIndex, last);
    bins.push({ date: sim.schedule.calendar.dateAt(last), count: upTo - seen, cumulative: upTo / n });
    seen = upTo;
  }
  return bins;
}

function costDistribution(sim: CompiledSimulation, cost: Float64Array): CostDistribution {
  const { mean, standardDeviation } = moments(cost);
  const sorted = Float64Array.from(cost).sort();
  const n = sorted.length;
  const min = sorted[0];
  const max = sorted[n - 1];
  const histogram: ValueBin[] = [];
  const bins = max > min ? COST_BINS : 1;
  let seen = 0;
  for (let k = 0; k < bins; k++) {
    const from = min + ((max - min) * k) / bins;
    const to = k === bins - 1 ? max : min + ((max - min) * (k + 1)) / bins;
    const upTo = k === bins - 1 ? n : lowerBound(sorted, to);
    histogram.push({ from, to, count: upTo - seen, cumulative: upTo / n });
    seen = upTo;
  }
  // The budget is a sum of the same parts the cost adds up, in another order: allow for rounding.
  const budget = sim.cost.budget;
  return {
    percentiles: sim.settings.percentiles.map((percentile) => ({ percentile, value: sorted[nearestRank(percentile, n)] })),
    mean,
    standardDeviation,
    histogram,
    probabilityWithinBudget: upperBound(sorted, budget + 1e-9 * Math.max(1, Math.abs(budget))) / n,
  };
}

function perTaskAndEvent(sim: CompiledSimulation, blocks: readonly BlockResult[]): { tasks: TaskRisk[]; riskEvents: RiskEventResult[] } {
  const n = sim.settings.iterations;
  const { criticality, sensitivity } = sim.settings;
  const critical = new Float64Array(sim.taskCount);
  const occurred = new Float64Array(sim.events.count);
  const sums = new Float64Array(sensitivity ? 3 * (sim.varying.length + sim.events.count) + 2 : 0);
  for (const block of blocks) {
    for (let v = 0; v < block.criticalCounts.length; v++) critical[v] += block.criticalCounts[v];
    for (let e = 0; e < occurred.length; e++) occurred[e] += block.eventCounts[e];
    for (let i = 0; i < sums.length; i++) sums[i] += block.sensitivitySums[i];
  }
  const variables = sim.varying.length + sim.events.count;
  const rho = (i: number): number => {
    const sx = sums[3 * i];
    const sxx = sums[3 * i + 1];
    const sxy = sums[3 * i + 2];
    const sy = sums[3 * variables];
    const syy = sums[3 * variables + 1];
    const denominator = Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    return denominator > 0 ? Math.max(-1, Math.min(1, (n * sxy - sx * sy) / denominator)) : 0;
  };
  const sensitivityOfTask = new Float64Array(sim.taskCount);
  if (sensitivity) sim.varying.forEach((v, slot) => (sensitivityOfTask[v] = rho(slot)));
  const tasks = sim.schedule.network.ids.map(
    (id, v): TaskRisk => ({
      id,
      ...(criticality ? { criticality: critical[v] / n } : {}),
      ...(sensitivity ? { sensitivity: sensitivityOfTask[v] } : {}),
    }),
  );
  const riskEvents = sim.events.ids.map(
    (id, e): RiskEventResult => ({
      id,
      occurrence: occurred[e] / n,
      ...(sensitivity ? { sensitivity: rho(sim.varying.length + e) } : {}),
    }),
  );
  return { tasks, riskEvents };
}

/** Mean, and the sample standard deviation by a second pass (no cancellation). */
function moments(values: Float64Array): { mean: number; standardDeviation: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, standardDeviation: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0 };
}

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
function nearestRank(percentile: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil((percentile / 100) * n) - 1));
}

/** Number of entries <= value in an ascending array (finish day indices or costs). */
function upperBound(sorted: Int32Array | Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries < value. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
