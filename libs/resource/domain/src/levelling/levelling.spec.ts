import fc from 'fast-check';
import { earliestAfter, levelResources } from './levelling';
import type { LevellingInput, LevellingLoad, LevellingTask } from './levelling.types';

const task = (taskId: string, start: number, duration: number, totalFloat: number, priority = 500): LevellingTask => ({ taskId, start, duration, totalFloat, priority });
const load = (taskId: string, resourceId: string, hours = 8): LevellingLoad => ({ taskId, resourceId, minutesPerDay: hours * 60 });
const eightHours = () => 480;

describe('levelResources (known answers)', () => {
  it('delays the non-critical task within its float; the finish does not move', () => {
    // A (critical) -> D on the critical path; B has 4 days of float and shares R1 with A on days 0-1.
    const proposal = levelResources({
      tasks: [task('A', 0, 3, 0), task('D', 3, 3, 0), task('B', 0, 2, 4)],
      links: [{ from: 'A', to: 'D', lag: 0 }],
      loads: [load('A', 'R1'), load('B', 'R1'), load('D', 'R2')],
      capacityOn: eightHours,
    });
    expect(proposal.moves).toEqual([{ taskId: 'B', fromStart: 0, toStart: 3, delay: 3, withinFloat: true }]);
    expect([proposal.finishBefore, proposal.finishAfter]).toEqual([6, 6]);
    expect(proposal.unresolved).toEqual([]);
  });

  it('keeps the task without float in place even when the other has the higher priority', () => {
    const proposal = levelResources({
      tasks: [task('low', 0, 2, 0, 100), task('high', 0, 2, 3, 900)],
      links: [],
      loads: [load('low', 'R1'), load('high', 'R1')],
      capacityOn: eightHours,
    });
    expect(proposal.moves).toEqual([{ taskId: 'high', fromStart: 0, toStart: 2, delay: 2, withinFloat: true }]);
  });

  it('when neither can slip, moves the lower priority and its successor, and the finish moves', () => {
    const proposal = levelResources({
      tasks: [task('X', 0, 2, 0, 900), task('Y', 0, 2, 0, 100), task('Z', 2, 1, 0)],
      links: [{ from: 'Y', to: 'Z', lag: 0 }],
      loads: [load('X', 'R1'), load('Y', 'R1'), load('Z', 'R2')],
      capacityOn: eightHours,
    });
    expect(proposal.moves).toEqual([
      { taskId: 'Y', fromStart: 0, toStart: 2, delay: 2, withinFloat: false },
      { taskId: 'Z', fromStart: 2, toStart: 4, delay: 2, withinFloat: false },
    ]);
    expect([proposal.finishBefore, proposal.finishAfter]).toEqual([3, 5]);
  });

  it('keeps a lag between linked tasks and fills half-time loads side by side', () => {
    const proposal = levelResources({
      tasks: [task('P', 0, 2, 0), task('Q', 3, 2, 0), task('H1', 0, 2, 5), task('H2', 0, 2, 5)],
      links: [{ from: 'P', to: 'Q', lag: 1 }],
      loads: [load('P', 'R1'), load('Q', 'R1'), load('H1', 'R2', 4), load('H2', 'R2', 4)],
      capacityOn: eightHours,
    });
    expect(proposal.moves).toEqual([]);
  });

  it('reports a task that needs more than the resource ever has, and leaves it in place', () => {
    const proposal = levelResources({ tasks: [task('big', 0, 2, 10)], links: [], loads: [load('big', 'R1', 10)], capacityOn: eightHours, maxDelay: 20 });
    expect(proposal.moves).toEqual([]);
    expect(proposal.unresolved).toEqual([{ taskId: 'big', resourceId: 'R1', fromDay: 0, toDay: 1, reason: 'demand-exceeds-capacity-every-day' }]);
  });

  it('moves work around a week of leave', () => {
    const onLeave = (r: string, d: number) => (r === 'R1' && d >= 0 && d < 5 ? 0 : 480);
    const proposal = levelResources({ tasks: [task('T', 0, 3, 10)], links: [], loads: [load('T', 'R1')], capacityOn: onLeave });
    expect(proposal.moves).toEqual([{ taskId: 'T', fromStart: 0, toStart: 5, delay: 5, withinFloat: true }]);
  });

  it('keeps start-to-start and finish-to-finish links: SS lets the successor overlap, FF holds its finish', () => {
    const proposal = levelResources({
      tasks: [task('A', 0, 4, 0), task('B', 1, 2, 6), task('C', 0, 3, 6)],
      links: [{ from: 'A', to: 'B', lag: 1, type: 'SS' }, { from: 'A', to: 'C', lag: 0, type: 'FF' }],
      loads: [load('A', 'R1'), load('B', 'R2'), load('C', 'R2')],
      capacityOn: eightHours,
    });
    // C must finish no earlier than A (day 4), so it starts on day 1 at the earliest; B holds R2 on days 1-2.
    expect(proposal.starts).toEqual(new Map([['A', 0], ['B', 1], ['C', 3]]));
  });

  it('treats task ids such as __proto__ and constructor as data, not as object properties', () => {
    const proposal = levelResources({
      tasks: [task('__proto__', 0, 2, 0), task('constructor', 0, 2, 4), task('toString', 0, 1, 9)],
      links: [{ from: '__proto__', to: 'toString', lag: 0 }],
      loads: [load('__proto__', 'R1'), load('constructor', 'R1')],
      capacityOn: eightHours,
    });
    expect(proposal.starts).toEqual(new Map([['__proto__', 0], ['constructor', 2], ['toString', 2]]));
    expect(proposal.moves.map((m) => [m.taskId, m.toStart])).toEqual([['constructor', 2], ['toString', 2]]);
  });

  it("fits a full-time task over a resource's day off when its own calendar says it asks nothing that day", () => {
    // R1 works days 0-3 of each five-day week at 10 h; the plan's day 4 is its day off.
    const own = (d: number) => d % 5 !== 4;
    const input: LevellingInput = {
      tasks: [task('A', 0, 5, 0), task('B', 0, 5, 10)],
      links: [],
      loads: [load('A', 'R1', 10), load('B', 'R1', 10)],
      capacityOn: (_r, d) => (own(d) ? 600 : 0),
      demandOn: (l, d) => (own(d) ? l.minutesPerDay : 0),
    };
    const proposal = levelResources(input);
    // Day 4 is R1's day off, so B may start there: it asks for R1 only from day 5, after A.
    expect(proposal.moves).toEqual([{ taskId: 'B', fromStart: 0, toStart: 4, delay: 4, withinFloat: true }]);
    expect(proposal.unresolved).toEqual([]);
    // Read on the plan calendar alone, the day off looks like a shortage no slot can ever avoid.
    const { demandOn: _ignored, ...planCalendarOnly } = input;
    expect(levelResources(planCalendarOnly).unresolved.map((c) => [c.taskId, c.reason])).toEqual([
      ['A', 'no-slot-within-max-delay'],
      ['B', 'no-slot-within-max-delay'],
    ]);
  });

  it('rejects cycles and unknown tasks by name', () => {
    const base = { loads: [], capacityOn: eightHours };
    expect(() => levelResources({ ...base, tasks: [task('A', 0, 1, 0), task('B', 1, 1, 0)], links: [{ from: 'A', to: 'B', lag: 0 }, { from: 'B', to: 'A', lag: 0 }] })).toThrow(
      expect.objectContaining({ code: 'LEVELLING_CYCLE' }),
    );
    expect(() => levelResources({ ...base, tasks: [task('A', 0, 1, 0)], links: [{ from: 'A', to: 'Q', lag: 0 }] })).toThrow(expect.objectContaining({ code: 'LEVELLING_UNKNOWN_TASK' }));
  });
});

/** Random acyclic plans: links only go from a lower to a higher task index. */
const plans = fc
  .record({
    n: fc.integer({ min: 1, max: 12 }),
    resources: fc.integer({ min: 1, max: 3 }),
    seed: fc.array(fc.record({ start: fc.nat(10), duration: fc.nat(5), float: fc.integer({ min: -2, max: 8 }), priority: fc.nat(1000), hours: fc.integer({ min: 1, max: 12 }), resource: fc.nat(2) }), { minLength: 12, maxLength: 12 }),
    linkSeed: fc.array(fc.tuple(fc.nat(11), fc.nat(11), fc.integer({ min: -1, max: 2 }), fc.constantFrom('FS' as const, 'SS' as const, 'FF' as const, 'SF' as const)), { maxLength: 15 }),
    capacities: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 3, maxLength: 3 }),
    leaveDay: fc.nat(20),
  })
  .map(({ n, resources, seed, linkSeed, capacities, leaveDay }): LevellingInput => ({
    tasks: seed.slice(0, n).map((s, i) => task(`t${i}`, s.start, s.duration, s.float, s.priority)),
    links: linkSeed.filter(([a, b]) => a < b && b < n).map(([a, b, lag, type]) => ({ from: `t${a}`, to: `t${b}`, lag, type })),
    loads: seed.slice(0, n).map((s, i) => load(`t${i}`, `R${s.resource % resources}`, s.hours)),
    capacityOn: (r, d) => (d === leaveDay ? 0 : capacities[Number(r.slice(1))] * 60),
    maxDelay: 60,
  }));

/** The same plans with R1 on its own four-day week: no capacity and no demand on every fifth plan day. */
const offDay = (resourceId: string, day: number) => resourceId === 'R1' && day % 5 === 4;
const plansOnOwnCalendars = plans.map(
  (input): LevellingInput => ({
    ...input,
    capacityOn: (r, d) => (offDay(r, d) ? 0 : input.capacityOn(r, d)),
    demandOn: (l, d) => (offDay(l.resourceId, d) ? 0 : l.minutesPerDay),
  }),
);

describe('levelResources (properties)', () => {
  it.each([
    ['on the plan calendar', plans],
    ["on each resource's own calendar", plansOnOwnCalendars],
  ])('%s: never breaks a link, never starts work early, and leaves no resource over capacity unless it reports the conflict', (_label, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        const { starts: placed, unresolved } = levelResources(input);
        const starts = (taskId: string) => placed.get(taskId) as number;
        expect(placed.size).toBe(input.tasks.length);
        const byId = new Map(input.tasks.map((t) => [t.taskId, t]));
        for (const l of input.links) {
          const [pred, succ] = [byId.get(l.from) as LevellingTask, byId.get(l.to) as LevellingTask];
          expect(starts(l.to)).toBeGreaterThanOrEqual(earliestAfter(l, starts(l.from), pred.duration, succ.duration));
        }
        for (const t of input.tasks) expect(starts(t.taskId)).toBeGreaterThanOrEqual(t.start);
        const use = new Map<string, number>();
        for (const l of input.loads) {
          const t = byId.get(l.taskId) as LevellingTask;
          const demand = input.demandOn ?? ((x: LevellingLoad) => x.minutesPerDay);
          for (let d = starts(t.taskId); d < starts(t.taskId) + t.duration; d++) use.set(`${l.resourceId}@${d}`, (use.get(`${l.resourceId}@${d}`) ?? 0) + demand(l, d));
        }
        for (const [key, minutes] of use) {
          const [r, day] = [key.split('@')[0], Number(key.split('@')[1])];
          if (minutes > input.capacityOn(r, day)) {
            expect(unresolved.some((c) => c.resourceId === r && c.fromDay <= day && c.toDay >= day)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is a no-op on a plan that already fits', () => {
    fc.assert(
      fc.property(plans, (input) => {
        const roomy = { ...input, capacityOn: () => 24 * 60 * 20 };
        const sound = input.links.every((l) => {
          const [a, b] = [input.tasks.find((t) => t.taskId === l.from), input.tasks.find((t) => t.taskId === l.to)] as LevellingTask[];
          return b.start >= earliestAfter(l, a.start, a.duration, b.duration);
        });
        fc.pre(sound);
        const proposal = levelResources(roomy);
        expect(proposal.moves).toEqual([]);
        expect(proposal.finishAfter).toBe(proposal.finishBefore);
      }),
    );
  });
});
