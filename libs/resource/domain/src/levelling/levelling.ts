import { invalid } from '@pm/shared/ddd';
import type { LevellingInput, LevellingLink, LevellingLoad, LevellingProposal, LevellingTask, TaskMove, UnresolvedConflict } from './levelling.types';

/**
 * Serial levelling (the "serial schedule generation scheme" of the resource-constrained scheduling
 * literature, and what Microsoft Project's automatic levelling approximates). Tasks are placed one at a
 * time, each as early as its predecessors and the resources allow, never before its planned start:
 *
 * - among tasks that can go next, the earliest start goes first, then the one with least float, so work
 *   with float is what gets delayed, and it is delayed inside its float whenever a slot exists there;
 * - when floats tie (two critical tasks), the higher priority goes first and the lower one moves;
 * - a successor is only placed after all its predecessors, at or after their finish plus lag, so a
 *   dependency can never break;
 * - a task that fits nowhere within `maxDelay` stays at its earliest start and is reported, not hidden.
 */
export function levelResources(input: LevellingInput): LevellingProposal {
  const maxDelay = input.maxDelay ?? 1000;
  const byId = new Map(input.tasks.map((t) => [t.taskId, t]));
  if (byId.size !== input.tasks.length) throw invalid('LEVELLING_DUPLICATE_TASK', 'a task appears twice');
  const incoming = new Map<string, LevellingLink[]>();
  const outgoing = new Map<string, LevellingLink[]>();
  for (const link of input.links) {
    if (!byId.has(link.from) || !byId.has(link.to)) throw invalid('LEVELLING_UNKNOWN_TASK', `link ${link.from} -> ${link.to} names an unknown task`);
    incoming.set(link.to, [...(incoming.get(link.to) ?? []), link]);
    outgoing.set(link.from, [...(outgoing.get(link.from) ?? []), link]);
  }
  const loadsOf = new Map<string, LevellingLoad[]>();
  for (const load of input.loads) loadsOf.set(load.taskId, [...(loadsOf.get(load.taskId) ?? []), load]);

  const used = new Map<string, Map<number, number>>();
  const usedOn = (r: string, d: number) => used.get(r)?.get(d) ?? 0;
  const book = (r: string, d: number, m: number) => {
    const days = used.get(r) ?? new Map<number, number>();
    days.set(d, (days.get(d) ?? 0) + m);
    used.set(r, days);
  };
  const demandOn = input.demandOn ?? ((l: LevellingLoad) => l.minutesPerDay);
  const fits = (task: LevellingTask, start: number) =>
    (loadsOf.get(task.taskId) ?? []).every((l) => {
      for (let d = start; d < start + task.duration; d++) if (usedOn(l.resourceId, d) + demandOn(l, d) > input.capacityOn(l.resourceId, d)) return false;
      return true;
    });

  const starts = new Map<string, number>();
  // Only ever asked for a placed task (a predecessor, or any task once all are placed).
  const startOf = (taskId: string): number => starts.get(taskId) as number;
  const waiting = new Map(input.tasks.map((t) => [t.taskId, (incoming.get(t.taskId) ?? []).length]));
  const ready = new Set(input.tasks.filter((t) => waiting.get(t.taskId) === 0).map((t) => t.taskId));
  const unresolved: UnresolvedConflict[] = [];
  const earliest = (t: LevellingTask) =>
    (incoming.get(t.taskId) ?? []).reduce((es, l) => Math.max(es, earliestAfter(l, startOf(l.from), (byId.get(l.from) as LevellingTask).duration, t.duration)), t.start);

  while (ready.size > 0) {
    const task = pickNext([...ready].map((id) => byId.get(id) as LevellingTask), earliest);
    ready.delete(task.taskId);
    const es = earliest(task);
    let start = es;
    while (start - es <= maxDelay && !fits(task, start)) start++;
    if (start - es > maxDelay) {
      start = es;
      unresolved.push(...conflictsOf(task, start, loadsOf.get(task.taskId) ?? [], { capacityOn: input.capacityOn, demandOn, usedOn }, maxDelay));
    }
    starts.set(task.taskId, start);
    for (const l of loadsOf.get(task.taskId) ?? []) for (let d = start; d < start + task.duration; d++) book(l.resourceId, d, demandOn(l, d));
    for (const link of outgoing.get(task.taskId) ?? []) {
      const left = (waiting.get(link.to) ?? 0) - 1;
      waiting.set(link.to, left);
      if (left === 0) ready.add(link.to);
    }
  }
  if (starts.size !== input.tasks.length) throw invalid('LEVELLING_CYCLE', 'the task links form a cycle');

  const moves: TaskMove[] = input.tasks
    .filter((t) => startOf(t.taskId) !== t.start)
    .map((t) => ({ taskId: t.taskId, fromStart: t.start, toStart: startOf(t.taskId), delay: startOf(t.taskId) - t.start, withinFloat: startOf(t.taskId) - t.start <= Math.max(0, t.totalFloat) }));
  const finish = (start: (t: LevellingTask) => number) => input.tasks.reduce((f, t) => Math.max(f, start(t) + t.duration), 0);
  return { starts, moves, finishBefore: finish((t) => t.start), finishAfter: finish((t) => startOf(t.taskId)), unresolved };
}

/** The earliest start a link allows its successor, for each of the four precedence types (PMBOK 6.3). */
export function earliestAfter(link: LevellingLink, predecessorStart: number, predecessorDuration: number, duration: number): number {
  switch (link.type ?? 'FS') {
    case 'FS':
      return predecessorStart + predecessorDuration + link.lag;
    case 'SS':
      return predecessorStart + link.lag;
    case 'FF':
      return predecessorStart + predecessorDuration + link.lag - duration;
    case 'SF':
      return predecessorStart + link.lag - duration;
  }
}

function pickNext(candidates: LevellingTask[], earliest: (t: LevellingTask) => number): LevellingTask {
  const key = (t: LevellingTask) => [earliest(t), Math.max(0, t.totalFloat), -t.priority] as const;
  return candidates.reduce((best, t) => {
    const [a, b] = [key(t), key(best)];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? t : best;
    return t.taskId < best.taskId ? t : best;
  });
}

interface DayBook {
  readonly capacityOn: (r: string, d: number) => number;
  readonly demandOn: (l: LevellingLoad, d: number) => number;
  readonly usedOn: (r: string, d: number) => number;
}

function conflictsOf(task: LevellingTask, start: number, loads: readonly LevellingLoad[], book: DayBook, maxDelay: number): UnresolvedConflict[] {
  return loads.flatMap((l) => {
    const over: number[] = [];
    for (let d = start; d < start + task.duration; d++) if (book.usedOn(l.resourceId, d) + book.demandOn(l, d) > book.capacityOn(l.resourceId, d)) over.push(d);
    if (over.length === 0) return [];
    let neverFits = true;
    for (let d = start; d <= start + maxDelay + task.duration && neverFits; d++) {
      const wanted = book.demandOn(l, d);
      if (wanted > 0 && wanted <= book.capacityOn(l.resourceId, d)) neverFits = false;
    }
    return [{ taskId: task.taskId, resourceId: l.resourceId, fromDay: over[0], toDay: over[over.length - 1], reason: neverFits ? 'demand-exceeds-capacity-every-day' : 'no-slot-within-max-delay' }];
  });
}
