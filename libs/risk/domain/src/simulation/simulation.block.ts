import { COMPLETED, createPassBuffers, runPassesInto } from '@pm/shared/scheduling';
import type { PassBuffers } from '@pm/shared/scheduling';
import { correlateGrades } from './correlation';
import { BlockStreams } from './random';
import type { Xoshiro128 } from './random';
import { MAX_BLOCK_SIZE, TICKS_PER_DAY } from './simulation.compile';
import type { CompiledSimulation } from './simulation.compile';
import { quantilesInto } from './three-point.set';

/**
 * What one block of iterations contributes; blocks are merged in block order, so the result is the same whichever
 * thread ran which block. Plain typed arrays: a worker thread transfers them without copying.
 */
export interface BlockResult {
  readonly block: number;
  readonly iterations: number;
  /** Project finish per iteration, in working days from the project start. */
  readonly finish: Float64Array<ArrayBuffer>;
  readonly cost: Float64Array<ArrayBuffer>;
  /** Per task, the iterations in which it was critical (empty when criticality is off). */
  readonly criticalCounts: Int32Array<ArrayBuffer>;
  readonly eventCounts: Int32Array<ArrayBuffer>;
  /**
   * For the Spearman sensitivity (empty when off): Σg, Σg², Σg·G for each varying task slot and then each risk event
   * (g: the task's grade, or the event's occurrence 0/1; G: the finish's grade), then ΣG and ΣG².
   */
  readonly sensitivitySums: Float64Array<ArrayBuffer>;
}

/** Everything a thread reuses from block to block: after it is made, an iteration allocates nothing. */
export interface BlockWorkspace {
  readonly durations: Float64Array;
  readonly remaining: Float64Array;
  readonly passes: PassBuffers;
  /** Per varying slot: its grade, and the sampled value. */
  readonly grades: Float64Array;
  readonly values: Float64Array;
  /** Scratch of the correlation: one entry per correlated task, twice. */
  readonly normals: Float64Array;
  readonly correlated: Float64Array;
  /** Per risk event: occurrence and severity draws (interleaved), severity, sampled cost; per impact: grade, days. */
  readonly eventDraws: Float64Array;
  readonly severity: Float64Array;
  readonly eventCosts: Float64Array;
  readonly impactGrades: Float64Array;
  readonly impactDays: Float64Array;
  /** [0]: the current iteration's risk-event cost. */
  readonly scratch: Float64Array;
  /** blockSize x varying slots, and blockSize x risk events: the grades the sensitivity needs at the block's end. */
  readonly gradeStore: Float32Array;
  readonly occurrenceStore: Uint8Array;
  readonly keys: Float64Array;
  readonly finishGrades: Float64Array;
  readonly streams: BlockStreams;
}

export function createBlockWorkspace(sim: CompiledSimulation): BlockWorkspace {
  const slots = sim.varying.length;
  const events = sim.events.count;
  const impacts = sim.events.impactTask.length;
  const keep = sim.settings.sensitivity ? sim.blockSize : 0;
  return {
    durations: new Float64Array(sim.taskCount),
    remaining: new Float64Array(sim.taskCount),
    passes: createPassBuffers(sim.taskCount),
    grades: new Float64Array(slots),
    values: new Float64Array(slots),
    normals: new Float64Array(sim.correlation?.members.length ?? 0),
    correlated: new Float64Array(sim.correlation?.members.length ?? 0),
    eventDraws: new Float64Array(2 * events),
    severity: new Float64Array(events),
    eventCosts: new Float64Array(events),
    impactGrades: new Float64Array(impacts),
    impactDays: new Float64Array(impacts),
    scratch: new Float64Array(1),
    gradeStore: new Float32Array(keep * slots),
    occurrenceStore: new Uint8Array(keep * events),
    keys: new Float64Array(sim.blockSize),
    finishGrades: new Float64Array(sim.blockSize),
    streams: new BlockStreams(sim.settings.seed),
  };
}

/*
 * The hot loop. Its helpers work on whole typed arrays and return nothing: V8 boxes a number returned from (or
 * passed to) a call it does not inline, and one box per task would be an allocation per task per iteration.
 */

/** Iterations [block * blockSize, ...) of the simulation. */
export function runSimulationBlock(sim: CompiledSimulation, block: number, workspace: BlockWorkspace = createBlockWorkspace(sim)): BlockResult {
  const count = Math.min(sim.blockSize, sim.settings.iterations - block * sim.blockSize);
  if (!Number.isInteger(block) || block < 0 || count <= 0) throw new RangeError(`block ${block} is not in [0, ${sim.blockCount})`);
  const { network, plan } = sim.schedule;
  const { durations, remaining, passes, grades, gradeStore, scratch } = workspace;
  const { criticality, sensitivity } = sim.settings;
  const { tasks: taskRandom, events: eventRandom } = workspace.streams.forBlock(block);
  const finish = new Float64Array(count);
  const cost = new Float64Array(count);
  const criticalCounts = new Int32Array(criticality ? sim.taskCount : 0);
  const eventCounts = new Int32Array(sim.events.count);
  const slots = sim.varying.length;
  for (let t = 0; t < count; t++) {
    drawTasks(sim, workspace, taskRandom);
    drawRiskEvents(sim, workspace, eventRandom, eventCounts, t);
    finish[t] = runPassesInto(network, plan, passes, durations, remaining);
    if (criticality) countCritical(plan.status, passes.totalFloat, criticalCounts);
    costOf(sim, workspace);
    cost[t] = scratch[0];
    if (sensitivity) gradeStore.set(grades, t * slots);
  }
  const sensitivitySums = sensitivity ? sensitivitySumsOf(sim, workspace, finish) : new Float64Array(0);
  return { block, iterations: count, finish, cost, criticalCounts, eventCounts, sensitivitySums };
}

/** Grades (correlated where asked), then durations and remaining work, rounded to 1/64 day. */
function drawTasks(sim: CompiledSimulation, workspace: BlockWorkspace, random: Xoshiro128): void {
  const { durations, remaining, grades, values, normals, correlated } = workspace;
  const { varying, varyingInProgress, correlation } = sim;
  const slots = varying.length;
  durations.set(sim.baseDurations);
  remaining.set(sim.baseRemaining);
  random.fillUniforms(grades, slots);
  if (correlation !== undefined) correlateGrades(correlation, grades, normals, correlated);
  quantilesInto(sim.estimates, grades, values, slots, sim.pertTable);
  for (let s = 0; s < slots; s++) {
    const value = Math.round(values[s] * TICKS_PER_DAY) / TICKS_PER_DAY;
    if (varyingInProgress[s] === 1) remaining[varying[s]] = value;
    else durations[varying[s]] = value;
  }
}

/**
 * Two draws per event, whether or not it occurs, so each event keeps its own numbers in every iteration. The
 * severity grade reads the cost and every impact; the occurred events' delays are added and their cost is left
 * in scratch[0].
 */
function drawRiskEvents(sim: CompiledSimulation, workspace: BlockWorkspace, random: Xoshiro128, counts: Int32Array, t: number): void {
  const { durations, remaining, eventDraws, severity, eventCosts, impactGrades, impactDays, occurrenceStore, scratch } = workspace;
  const events = sim.events;
  const eventCount = events.count;
  scratch[0] = 0;
  if (eventCount === 0) return;
  random.fillUniforms(eventDraws, 2 * eventCount);
  for (let e = 0; e < eventCount; e++) severity[e] = eventDraws[2 * e + 1];
  const impactCount = impactGrades.length;
  for (let k = 0; k < impactCount; k++) impactGrades[k] = severity[events.impactEvent[k]];
  quantilesInto(events.cost, severity, eventCosts, eventCount, sim.pertTable);
  quantilesInto(events.impactDays, impactGrades, impactDays, impactCount, sim.pertTable);
  const keep = sim.settings.sensitivity;
  let eventCost = 0;
  for (let e = 0; e < eventCount; e++) {
    const hit = eventDraws[2 * e] < events.probability[e];
    if (keep) occurrenceStore[t * eventCount + e] = hit ? 1 : 0;
    if (!hit) continue;
    counts[e]++;
    eventCost += eventCosts[e];
    for (let k = events.impactOffsets[e], end = events.impactOffsets[e + 1]; k < end; k++) {
      const delay = Math.round(impactDays[k] * TICKS_PER_DAY) / TICKS_PER_DAY;
      const v = events.impactTask[k];
      if (events.impactInProgress[k] === 1) remaining[v] = Math.max(0, remaining[v] + delay);
      else durations[v] = Math.max(0, durations[v] + delay);
    }
  }
  scratch[0] = eventCost;
}

function countCritical(status: Uint8Array, totalFloat: Float64Array, counts: Int32Array): void {
  for (let v = 0; v < totalFloat.length; v++) if (totalFloat[v] <= 0 && status[v] !== COMPLETED) counts[v]++;
}

/** The iteration's total cost into scratch[0] (which holds the risk events' cost on entry). */
function costOf(sim: CompiledSimulation, workspace: BlockWorkspace): void {
  const { durations, remaining, scratch } = workspace;
  const { tasks, rates, inProgress } = sim.cost;
  let total = sim.cost.constant + scratch[0];
  for (let k = 0; k < tasks.length; k++) {
    const v = tasks[k];
    total += rates[k] * (inProgress[k] === 1 ? remaining[v] : durations[v]);
  }
  scratch[0] = total;
}

/**
 * Spearman's ρ is the Pearson correlation of the two variables' grades (their CDF values). A task's grade is its
 * draw u itself: durations come from inverse transforms, so u is exactly the duration's population grade and
 * needs no ranking. The finish's grade G is its mid-rank within the block over the block size. Only the block's
 * grades are kept (blockSize x slots float32), whatever the number of iterations.
 */
function sensitivitySumsOf(sim: CompiledSimulation, workspace: BlockWorkspace, finish: Float64Array): Float64Array<ArrayBuffer> {
  const { keys, finishGrades, gradeStore, occurrenceStore } = workspace;
  const count = finish.length;
  const slots = sim.varying.length;
  const eventCount = sim.events.count;
  for (let t = 0; t < count; t++) keys[t] = Math.round(finish[t] * TICKS_PER_DAY) * MAX_BLOCK_SIZE + t;
  const sorted = keys.subarray(0, count).sort();
  for (let i = 0; i < count; ) {
    const value = Math.floor(sorted[i] / MAX_BLOCK_SIZE);
    let j = i;
    while (j + 1 < count && Math.floor(sorted[j + 1] / MAX_BLOCK_SIZE) === value) j++;
    const grade = ((i + j) / 2 + 0.5) / count;
    for (let q = i; q <= j; q++) finishGrades[sorted[q] % MAX_BLOCK_SIZE] = grade;
    i = j + 1;
  }
  const variables = slots + eventCount;
  const sums = new Float64Array(3 * variables + 2);
  for (let t = 0; t < count; t++) {
    const G = finishGrades[t];
    sums[3 * variables] += G;
    sums[3 * variables + 1] += G * G;
    for (let s = 0, row = t * slots; s < slots; s++) {
      const g = gradeStore[row + s];
      sums[3 * s] += g;
      sums[3 * s + 1] += g * g;
      sums[3 * s + 2] += g * G;
    }
    for (let e = 0, row = t * eventCount; e < eventCount; e++) {
      const x = occurrenceStore[row + e];
      const o = 3 * (slots + e);
      sums[o] += x;
      sums[o + 1] += x;
      sums[o + 2] += x * G;
    }
  }
  return sums;
}
