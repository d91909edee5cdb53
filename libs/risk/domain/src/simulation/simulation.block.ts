import { COMPLETED, createPassBuffers, runPassesInto } from '@pm/shared/scheduling';
import type { PassBuffers } from '@pm/shared/scheduling';
import { correlateGrades } from './correlation';
import { BlockStreams } from './random';
import { MAX_BLOCK_SIZE, TICKS_PER_DAY } from './simulation.compile';
import type { CompiledSimulation } from './simulation.compile';
import { sampleAt } from './three-point.set';

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
  readonly grades: Float64Array;
  readonly normals: Float64Array;
  /** blockSize x varying slots, and blockSize x risk events: the grades the sensitivity needs at the block's end. */
  readonly gradeStore: Float32Array;
  readonly occurrenceStore: Uint8Array;
  readonly keys: Float64Array;
  readonly finishGrades: Float64Array;
  readonly streams: BlockStreams;
}

export function createBlockWorkspace(sim: CompiledSimulation): BlockWorkspace {
  const slots = sim.varying.length;
  const keep = sim.settings.sensitivity ? sim.blockSize : 0;
  return {
    durations: new Float64Array(sim.taskCount),
    remaining: new Float64Array(sim.taskCount),
    passes: createPassBuffers(sim.taskCount),
    grades: new Float64Array(slots),
    normals: new Float64Array(sim.correlation?.members.length ?? 0),
    gradeStore: new Float32Array(keep * slots),
    occurrenceStore: new Uint8Array(keep * sim.events.count),
    keys: new Float64Array(sim.blockSize),
    finishGrades: new Float64Array(sim.blockSize),
    streams: new BlockStreams(sim.settings.seed),
  };
}

/** Iterations [block * blockSize, ...) of the simulation: the hot loop, on typed arrays only. */
export function runSimulationBlock(sim: CompiledSimulation, block: number, workspace: BlockWorkspace = createBlockWorkspace(sim)): BlockResult {
  const count = Math.min(sim.blockSize, sim.settings.iterations - block * sim.blockSize);
  if (!Number.isInteger(block) || block < 0 || count <= 0) throw new RangeError(`block ${block} is not in [0, ${sim.blockCount})`);
  const { network, plan } = sim.schedule;
  const { varying, varyingInProgress, estimates, correlation, events, cost, pertTable, baseDurations, baseRemaining } = sim;
  const { durations, remaining, passes, grades, normals, gradeStore, occurrenceStore } = workspace;
  const { criticality, sensitivity } = sim.settings;
  const slots = varying.length;
  const eventCount = events.count;
  const random = workspace.streams.forBlock(block);
  const taskRandom = random.tasks;
  const eventRandom = random.events;
  const finishOut = new Float64Array(count);
  const costOut = new Float64Array(count);
  const criticalCounts = new Int32Array(criticality ? sim.taskCount : 0);
  const eventCounts = new Int32Array(eventCount);
  const status = plan.status;
  const totalFloat = passes.totalFloat;
  // Local bindings: an imported function is read through a CommonJS export getter at every call otherwise.
  const sample = sampleAt;
  const passesInto = runPassesInto;
  const correlate = correlateGrades;

  for (let t = 0; t < count; t++) {
    durations.set(baseDurations);
    remaining.set(baseRemaining);
    for (let s = 0; s < slots; s++) grades[s] = taskRandom.nextUniform();
    if (correlation !== undefined) correlate(correlation, grades, normals);
    for (let s = 0; s < slots; s++) {
      const value = Math.round(sample(estimates, s, grades[s], pertTable) * TICKS_PER_DAY) / TICKS_PER_DAY;
      if (varyingInProgress[s] === 1) remaining[varying[s]] = value;
      else durations[varying[s]] = value;
    }
    let eventCost = 0;
    for (let e = 0; e < eventCount; e++) {
      // Two draws per event whether or not it occurs, so each event keeps its own numbers in every iteration.
      const occurrence = eventRandom.nextUniform();
      const severity = eventRandom.nextUniform();
      const hit = occurrence < events.probability[e];
      if (sensitivity) occurrenceStore[t * eventCount + e] = hit ? 1 : 0;
      if (!hit) continue;
      eventCounts[e]++;
      eventCost += sample(events.cost, e, severity, pertTable);
      for (let k = events.impactOffsets[e], end = events.impactOffsets[e + 1]; k < end; k++) {
        const delay = Math.round(sample(events.impactDays, k, severity, pertTable) * TICKS_PER_DAY) / TICKS_PER_DAY;
        const v = events.impactTask[k];
        if (events.impactInProgress[k] === 1) remaining[v] = Math.max(0, remaining[v] + delay);
        else durations[v] = Math.max(0, durations[v] + delay);
      }
    }
    finishOut[t] = passesInto(network, plan, passes, durations, remaining);
    if (criticality) {
      for (let v = 0; v < totalFloat.length; v++) if (totalFloat[v] <= 0 && status[v] !== COMPLETED) criticalCounts[v]++;
    }
    let total = cost.constant + eventCost;
    for (let k = 0; k < cost.tasks.length; k++) {
      const v = cost.tasks[k];
      total += cost.rates[k] * (cost.inProgress[k] === 1 ? remaining[v] : durations[v]);
    }
    costOut[t] = total;
    if (sensitivity) gradeStore.set(grades, t * slots);
  }
  const sensitivitySums = sensitivity ? sensitivitySumsOf(sim, workspace, finishOut) : new Float64Array(0);
  return { block, iterations: count, finish: finishOut, cost: costOut, criticalCounts, eventCounts, sensitivitySums };
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
