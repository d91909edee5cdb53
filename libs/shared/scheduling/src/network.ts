import { wholeWorkingDays } from './calendar';
import { ScheduleCycleError, ScheduleInputError, ScheduleUnknownTaskError } from './errors';
import type { LinkType, ScheduleLinkInput } from './schedule.types';
import { endsStretch, runSteps } from './steps';
import type { Steps } from './steps';

export const LINK_FS = 0;
export const LINK_SS = 1;
export const LINK_FF = 2;
export const LINK_SF = 3;

/** Beyond this a lag or duration is certainly a unit mistake (more than 10,000 years of working days). */
export const MAX_WORKING_DAYS = 3_000_000;

/**
 * The dependency graph indexed once: task i is ids[i]; links are kept twice in CSR form (by successor for the
 * forward pass, by predecessor for the backward pass) and `topologicalOrder` comes from Kahn's algorithm.
 * Compile once, run the passes many times (a Monte Carlo only changes durations).
 */
export interface ScheduleNetwork {
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly taskCount: number;
  readonly linkCount: number;
  /** Incoming links of task v: k in [predecessorOffsets[v], predecessorOffsets[v + 1]). */
  readonly predecessorOffsets: Int32Array;
  readonly predecessorTask: Int32Array;
  readonly predecessorType: Uint8Array;
  readonly predecessorLag: Int32Array;
  /** Outgoing links of task v: k in [successorOffsets[v], successorOffsets[v + 1]). */
  readonly successorOffsets: Int32Array;
  readonly successorTask: Int32Array;
  readonly successorType: Uint8Array;
  readonly successorLag: Int32Array;
  readonly topologicalOrder: Int32Array;
}

type Graph = Omit<ScheduleNetwork, 'topologicalOrder'>;

/** Indexes the tasks and links; throws ScheduleCycleError, ScheduleUnknownTaskError or ScheduleInputError. */
export function compileNetwork(taskIds: readonly string[], links: readonly ScheduleLinkInput[]): ScheduleNetwork {
  return runSteps(compileNetworkInSteps(taskIds, links));
}

/** {@link compileNetwork} in steps (steps.ts): it pauses every STEP_ITERATIONS tasks or links. */
export function* compileNetworkInSteps(taskIds: readonly string[], links: readonly ScheduleLinkInput[]): Steps<ScheduleNetwork> {
  const graph = yield* buildGraph(taskIds, links);
  const order = yield* kahnOrder(graph);
  if (order.length < graph.taskCount) throw new ScheduleCycleError(extractCycle(graph, order));
  return { ...graph, topologicalOrder: order };
}

/** The task ids around a cycle (each linked to the next, the last to the first), or null when the links are acyclic. */
export function findCycle(taskIds: readonly string[], links: readonly ScheduleLinkInput[]): string[] | null {
  const graph = runSteps(buildGraph(taskIds, links));
  const order = runSteps(kahnOrder(graph));
  return order.length < graph.taskCount ? extractCycle(graph, order) : null;
}

export function linkTypeCode(type: LinkType, path: string): number {
  switch (type) {
    case 'FS':
      return LINK_FS;
    case 'SS':
      return LINK_SS;
    case 'FF':
      return LINK_FF;
    case 'SF':
      return LINK_SF;
    default:
      throw new ScheduleInputError(path, `link type "${String(type)}" is not FS, SS, FF or SF`);
  }
}

function* indexIds(taskIds: readonly string[]): Steps<Map<string, number>> {
  const indexOf = new Map<string, number>();
  for (let i = 0; i < taskIds.length; i++) {
    if (endsStretch(i)) yield;
    const id = taskIds[i];
    if (typeof id !== 'string' || id.length === 0) throw new ScheduleInputError(`tasks[${i}].id`, 'must be a non-empty string');
    const before = indexOf.size;
    indexOf.set(id, i);
    if (indexOf.size === before) throw new ScheduleInputError(`tasks[${i}].id`, `duplicate task id "${id}"`);
  }
  return indexOf;
}

function* buildGraph(taskIds: readonly string[], links: readonly ScheduleLinkInput[]): Steps<Graph> {
  const n = taskIds.length;
  const m = links.length;
  const indexOf = yield* indexIds(taskIds);
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const type = new Uint8Array(m);
  const lag = new Int32Array(m);
  const predecessorOffsets = new Int32Array(n + 1);
  const successorOffsets = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    if (endsStretch(k)) yield;
    const link = links[k];
    const u = indexOf.get(link.from);
    if (u === undefined) throw new ScheduleUnknownTaskError(String(link.from), k);
    const v = indexOf.get(link.to);
    if (v === undefined) throw new ScheduleUnknownTaskError(String(link.to), k);
    if (!Number.isFinite(link.lag) || Math.abs(link.lag) > MAX_WORKING_DAYS) {
      throw new ScheduleInputError(`links[${k}].lag`, `must be a number of working days within ±${MAX_WORKING_DAYS}`);
    }
    from[k] = u;
    to[k] = v;
    type[k] = linkTypeCode(link.type, `links[${k}].type`);
    lag[k] = wholeWorkingDays(link.lag);
    successorOffsets[u + 1]++;
    predecessorOffsets[v + 1]++;
  }
  for (let v = 0; v < n; v++) {
    successorOffsets[v + 1] += successorOffsets[v];
    predecessorOffsets[v + 1] += predecessorOffsets[v];
  }
  const predecessorTask = new Int32Array(m);
  const predecessorType = new Uint8Array(m);
  const predecessorLag = new Int32Array(m);
  const successorTask = new Int32Array(m);
  const successorType = new Uint8Array(m);
  const successorLag = new Int32Array(m);
  const predFill = predecessorOffsets.slice(0, n);
  const succFill = successorOffsets.slice(0, n);
  yield;
  for (let k = 0; k < m; k++) {
    if (endsStretch(k)) yield;
    const p = predFill[to[k]]++;
    predecessorTask[p] = from[k];
    predecessorType[p] = type[k];
    predecessorLag[p] = lag[k];
    const s = succFill[from[k]]++;
    successorTask[s] = to[k];
    successorType[s] = type[k];
    successorLag[s] = lag[k];
  }
  return {
    ids: taskIds,
    indexOf,
    taskCount: n,
    linkCount: m,
    predecessorOffsets,
    predecessorTask,
    predecessorType,
    predecessorLag,
    successorOffsets,
    successorTask,
    successorType,
    successorLag,
  };
}

/** Kahn's algorithm; returns fewer than taskCount entries when the graph has a cycle. */
function* kahnOrder(graph: Graph): Steps<Int32Array> {
  const n = graph.taskCount;
  const { predecessorOffsets, successorOffsets, successorTask } = graph;
  const indegree = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    indegree[v] = predecessorOffsets[v + 1] - predecessorOffsets[v];
    if (indegree[v] === 0) queue[tail++] = v;
  }
  yield;
  for (let head = 0; head < tail; head++) {
    if (endsStretch(head)) yield;
    const u = queue[head];
    for (let k = successorOffsets[u], end = successorOffsets[u + 1]; k < end; k++) {
      const w = successorTask[k];
      if (--indegree[w] === 0) queue[tail++] = w;
    }
  }
  return tail === n ? queue : queue.subarray(0, tail);
}

/**
 * Every task Kahn could not order has a predecessor that it could not order either, so walking predecessors from
 * one must close a cycle. Starting at the smallest id and always taking the smallest-id predecessor makes the
 * reported cycle a function of the graph alone, not of the input order; it is rotated to start at its smallest id.
 */
function extractCycle(graph: Graph, ordered: Int32Array): string[] {
  const { ids, predecessorOffsets, predecessorTask } = graph;
  const done = new Uint8Array(graph.taskCount);
  for (const v of ordered) done[v] = 1;
  let current = -1;
  for (let v = 0; v < graph.taskCount; v++) {
    if (!done[v] && (current < 0 || ids[v] < ids[current])) current = v;
  }
  const positionInWalk = new Map<number, number>();
  const walk: number[] = [];
  while (!positionInWalk.has(current)) {
    positionInWalk.set(current, walk.length);
    walk.push(current);
    let next = -1;
    for (let k = predecessorOffsets[current]; k < predecessorOffsets[current + 1]; k++) {
      const u = predecessorTask[k];
      if (!done[u] && (next < 0 || ids[u] < ids[next])) next = u;
    }
    current = next;
  }
  const cycle = walk.slice(positionInWalk.get(current)).reverse().map((v) => ids[v]);
  let first = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[first]) first = i;
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}
