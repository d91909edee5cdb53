import fc from 'fast-check';
import { WorkingCalendar } from './calendar';
import { ScheduleCycleError } from './errors';
import { findCycle } from './network';
import { schedule } from './schedule';
import type { ScheduledTask, ScheduleInput, ScheduleLinkInput } from './schedule.types';
import { CALENDAR, PROJECT_START, networkArb, shuffled } from './testing/network.arbitraries';

function byId(result: { tasks: readonly ScheduledTask[] }): Map<string, ScheduledTask> {
  return new Map(result.tasks.map((t) => [t.id, t]));
}

/** What link `l` requires of its successor's early start, given the early dates (the link-type formulas). */
function requiredStart(l: ScheduleLinkInput, from: ScheduledTask, duration: number): number {
  switch (l.type) {
    case 'FS':
      return from.earlyFinishOffset + l.lag;
    case 'SS':
      return from.earlyStartOffset + l.lag;
    case 'FF':
      return from.earlyFinishOffset + l.lag - duration;
    case 'SF':
      return from.earlyStartOffset + l.lag - duration;
  }
}

/** Slack of a link on early dates. */
function slack(l: ScheduleLinkInput, from: ScheduledTask, to: ScheduledTask): number {
  return to.earlyStartOffset - requiredStart(l, from, to.earlyFinishOffset - to.earlyStartOffset);
}

describe('schedule() properties on random acyclic networks', () => {
  it('every successor respects its link type and lag on early dates, and the early start is the earliest allowed', () => {
    fc.assert(
      fc.property(networkArb({ maxTasks: 25, pushConstraints: true }), (input) => {
        const tasks = byId(schedule(input));
        for (const l of input.links) expect(slack(l, tasks.get(l.from)!, tasks.get(l.to)!)).toBeGreaterThanOrEqual(0);
        const calendar = new WorkingCalendar(CALENDAR, PROJECT_START);
        for (const task of input.tasks) {
          const t = tasks.get(task.id)!;
          expect(t.earlyFinishOffset - t.earlyStartOffset).toBe(task.duration);
          let earliest = 0;
          for (const l of input.links.filter((x) => x.to === task.id)) earliest = Math.max(earliest, requiredStart(l, tasks.get(l.from)!, task.duration));
          const c = task.constraint;
          if (c !== undefined) {
            const milestone = task.duration === 0 ? milestoneBoundary(calendar, c.date) : undefined;
            const start = milestone ?? calendar.indexOnOrAfter(c.date);
            const finish = milestone ?? calendar.indexOnOrBefore(c.date) + 1;
            earliest = Math.max(earliest, c.type === 'SNET' ? start : finish - task.duration);
          }
          expect(t.earlyStartOffset).toBe(earliest);
          if (task.duration > 0) {
            expect([t.earlyStart, t.earlyFinish]).toEqual([calendar.dateAt(t.earlyStartOffset), calendar.dateAt(t.earlyFinishOffset - 1)]);
          }
        }
      }),
    );
  });

  it('unconstrained: late dates respect every link too, and totalFloat >= freeFloat >= 0 with freeFloat the tightest successor slack (or project finish)', () => {
    fc.assert(
      fc.property(networkArb({ maxTasks: 25 }), (input) => {
        const result = schedule(input);
        const tasks = byId(result);
        for (const t of result.tasks) {
          const out = input.links.filter((l) => l.from === t.id);
          const tightest = Math.min(result.projectFinishOffset - t.earlyFinishOffset, ...out.map((l) => slack(l, t, tasks.get(l.to)!)));
          expect(t.freeFloat).toBe(tightest);
          expect(t.totalFloat).toBeGreaterThanOrEqual(t.freeFloat);
          expect(t.freeFloat).toBeGreaterThanOrEqual(0);
          expect(t.lateFinishOffset).toBeLessThanOrEqual(result.projectFinishOffset);
          expect(t.critical).toBe(t.totalFloat === 0);
        }
        for (const l of input.links) {
          const [from, to] = [tasks.get(l.from)!, tasks.get(l.to)!];
          const late = { ...from, earlyStartOffset: from.lateStartOffset, earlyFinishOffset: from.lateFinishOffset };
          const lateTo = { ...to, earlyStartOffset: to.lateStartOffset, earlyFinishOffset: to.lateFinishOffset };
          expect(slack(l, late, lateTo)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('finish-to-start, unconstrained: zero total float exactly on a longest path (brute force over all paths)', () => {
    fc.assert(
      fc.property(networkArb({ maxTasks: 9, linkTypes: ['FS'] }), (input) => {
        const { longest, through } = longestPathsByEnumeration(input);
        const result = schedule(input);
        expect(result.projectFinishOffset).toBe(longest);
        for (const t of result.tasks) {
          expect(t.totalFloat).toBe(longest - through.get(t.id)!);
          expect(t.totalFloat === 0).toBe(through.get(t.id) === longest);
        }
        // Every critical path is a chain of linked critical tasks whose length is the longest path.
        for (const path of result.criticalPaths) {
          const tasks = byId(result);
          expect(tasks.get(path[path.length - 1])!.earlyFinishOffset).toBe(longest);
          expect(tasks.get(path[0])!.earlyStartOffset).toBe(0);
        }
      }),
    );
  });

  it('gives identical results whatever the order of tasks and links (with constraints and progress)', () => {
    fc.assert(
      fc.property(networkArb({ maxTasks: 25, rich: true }), fc.integer(), (input, seed) => {
        const reordered: ScheduleInput = { ...input, tasks: shuffled(input.tasks, seed), links: shuffled(input.links, seed + 1) };
        const [a, b] = [schedule(input), schedule(reordered)];
        const sortById = (tasks: readonly ScheduledTask[]) => [...tasks].sort((x, y) => (x.id < y.id ? -1 : 1));
        expect(sortById(b.tasks)).toEqual(sortById(a.tasks));
        expect(b.criticalPaths).toEqual(a.criticalPaths);
        expect([b.projectFinish, b.projectFinishOffset]).toEqual([a.projectFinish, a.projectFinishOffset]);
      }),
    );
  });

  it('a random back-edge creates a cycle, reported as a correct cycle', () => {
    const withBackEdge = networkArb({ maxTasks: 20 }).chain((input) =>
      fc.nat().map((pick) => {
        const pairs = reachablePairs(input);
        const [x, y] = pairs[pick % pairs.length];
        return { input: { ...input, links: [...input.links, { from: y, to: x, type: 'FS' as const, lag: 0 }] }, x, y };
      }),
    );
    fc.assert(
      fc.property(withBackEdge, ({ input, x, y }) => {
        let error: unknown;
        try {
          schedule(input);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ScheduleCycleError);
        const cycle = (error as ScheduleCycleError).cycle;
        const linked = new Set(input.links.map((l) => `${l.from}\u0000${l.to}`));
        cycle.forEach((id, i) => expect(linked.has(`${id}\u0000${cycle[(i + 1) % cycle.length]}`)).toBe(true));
        expect(new Set(cycle).size).toBe(cycle.length);
        expect(cycle).toEqual(expect.arrayContaining([x, y]));
        expect(findCycle(input.tasks.map((t) => t.id), input.links)).toEqual(cycle);
      }),
    );
  });
});

function milestoneBoundary(calendar: WorkingCalendar, date: string): number {
  const start = calendar.indexOnOrAfter(date);
  return start <= 0 ? start : calendar.indexOnOrBefore(date) + 1;
}

/** Longest start-to-end path overall and through each task, by listing every path (FS links, ES >= 0). */
function longestPathsByEnumeration(input: ScheduleInput): { longest: number; through: Map<string, number> } {
  const duration = new Map(input.tasks.map((t) => [t.id, t.duration]));
  const through = new Map(input.tasks.map((t) => [t.id, Number.NEGATIVE_INFINITY]));
  let longest = 0;
  const walk = (path: string[], length: number): void => {
    const last = path[path.length - 1];
    const total = length + duration.get(last)!;
    longest = Math.max(longest, total);
    for (const id of path) through.set(id, Math.max(through.get(id)!, total));
    for (const l of input.links) if (l.from === last) walk([...path, l.to], total + l.lag);
  };
  for (const t of input.tasks) walk([t.id], 0);
  return { longest, through };
}

/** Pairs (x, y) with a path from x to y, or x = y: adding the link y -> x closes a cycle. */
function reachablePairs(input: ScheduleInput): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const t of input.tasks) {
    const seen = new Set([t.id]);
    const stack = [t.id];
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (const l of input.links) {
        if (l.from === u && !seen.has(l.to)) {
          seen.add(l.to);
          stack.push(l.to);
        }
      }
    }
    for (const y of seen) pairs.push([t.id, y]);
  }
  return pairs;
}
