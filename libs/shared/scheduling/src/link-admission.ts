import { findCycle } from './network';
import type { ScheduleLinkInput } from './schedule.types';

/**
 * Which of `candidates`, taken in order, can join the `existing` links without closing a cycle: exactly the answer of
 * adding them one at a time and refusing each that closes one, but in near-linear time, where that costs a whole-graph
 * search per link (quadratic for a 150,000-link import). A link can only close a cycle inside a strongly connected
 * component of the graph of all links; links between components are admitted at once, and only the few inside one
 * are checked one by one, with searches confined to that component. `existing` must be acyclic and every link's tasks
 * known (the caller validates that first). Returns, per candidate, null when admitted or the cycle it would close
 * (as `findCycle` reports cycles: each task linked to the next, starting at the smallest id).
 */
export function admitLinks(taskIds: readonly string[], existing: readonly ScheduleLinkInput[], candidates: readonly ScheduleLinkInput[]): Array<string[] | null> {
  const indexOf = new Map<string, number>();
  taskIds.forEach((id, i) => indexOf.set(id, i));
  const all = [...existing, ...candidates];
  const from = Int32Array.from(all, (link) => index(indexOf, link.from));
  const to = Int32Array.from(all, (link) => index(indexOf, link.to));
  const component = stronglyConnected(taskIds.length, from, to);

  const result: Array<string[] | null> = new Array(candidates.length).fill(null);
  // Admitted links inside each multi-task component, so later candidates are checked against them only.
  const inside = new Map<number, Map<number, number[]>>();
  const adjacency = (c: number): Map<number, number[]> => {
    let edges = inside.get(c);
    if (!edges) {
      edges = new Map();
      for (let k = 0; k < existing.length; k++) if (component[from[k]] === c && component[to[k]] === c) addEdge(edges, from[k], to[k]);
      inside.set(c, edges);
    }
    return edges;
  };
  for (let i = 0; i < candidates.length; i++) {
    const k = existing.length + i;
    const [u, v] = [from[k], to[k]];
    if (component[u] !== component[v]) continue;
    const edges = adjacency(component[u]);
    if (reaches(edges, v, u)) {
      result[i] = cycleThrough(taskIds, edges, candidates[i], u);
    } else {
      addEdge(edges, u, v);
    }
  }
  return result;
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
