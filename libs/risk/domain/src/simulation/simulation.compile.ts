import { COMPLETED, IN_PROGRESS, compileSchedule, runPasses } from '@pm/shared/scheduling';
import type { CompiledSchedule, ScheduleInput } from '@pm/shared/scheduling';
import { compileCorrelations, compileRiskEvents } from './simulation.compile-risks';
import type { CompiledRiskEvents } from './simulation.compile-risks';
import type { CompiledCorrelation } from './correlation';
import { distributionCode, pertQuantileTable } from './distributions';
import { distributionKind, finiteNumber, inputError, simulationSettings, threePoint } from './simulation.input';
import type { SimulationSettings } from './simulation.input';
import { ThreePointSet } from './three-point.set';
import type { SimulationInput, SimulationTask } from './simulation.types';

/** Sampled durations are rounded to 1/64 working day: every sum in the passes stays exact, so a zero float is exactly 0. */
export const TICKS_PER_DAY = 64;
/** Per thread, a block keeps blockSize x (varying tasks + risk events) grades for the sensitivity: at most 4M of them. */
const GRADE_BUDGET = 4 * 1024 * 1024;
export const MAX_BLOCK_SIZE = 1024;
const MIN_BLOCK_SIZE = 64;

export interface CompiledCost {
  /** Fixed parts, completed tasks and the elapsed part of tasks in progress: the same in every iteration. */
  readonly constant: number;
  readonly tasks: Int32Array;
  /** Time-dependent budget per planned working day. */
  readonly rates: Float64Array;
  /** 1: the task is in progress and its sampled remaining work is what costs. */
  readonly inProgress: Uint8Array;
  /** The sum of the task budgets. */
  readonly budget: number;
}

/** A simulation input validated and turned into typed arrays once; every thread compiles the same one. */
export interface CompiledSimulation {
  readonly settings: SimulationSettings;
  readonly schedule: CompiledSchedule;
  readonly taskCount: number;
  readonly blockSize: number;
  readonly blockCount: number;
  /** Durations (unstarted tasks) and remaining work (tasks in progress) before sampling, in working days. */
  readonly baseDurations: Float64Array;
  readonly baseRemaining: Float64Array;
  /** Task index of each varying slot, whether it is in progress (its remaining work varies), and its three-point. */
  readonly varying: Int32Array;
  readonly varyingInProgress: Uint8Array;
  readonly estimates: ThreePointSet;
  readonly correlation: CompiledCorrelation | undefined;
  readonly events: CompiledRiskEvents;
  readonly cost: CompiledCost;
  readonly planned: { readonly finishWorkingDays: number; readonly finishDate: string; readonly cost: number };
  /** Working-day index of the target date (last working day on or before it). */
  readonly targetDayIndex: number | undefined;
  readonly pertTable: Float64Array;
}

export function compileSimulation(input: SimulationInput): CompiledSimulation {
  const settings = simulationSettings(input);
  const schedule = compileSchedule(toScheduleInput(input));
  const { plan, network } = schedule;
  const n = network.taskCount;
  const baseDurations = Float64Array.from(plan.duration);
  const baseRemaining = Float64Array.from(plan.remaining);
  const varying: number[] = [];
  const inProgress: number[] = [];
  const estimates: [number, number, number, number][] = [];
  const slotOf = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    const three = taskThreePoint(input.tasks[v], v, schedule, settings);
    if (three === undefined) continue;
    slotOf[v] = varying.length;
    varying.push(v);
    inProgress.push(plan.status[v] === IN_PROGRESS ? 1 : 0);
    estimates.push(three);
  }
  const set = new ThreePointSet(varying.length);
  estimates.forEach(([a, m, b, kind], slot) => set.set(slot, a, m, b, kind));
  const correlation = compileCorrelations(input.correlations, network.indexOf, slotOf);
  const events = compileRiskEvents(input.riskEvents, schedule);
  const cost = compileCost(input, schedule);
  const gradesPerIteration = Math.max(1, varying.length + events.count);
  let blockSize = MAX_BLOCK_SIZE;
  while (blockSize > MIN_BLOCK_SIZE && blockSize * gradesPerIteration > GRADE_BUDGET) blockSize /= 2;
  const passes = runPasses(network, plan);
  const planned = {
    finishWorkingDays: passes.projectFinish,
    finishDate: schedule.calendar.dateAt(dayIndexOf(schedule, passes.projectFinish)),
    cost: cost.budget,
  };
  return {
    settings,
    schedule,
    taskCount: n,
    blockSize,
    blockCount: Math.ceil(settings.iterations / blockSize),
    baseDurations,
    baseRemaining,
    varying: Int32Array.from(varying),
    varyingInProgress: Uint8Array.from(inProgress),
    estimates: set,
    correlation,
    events,
    cost,
    planned,
    targetDayIndex: targetDayIndex(input, schedule),
    pertTable: pertQuantileTable(),
  };
}

/**
 * The working day on which a finish at `workingDays` (a boundary, possibly fractional) falls, as the engine shows
 * it: work ending at boundary b ends on day b - 1; at the start floor (project start or status date) the finish
 * is a milestone shown on that day. Before the floor only completed work can end, on day b - 1.
 */
export function dayIndexOf(schedule: CompiledSchedule, workingDays: number): number {
  const boundary = Math.ceil(workingDays);
  return boundary < schedule.boundaries.startFloor ? boundary - 1 : schedule.boundaries.milestoneDayIndex(boundary);
}

function toScheduleInput(input: SimulationInput): ScheduleInput {
  if (!Array.isArray(input.tasks) || !Array.isArray(input.links)) throw inputError('input', 'needs tasks and links arrays');
  return {
    projectStart: input.projectStart,
    statusDate: input.statusDate,
    calendar: input.calendar,
    tasks: input.tasks.map((t) => ({ id: t?.id, duration: t?.duration, constraint: t?.constraint, progress: t?.progress })),
    links: input.links,
  };
}

/**
 * [a, m, b, kind] of the work a task still has to do, or undefined when it does not vary. A completed task is a
 * fact. The estimate describes the whole task: when the work left differs from the planned duration (in
 * progress, or re-estimated with a remaining duration), it is scaled by work left / planned duration; without an
 * estimate the tenant's spread applies around the work left.
 */
function taskThreePoint(
  task: SimulationTask,
  v: number,
  schedule: CompiledSchedule,
  settings: SimulationSettings,
): [number, number, number, number] | undefined {
  const { plan } = schedule;
  const path = `tasks[${v}]`;
  const estimate = task.estimate === undefined ? undefined : threePoint(task.estimate, `${path}.estimate`, 0);
  const kind = distributionKind(task.distribution, `${path}.distribution`, estimate ? 'pert' : settings.spread.distribution);
  if (plan.status[v] === COMPLETED) return undefined;
  const reEstimated = plan.status[v] !== IN_PROGRESS && task.progress?.remainingDuration !== undefined;
  const workLeft = plan.status[v] === IN_PROGRESS ? plan.remaining[v] : reEstimated ? (task.progress?.remainingDuration as number) : task.duration;
  let a: number;
  let m: number;
  let b: number;
  if (estimate) {
    const scale = workLeft === task.duration ? 1 : task.duration > 0 ? workLeft / task.duration : 0;
    a = estimate.optimistic * scale;
    m = estimate.mostLikely * scale;
    b = estimate.pessimistic * scale;
  } else {
    a = workLeft * (1 + settings.spread.optimistic);
    m = workLeft;
    b = workLeft * (1 + settings.spread.pessimistic);
  }
  if (!(b > a)) return undefined;
  return [a, m, b, distributionCode(kind)];
}

function compileCost(input: SimulationInput, schedule: CompiledSchedule): CompiledCost {
  const { plan } = schedule;
  let constant = 0;
  let budget = 0;
  const tasks: number[] = [];
  const rates: number[] = [];
  const inProgress: number[] = [];
  input.tasks.forEach((task, v) => {
    if (task.cost === undefined) return;
    const fixed = finiteNumber(task.cost.fixed ?? 0, `tasks[${v}].cost.fixed`, 0);
    const timeDependent = finiteNumber(task.cost.timeDependent ?? 0, `tasks[${v}].cost.timeDependent`, 0);
    budget += fixed + timeDependent;
    // A milestone has no duration to scale by: its whole budget is fixed.
    const rate = task.duration > 0 ? timeDependent / task.duration : 0;
    constant += fixed + (task.duration > 0 ? 0 : timeDependent);
    if (rate === 0) return;
    if (plan.status[v] === COMPLETED) {
      constant += rate * (plan.actualFinish[v] - plan.actualStart[v]);
      return;
    }
    if (plan.status[v] === IN_PROGRESS) constant += rate * Math.max(0, plan.statusBoundary - plan.actualStart[v]);
    tasks.push(v);
    rates.push(rate);
    inProgress.push(plan.status[v] === IN_PROGRESS ? 1 : 0);
  });
  return { constant, tasks: Int32Array.from(tasks), rates: Float64Array.from(rates), inProgress: Uint8Array.from(inProgress), budget };
}

function targetDayIndex(input: SimulationInput, schedule: CompiledSchedule): number | undefined {
  if (input.targetDate === undefined) return undefined;
  try {
    return schedule.calendar.indexOnOrBefore(input.targetDate);
  } catch {
    throw inputError('targetDate', 'must be a YYYY-MM-DD calendar date');
  }
}
