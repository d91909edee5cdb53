import { COMPLETED, isLinkLive } from './cpm.passes';
import type { PassResult, TaskPlan } from './cpm.passes';
import { LINK_FF, LINK_FS, LINK_SS } from './network';
import type { ScheduleNetwork } from './network';
import { endsStretch } from './steps';
import type { Steps } from './steps';

/** How many paths, and how many task ids over all of them, a listing may hold. */
export interface CriticalPathLimit {
  readonly paths: number;
  readonly tasks: number;
}

export interface CriticalPaths {
  readonly paths: string[][];
  readonly truncated: boolean;
}

/** Slack of link k (successor-side CSR index) on early dates: 0 means the link drives its successor. */
function linkSlack(network: ScheduleNetwork, passes: PassResult, v: number, k: number): number {
  const w = network.successorTask[k];
  const lag = network.successorLag[k];
  const { earlyStart: es, earlyFinish: ef } = passes;
  switch (network.successorType[k]) {
    case LINK_FS:
      return es[w] - ef[v] - lag;
    case LINK_SS:
      return es[w] - es[v] - lag;
    case LINK_FF:
      return ef[w] - ef[v] - lag;
    default:
      return ef[w] - es[v] - lag;
  }
}

export function isCritical(plan: TaskPlan, passes: PassResult, v: number): boolean {
  return plan.status[v] !== COMPLETED && passes.totalFloat[v] <= 0;
}

/**
 * The chains of critical tasks joined by driving links (live links with zero slack on early dates), from a
 * critical task no such link enters to one no such link leaves. There can be exponentially many, so they are
 * enumerated depth first in the order of the task ids (the first `limit.paths` in that order, whatever the input
 * order). Paths are kept whole while their ids fit in `limit.tasks` (a first path longer than that is cut to it);
 * the walk stops as soon as the path it is extending could not fit, so it never goes deeper than the bound.
 */
export function* findCriticalPaths(network: ScheduleNetwork, plan: TaskPlan, passes: PassResult, limit: CriticalPathLimit): Steps<CriticalPaths> {
  const { ids, successorOffsets, successorTask, successorType } = network;
  const critical: number[] = [];
  for (let v = 0; v < network.taskCount; v++) {
    if (endsStretch(v)) yield;
    if (isCritical(plan, passes, v)) critical.push(v);
  }
  yield;
  // The sort is the one piece here that cannot pause.
  critical.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  yield;
  const rank = new Int32Array(network.taskCount).fill(-1);
  critical.forEach((v, r) => (rank[v] = r));

  const next: number[][] = critical.map(() => []);
  const entered = new Uint8Array(critical.length);
  for (let r = 0; r < critical.length; r++) {
    if (endsStretch(r)) yield;
    const v = critical[r];
    const out = next[rank[v]];
    for (let k = successorOffsets[v]; k < successorOffsets[v + 1]; k++) {
      const w = successorTask[k];
      if (rank[w] < 0 || !isLinkLive(plan.status[v], plan.status[w], successorType[k])) continue;
      if (linkSlack(network, passes, v, k) !== 0) continue;
      out.push(rank[w]);
      entered[rank[w]] = 1;
    }
    out.sort((a, b) => a - b);
    dedupeSorted(out);
  }

  const paths: string[][] = [];
  const path: number[] = [];
  const cursor: number[] = [];
  const name = (r: number): string => ids[critical[r]];
  let used = 0;
  let truncated = false;
  let walked = 0;
  /** Whether a path one task longer than the current one still fits; if not, the listing ends (a first path is cut). */
  const fitsDeeper = (): boolean => {
    if (used + path.length + 1 <= limit.tasks) return true;
    if (paths.length === 0 && limit.paths > 0) paths.push(path.map(name));
    truncated = true;
    return false;
  };
  for (let source = 0; source < critical.length && !truncated; source++) {
    if (entered[source] || !fitsDeeper()) continue;
    path.push(source);
    cursor.push(0);
    while (path.length > 0) {
      if (endsStretch(walked++)) yield;
      const top = path.length - 1;
      const edges = next[path[top]];
      if (edges.length === 0) {
        if (paths.length === limit.paths) {
          truncated = true;
          break;
        }
        paths.push(path.map(name));
        used += path.length;
      }
      if (cursor[top] < edges.length) {
        // Every path through a deeper prefix is longer than the current one.
        if (!fitsDeeper()) break;
        path.push(edges[cursor[top]++]);
        cursor.push(0);
      } else {
        path.pop();
        cursor.pop();
      }
    }
    path.length = 0;
    cursor.length = 0;
  }
  return { paths, truncated };
}

function dedupeSorted(values: number[]): void {
  let write = 0;
  for (let read = 0; read < values.length; read++) {
    if (read === 0 || values[read] !== values[read - 1]) values[write++] = values[read];
  }
  values.length = write;
}
