export interface DependencyEdge {
  readonly predecessorId: string;
  readonly successorId: string;
}

/**
 * The cycle that `candidate` would close among `existing` links, or null.
 *
 * The result lists the task ids around the cycle, starting with the candidate's predecessor, each
 * linked to the next and the last back to the first (the convention of the scheduling engine's
 * ScheduleCycleError). Breadth-first search, so the reported cycle is a shortest one: the
 * clearest thing to show a planner.
 */
export function findDependencyCycle(existing: readonly DependencyEdge[], candidate: DependencyEdge): string[] | null {
  const { predecessorId: start, successorId: first } = candidate;
  if (start === first) return [start];
  const successors = new Map<string, string[]>();
  for (const { predecessorId, successorId } of existing) {
    successors.set(predecessorId, [...(successors.get(predecessorId) ?? []), successorId]);
  }
  const cameFrom = new Map<string, string | null>([[first, null]]);
  const queue = [first];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i];
    if (current === start) return [start, ...pathTo(cameFrom, current).slice(0, -1)];
    for (const next of successors.get(current) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  return null;
}

function pathTo(cameFrom: ReadonlyMap<string, string | null>, end: string): string[] {
  const path: string[] = [];
  for (let node: string | null = end; node !== null; node = cameFrom.get(node) ?? null) path.unshift(node);
  return path;
}
