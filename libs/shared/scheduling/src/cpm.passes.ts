import { LINK_FF, LINK_FS, LINK_SF, LINK_SS } from './network';
import type { ScheduleNetwork } from './network';

export const NOT_STARTED = 0;
export const IN_PROGRESS = 1;
export const COMPLETED = 2;

export const CONSTRAINT_NONE = 0;
export const CONSTRAINT_SNET = 1;
export const CONSTRAINT_SNLT = 2;
export const CONSTRAINT_FNET = 3;
export const CONSTRAINT_FNLT = 4;
export const CONSTRAINT_MSO = 5;
export const CONSTRAINT_MFO = 6;

/**
 * Everything the passes need about the tasks, as typed arrays indexed like the network, with every date already
 * turned into a working-day boundary (see schedule.compile.ts for the conversions).
 */
export interface TaskPlan {
  /** Planned duration in working days. */
  readonly duration: Int32Array;
  /** NOT_STARTED | IN_PROGRESS | COMPLETED */
  readonly status: Uint8Array;
  /** Boundary of the actual start (in progress, completed). */
  readonly actualStart: Int32Array;
  /** Boundary of the actual finish (completed). */
  readonly actualFinish: Int32Array;
  /** Working days left (in progress). */
  readonly remaining: Int32Array;
  readonly constraintType: Uint8Array;
  /** The constraint date as a start boundary (SNET, SNLT, MSO) or a finish boundary (FNET, FNLT, MFO). */
  readonly constraintBoundary: Int32Array;
  /** No unstarted work starts before this boundary: the project start, or the status date when later. */
  readonly startFloor: number;
  /** The status date boundary, or -Infinity without a status date. */
  readonly statusBoundary: number;
}

export interface PassResult extends PassBuffers {
  /** Largest early finish (0 for no tasks). */
  readonly projectFinish: number;
}

/** The passes' output arrays, each of length taskCount. A Monte Carlo allocates one set and reuses it every iteration. */
export interface PassBuffers {
  readonly earlyStart: Float64Array;
  readonly earlyFinish: Float64Array;
  readonly lateStart: Float64Array;
  readonly lateFinish: Float64Array;
  readonly totalFloat: Float64Array;
  readonly freeFloat: Float64Array;
}

export function createPassBuffers(taskCount: number): PassBuffers {
  return {
    earlyStart: new Float64Array(taskCount),
    earlyFinish: new Float64Array(taskCount),
    lateStart: new Float64Array(taskCount),
    lateFinish: new Float64Array(taskCount),
    totalFloat: new Float64Array(taskCount),
    freeFloat: new Float64Array(taskCount),
  };
}

/**
 * Forward and backward pass over the topological order: O(tasks + links), no allocation per task or link.
 * `durations` defaults to the plan's; a Monte Carlo passes sampled ones against the same compiled network.
 *
 * Which links count (progress override, as P6 names it): nothing drives a completed task; only FF and SF links
 * drive a started task's (remaining) finish, its start being history; a started task's SS and SF links out of it
 * do not bound its late finish. Times are float64 so a pathological sum of lags cannot wrap around.
 */
export function runPasses(network: ScheduleNetwork, plan: TaskPlan, durations: ArrayLike<number> = plan.duration): PassResult {
  const buffers = createPassBuffers(network.taskCount);
  const projectFinish = runPassesInto(network, plan, buffers, durations);
  return { ...buffers, projectFinish };
}

/**
 * The same passes into caller-owned buffers (see createPassBuffers); returns the project finish. It allocates
 * nothing, so a Monte Carlo can run it thousands of times on one compiled network. `durations` (unstarted tasks)
 * and `remaining` (tasks in progress; default plan.remaining) may be sampled and fractional: times are then
 * fractions of working-day boundaries, and a finish at 12.25 falls in working day 12.
 */
export function runPassesInto(
  network: ScheduleNetwork,
  plan: TaskPlan,
  out: PassBuffers,
  durations: ArrayLike<number> = plan.duration,
  remaining: ArrayLike<number> = plan.remaining,
): number {
  const projectFinish = forwardPass(network, plan, durations, remaining, out.earlyStart, out.earlyFinish);
  backwardPass(network, plan, out, projectFinish);
  return projectFinish;
}

function forwardPass(
  network: ScheduleNetwork,
  plan: TaskPlan,
  durations: ArrayLike<number>,
  remaining: ArrayLike<number>,
  es: Float64Array,
  ef: Float64Array,
): number {
  const { topologicalOrder: order, predecessorOffsets: offsets, predecessorTask: from } = network;
  const { predecessorType: types, predecessorLag: lags } = network;
  const { status, actualStart, actualFinish, constraintType, constraintBoundary } = plan;
  const { startFloor, statusBoundary } = plan;
  let projectFinish = 0;
  for (let t = 0; t < order.length; t++) {
    const v = order[t];
    const state = status[v];
    if (state === COMPLETED) {
      es[v] = actualStart[v];
      ef[v] = actualFinish[v];
    } else if (state === IN_PROGRESS) {
      let finish = Math.max(statusBoundary, actualStart[v]) + remaining[v];
      for (let k = offsets[v], end = offsets[v + 1]; k < end; k++) {
        const type = types[k];
        const c = type === LINK_FF ? ef[from[k]] + lags[k] : type === LINK_SF ? es[from[k]] + lags[k] : -Infinity;
        if (c > finish) finish = c;
      }
      es[v] = actualStart[v];
      ef[v] = finish;
    } else {
      const d = durations[v];
      let start = startFloor;
      for (let k = offsets[v], end = offsets[v + 1]; k < end; k++) {
        const u = from[k];
        let c: number;
        switch (types[k]) {
          case LINK_FS:
            c = ef[u] + lags[k];
            break;
          case LINK_SS:
            c = es[u] + lags[k];
            break;
          case LINK_FF:
            c = ef[u] + lags[k] - d;
            break;
          default:
            c = es[u] + lags[k] - d;
        }
        if (c > start) start = c;
      }
      start = applyEarlyConstraint(constraintType[v], constraintBoundary[v], d, start, statusBoundary);
      es[v] = start;
      ef[v] = start + d;
    }
    if (ef[v] > projectFinish) projectFinish = ef[v];
  }
  return projectFinish;
}

/** SNET/FNET push the start later; MSO/MFO pin it (but no unstarted work goes before the status date). */
function applyEarlyConstraint(type: number, boundary: number, d: number, start: number, statusBoundary: number): number {
  switch (type) {
    case CONSTRAINT_SNET:
      return Math.max(start, boundary);
    case CONSTRAINT_FNET:
      return Math.max(start, boundary - d);
    case CONSTRAINT_MSO:
      return Math.max(boundary, statusBoundary);
    case CONSTRAINT_MFO:
      return Math.max(boundary - d, statusBoundary);
    default:
      return start;
  }
}

function backwardPass(network: ScheduleNetwork, plan: TaskPlan, out: PassBuffers, projectFinish: number): void {
  const { topologicalOrder: order, successorOffsets: offsets, successorTask: to } = network;
  const { successorType: types, successorLag: lags } = network;
  const { status, constraintType, constraintBoundary } = plan;
  const { earlyStart: es, earlyFinish: ef, lateStart: ls, lateFinish: lf, totalFloat: tf, freeFloat: ff } = out;
  // A number: the parameter arrives tagged, and a loop variable started from it would box every value it takes.
  const projectEnd = +projectFinish;
  for (let t = order.length - 1; t >= 0; t--) {
    const v = order[t];
    const state = status[v];
    if (state === COMPLETED) {
      ls[v] = es[v];
      lf[v] = ef[v];
      tf[v] = 0; // reported as 0 anyway; written so that reused buffers hold no stale value
      ff[v] = 0;
      continue;
    }
    const span = ef[v] - es[v];
    let finish = projectEnd;
    // Free float: delay that moves no successor and not the project finish (MS Project's free slack).
    let free = projectEnd - ef[v];
    for (let k = offsets[v], end = offsets[v + 1]; k < end; k++) {
      const w = to[k];
      const type = types[k];
      if (!isLinkLive(state, status[w], type)) continue;
      const lag = lags[k];
      let limit: number;
      let slack: number;
      switch (type) {
        case LINK_FS:
          limit = ls[w] - lag;
          slack = es[w] - ef[v] - lag;
          break;
        case LINK_SS:
          limit = ls[w] - lag + span;
          slack = es[w] - es[v] - lag;
          break;
        case LINK_FF:
          limit = lf[w] - lag;
          slack = ef[w] - ef[v] - lag;
          break;
        default:
          limit = lf[w] - lag + span;
          slack = ef[w] - es[v] - lag;
      }
      if (limit < finish) finish = limit;
      if (slack < free) free = slack;
    }
    finish = applyLateConstraint(state, constraintType[v], constraintBoundary[v], span, ef[v], finish);
    const total = finish - ef[v];
    lf[v] = finish;
    ls[v] = state === IN_PROGRESS ? es[v] : finish - span;
    tf[v] = total;
    ff[v] = free < 0 ? 0 : free > total ? Math.max(total, 0) : free;
  }
}

/** Whether a link from a task in state `from` to one in state `to` constrains dates (see runPasses). */
export function isLinkLive(from: number, to: number, type: number): boolean {
  if (to === COMPLETED || from === COMPLETED) return false;
  if (to === IN_PROGRESS && (type === LINK_FS || type === LINK_SS)) return false;
  return !(from === IN_PROGRESS && (type === LINK_SS || type === LINK_SF));
}

/** SNLT/FNLT cap the late finish (possibly below the early one: negative float); MSO/MFO keep late = early. */
function applyLateConstraint(state: number, type: number, boundary: number, span: number, earlyFinish: number, finish: number): number {
  switch (type) {
    case CONSTRAINT_SNLT:
      return state === NOT_STARTED ? Math.min(finish, boundary + span) : finish;
    case CONSTRAINT_MSO:
      return state === NOT_STARTED ? Math.min(finish, earlyFinish) : finish;
    case CONSTRAINT_FNLT:
      return Math.min(finish, boundary);
    case CONSTRAINT_MFO:
      return Math.min(finish, state === NOT_STARTED ? earlyFinish : boundary);
    default:
      return finish;
  }
}
