import { ScheduleCycleError, ScheduleInputError, ScheduleUnknownTaskError } from './errors';
import { findCycle } from './network';
import { schedule } from './schedule';
import type { LinkType, ScheduleInput, ScheduleLinkInput } from './schedule.types';

const link = (from: string, to: string, type: LinkType = 'FS', lag = 0): ScheduleLinkInput => ({ from, to, type, lag });

function input(ids: string[], links: ScheduleLinkInput[]): ScheduleInput {
  return {
    projectStart: '2025-01-06',
    calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] },
    tasks: ids.map((id) => ({ id, duration: 1 })),
    links,
  };
}

describe('findCycle', () => {
  it('returns null for an acyclic network', () => {
    expect(findCycle(['A', 'B', 'C'], [link('A', 'B'), link('B', 'C'), link('A', 'C', 'SS')])).toBeNull();
  });

  it('returns the ids around the cycle, starting at the smallest, whatever the input order', () => {
    const links = [link('D', 'B'), link('B', 'C', 'SS'), link('C', 'D', 'FF'), link('A', 'B'), link('D', 'E')];
    expect(findCycle(['A', 'B', 'C', 'D', 'E'], links)).toEqual(['B', 'C', 'D']);
    expect(findCycle(['E', 'D', 'C', 'B', 'A'], [...links].reverse())).toEqual(['B', 'C', 'D']);
  });

  it('reports a task linked to itself', () => {
    expect(findCycle(['A', 'B'], [link('A', 'B'), link('B', 'B', 'SS', 2)])).toEqual(['B']);
  });

  it('rejects a link to an unknown task', () => {
    expect(() => findCycle(['A'], [link('A', 'Ghost')])).toThrow(ScheduleUnknownTaskError);
  });
});

// Two parallel critical tasks between a start and an end, three times over: 2^3 = 8 critical paths of 7 tasks.
const diamonds = ['s', 'a1', 'b1', 'm1', 'a2', 'b2', 'm2', 'a3', 'b3', 'e'];
const diamondLinks = [
  link('s', 'a1'), link('s', 'b1'), link('a1', 'm1'), link('b1', 'm1'),
  link('m1', 'a2'), link('m1', 'b2'), link('a2', 'm2'), link('b2', 'm2'),
  link('m2', 'a3'), link('m2', 'b3'), link('a3', 'e'), link('b3', 'e'),
];

describe('schedule() input errors', () => {
  it('throws ScheduleCycleError (SCHEDULE_CYCLE) with the cycle', () => {
    const run = () => schedule(input(['A', 'B', 'C'], [link('A', 'B'), link('B', 'C'), link('C', 'A')]));
    expect(run).toThrow(ScheduleCycleError);
    expect(run).toThrow(expect.objectContaining({ code: 'SCHEDULE_CYCLE', cycle: ['A', 'B', 'C'], name: 'ScheduleCycleError' }));
    expect(run).toThrow('The task links form a cycle: A -> B -> C -> A');
  });

  it('throws ScheduleUnknownTaskError (SCHEDULE_UNKNOWN_TASK) naming the id and the link', () => {
    expect(() => schedule(input(['A'], [link('A', 'A2')]))).toThrow(
      expect.objectContaining({ code: 'SCHEDULE_UNKNOWN_TASK', taskId: 'A2', linkIndex: 0 }),
    );
  });

  it.each([
    ['a duplicate task id', input(['A', 'A'], []), 'tasks[1].id'],
    ['an empty task id', input([''], []), 'tasks[0].id'],
    ['a negative duration', { ...input([], []), tasks: [{ id: 'A', duration: -1 }] }, 'tasks[0].duration'],
    ['a NaN duration', { ...input([], []), tasks: [{ id: 'A', duration: Number.NaN }] }, 'tasks[0].duration'],
    ['a link type', input(['A', 'B'], [{ from: 'A', to: 'B', type: 'XX' as LinkType, lag: 0 }]), 'links[0].type'],
    ['an infinite lag', input(['A', 'B'], [link('A', 'B', 'FS', Number.POSITIVE_INFINITY)]), 'links[0].lag'],
    ['a constraint type', { ...input([], []), tasks: [{ id: 'A', duration: 1, constraint: { type: 'ASAP' as never, date: '2025-01-06' } }] }, 'tasks[0].constraint.type'],
    ['a constraint date', { ...input([], []), tasks: [{ id: 'A', duration: 1, constraint: { type: 'MSO' as const, date: '2025-02-29' } }] }, 'tasks[0].constraint.date'],
    ['a status date', { ...input([], []), statusDate: '06/01/2025' }, 'statusDate'],
    ['a project start', { ...input([], []), projectStart: '2025-1-6' }, 'projectStart'],
  ])('rejects %s with SCHEDULE_INVALID_INPUT', (_what, bad, path) => {
    expect(() => schedule(bad)).toThrow(ScheduleInputError);
    expect(() => schedule(bad)).toThrow(expect.objectContaining({ code: 'SCHEDULE_INVALID_INPUT', path }));
  });

  it('rounds fractional durations and lags up to whole working days', () => {
    const result = schedule({ ...input([], [link('A', 'B', 'FS', 0.5)]), tasks: [{ id: 'A', duration: 1.2 }, { id: 'B', duration: 0.1 }] });
    expect(result.tasks.map((t) => [t.earlyStartOffset, t.earlyFinishOffset])).toEqual([[0, 2], [3, 4]]);
  });

  it('schedules an empty project', () => {
    expect(schedule(input([], []))).toEqual({
      projectStart: '2025-01-06',
      projectFinish: '2025-01-06',
      projectFinishOffset: 0,
      tasks: [],
      criticalPaths: [],
      criticalPathsTruncated: false,
    });
  });

  it('cuts the critical paths at maxCriticalPaths, in id order', () => {
    const all = schedule(input(diamonds, diamondLinks));
    expect(all.criticalPaths).toHaveLength(8);
    expect(all.criticalPathsTruncated).toBe(false);
    const cut = schedule(input(diamonds, diamondLinks), { maxCriticalPaths: 3 });
    expect(cut.criticalPaths).toEqual([
      ['s', 'a1', 'm1', 'a2', 'm2', 'a3', 'e'],
      ['s', 'a1', 'm1', 'a2', 'm2', 'b3', 'e'],
      ['s', 'a1', 'm1', 'b2', 'm2', 'a3', 'e'],
    ]);
    expect(cut.criticalPathsTruncated).toBe(true);
  });

  it('keeps whole critical paths while their tasks fit in maxCriticalPathTasks, in the same order', () => {
    const all = schedule(input(diamonds, diamondLinks));
    // Each path has 7 tasks: 20 hold two of them, 21 three, 56 all eight.
    for (const [bound, kept, truncated] of [[20, 2, true], [21, 3, true], [55, 7, true], [56, 8, false]] as const) {
      const cut = schedule(input(diamonds, diamondLinks), { maxCriticalPathTasks: bound });
      expect(cut.criticalPaths).toEqual(all.criticalPaths.slice(0, kept));
      expect(cut.criticalPathsTruncated).toBe(truncated);
    }
    expect(schedule(input(diamonds, diamondLinks), { maxCriticalPathTasks: 21, maxCriticalPaths: 2 }).criticalPaths).toEqual(all.criticalPaths.slice(0, 2));
  });

  it('cuts a first critical path longer than maxCriticalPathTasks to its first tasks, without walking the rest', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => `t${String(i).padStart(4, '0')}`);
    const chain = ids.slice(1).map((id, i) => link(ids[i], id));
    // A diamond after every task: 2^4,999 paths of 5,000 tasks if they were all walked.
    const sides = ids.slice(1).flatMap((id, i) => [link(ids[i], `x${i}`), link(`x${i}`, id)]);
    const withSides: ScheduleInput = { ...input(ids, [...chain, ...sides]), tasks: [...input(ids, []).tasks, ...ids.slice(1).map((_, i) => ({ id: `x${i}`, duration: 0 }))] };
    const result = schedule(withSides, { maxCriticalPathTasks: 100 });
    expect(result.criticalPaths).toEqual([ids.slice(0, 100)]);
    expect(result.criticalPathsTruncated).toBe(true);
    expect(schedule(input(ids, chain), { maxCriticalPathTasks: 5_000 })).toMatchObject({ criticalPaths: [ids], criticalPathsTruncated: false });
    expect(schedule(input(ids, chain), { maxCriticalPathTasks: 0 })).toMatchObject({ criticalPaths: [[]], criticalPathsTruncated: true });
  });

  it.each([-1, 1.5, Number.NaN])('rejects maxCriticalPathTasks %s with SCHEDULE_INVALID_INPUT', (bound) => {
    expect(() => schedule(input(['A'], []), { maxCriticalPathTasks: bound })).toThrow(expect.objectContaining({ code: 'SCHEDULE_INVALID_INPUT', path: 'options.maxCriticalPathTasks' }));
  });
});
