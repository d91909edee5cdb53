import { findCycle } from './network';
import type { ScheduleLinkInput } from './schedule.types';

/**
 * Decides, link after link, whether adding a link closes a cycle, for a batch of links known in advance (an import):
 * exactly the answer of a whole-graph search per link, but in near-linear time. A link can only close a cycle inside a
 * strongly connected component of the graph of all links that may be added; links between components are admitted at
 * once, and searches for the few inside one stay inside it. `existing` must be acyclic, and every link's tasks known.
 */
export class LinkCycleGuard {
  private readonly indexOf = new Map<string, number>();
  private readonly component: Int32Array;
  /** Admitted links inside each multi-task component (existing ones included), so searches stay inside it. */
  private readonly inside = new Map<number, Map<number, number[]>>();

  constructor(
    private readonly taskIds: readonly string[],
    private readonly existing: readonly ScheduleLinkInput[],
    possible: readonly ScheduleLinkInput[],
  ) {
    taskIds.forEach((id, i) => this.indexOf.set(id, i));
    const all = [...existing, ...possible];
    this.component = stronglyConnected(taskIds.length, Int32Array.from(all, (l) => this.index(l.from)), Int32Array.from(all, (l) => this.index(l.to)));
  }

  /** The cycle the link would close (as `findCycle` reports one), or null; the link must be among the possible ones. */
  wouldClose(link: ScheduleLinkInput): string[] | null {
    const [u, v] = [this.index(link.from), this.index(link.to)];
    if (this.component[u] !== this.component[v]) return null;
    const edges = this.edgesOf(this.component[u]);
    return reaches(edges, v, u) ? cycleThrough(this.taskIds, edges, link, u) : null;
  }

  /** Records an admitted link. */
  add(link: ScheduleLinkInput): void {
    const [u, v] = [this.index(link.from), this.index(link.to)];
    if (this.component[u] === this.component[v]) addEdge(this.edgesOf(this.component[u]), u, v);
  }

  private edgesOf(c: number): Map<number, number[]> {
    let edges = this.inside.get(c);
    if (!edges) {
      edges = new Map();
      for (const link of this.existing) {
        const [u, v] = [this.index(link.from), this.index(link.to)];
        if (this.component[u] === c && this.component[v] === c) addEdge(edges, u, v);
      }
      this.inside.set(c, edges);
    }
    return edges;
  }

  private index(id: string): number {
    return index(this.indexOf, id);
  }
}

/** Which of `candidates`, taken in order, can join `existing` without closing a cycle (null) or the cycle each would close. */
export function admitLinks(taskIds: readonly string[], existing: readonly ScheduleLinkInput[], candidates: readonly ScheduleLinkInput[]): Array<string[] | null> {
  const guard = new LinkCycleGuard(taskIds, existing, candidates);
  return candidates.map((link) => {
    const cycle = guard.wouldClose(link);
    if (!cycle) guard.add(link);
    return cycle;
  });
}

function index(indexOf: ReadonlyMap<string, number>, id: string): number {
  const i = indexOf.get(id);
  if (i === undefined) throw new Error(`admitLinks: unknown task ${id}`);
  return i;
}

function addEdge(edges: Map<number, number[]>, u: number, v: number): void {
  const out = edges.get(u);
  if (out) out.push(v);
  else edges.set(u, [v]);
}

function reaches(edges: ReadonlyMap<number, readonly number[]>, start: number, target: number): boolean {
  if (start === target) return true;
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length) {
    for (const next of edges.get(stack.pop() as number) ?? []) {
      if (next === target) return true;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/** The cycle the refused link closes, reported by the engine's own cycle finder on that component alone. */
function cycleThrough(taskIds: readonly string[], edges: ReadonlyMap<number, readonly number[]>, link: ScheduleLinkInput, u: number): string[] {
  const nodes = new Set<number>([u]);
  const links: ScheduleLinkInput[] = [link];
  for (const [a, outs] of edges) {
    nodes.add(a);
    for (const b of outs) {
      nodes.add(b);
      links.push({ from: taskIds[a], to: taskIds[b], type: 'FS', lag: 0 });
    }
  }
  return findCycle([...nodes].map((n) => taskIds[n]), links) ?? [link.from, link.to];
}

/** Tarjan's strongly connected components, iterative (a 400,000-task chain must not overflow the stack). */
function stronglyConnected(n: number, from: Int32Array, to: Int32Array): Int32Array {
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < from.length; k++) offsets[from[k] + 1]++;
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const targets = new Int32Array(from.length);
  const fill = offsets.slice(0, n);
  for (let k = 0; k < from.length; k++) targets[fill[from[k]]++] = to[k];

  const indexOf = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const call: Array<[number, number]> = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (indexOf[root] >= 0) continue;
    call.push([root, offsets[root]]);
    indexOf[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (call.length) {
      const frame = call[call.length - 1];
      const v = frame[0];
      if (frame[1] < offsets[v + 1]) {
        const w = targets[frame[1]++];
        if (indexOf[w] < 0) {
          indexOf[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          call.push([w, offsets[w]]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], indexOf[w]);
        }
        continue;
      }
      call.pop();
      if (call.length) low[call[call.length - 1][0]] = Math.min(low[call[call.length - 1][0]], low[v]);
      if (low[v] === indexOf[v]) {
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}
