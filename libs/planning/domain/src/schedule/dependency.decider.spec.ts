import fc from 'fast-check';
import { DomainError } from '@pm/shared/ddd';
import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from './schedule.decider';
import { linkDependencies } from './dependency.decisions';
import type { ScheduleEvent, ScheduleStreamEvent } from './schedule.events';
import { D, T, added, linked, meta, projectId, scheduleOpened, smallWbs } from './schedule.spec-fixtures';

const spec = deciderSpecification(scheduleDecider);
const chain = [scheduleOpened, added('a', 'task', null, 0), added('b', 'task', null, 1), added('c', 'task', null, 2), linked('ab', 'a', 'b'), linked('bc', 'b', 'c')];
/** Independent oracle: transitive closure (Floyd–Warshall) over a handful of tasks. */
function reachable(edges: ReadonlyArray<readonly [number, number]>, n: number, from: number, to: number): boolean {
  const r = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j || edges.some(([a, b]) => a === i && b === j)));
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i][j] = r[i][j] || (r[i][k] && r[k][j]);
  return r[from][to];
}
const link = (dependencyId: string, predecessorId: string, successorId: string, extra: object = {}) => ({
  type: 'LinkDependency' as const,
  data: { projectId, dependencyId: D(dependencyId), predecessorId: T(predecessorId), successorId: T(successorId), ...extra },
  metadata: meta,
});

describe('Schedule', () => {
  describe('when linking dependencies', () => {
    it('links finish-to-start with no lag by default', () => {
      spec.given(smallWbs).when(link('d1', 'design', 'code')).then([linked('d1', 'design', 'code')]);
    });

    it('links start-to-start with a lead', () => {
      spec.given(smallWbs).when(link('d1', 'design', 'code', { dependencyType: 'SS', lagDays: -2 })).then([linked('d1', 'design', 'code', 'SS', -2)]);
    });

    it('does nothing when the same link is repeated', () => {
      spec.given([...smallWbs, linked('d1', 'design', 'code')]).when(link('d1', 'design', 'code')).thenNothingHappens();
    });

    it('rejects a link that would close a cycle, naming the cycle', () => {
      const error = spec.given(chain).when(link('ca', 'c', 'a')).thenRejectsWith('DEPENDENCY_CYCLE', 'conflict');
      expect(error.details).toEqual({ cycle: ['a', 'b', 'c'] });
    });

    it('rejects the reverse of an existing link as a two-task cycle', () => {
      const error = spec.given(chain).when(link('ba', 'b', 'a')).thenRejectsWith('DEPENDENCY_CYCLE');
      expect(error.details).toEqual({ cycle: ['a', 'b'] });
    });

    it.each([
      ['a self link', link('x', 'a', 'a'), 'DEPENDENCY_SELF_LINK'],
      ['an unknown predecessor', link('x', 'nope', 'a'), 'DEPENDENCY_TASK_NOT_FOUND'],
      ['an unknown successor', link('x', 'a', 'nope'), 'DEPENDENCY_TASK_NOT_FOUND'],
      ['a duplicate of an existing link', link('x', 'a', 'b', { dependencyType: 'SS' }), 'DEPENDENCY_DUPLICATE'],
      ['another link under a used id', link('ab', 'a', 'c'), 'DEPENDENCY_ID_IN_USE'],
      ['a lag that is not a number', link('x', 'a', 'c', { lagDays: Number.NaN }), 'DEPENDENCY_LAG_INVALID'],
      ['an absurd lag', link('x', 'a', 'c', { lagDays: 1e7 }), 'DEPENDENCY_LAG_INVALID'],
    ])('rejects %s', (_case, command, code) => {
      spec.given(chain).when(command).thenRejects(code);
    });

    it('rejects a link on a summary task', () => {
      spec.given(smallWbs).when(link('x', 'build', 'run')).thenRejects('DEPENDENCY_ON_SUMMARY_TASK', 'invalid');
    });

    it('accepts any link that goes forward in a fixed order, and rejects any backward link that closes a path (property)', () => {
      const n = 8;
      const tasks: ScheduleEvent[] = [scheduleOpened, ...Array.from({ length: n }, (_, i) => added(`t${i}`, 'task', null, i))];
      const forwardPair = fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })).filter(([i, j]) => i < j);
      fc.assert(
        fc.property(fc.uniqueArray(forwardPair, { selector: ([i, j]) => `${i}-${j}`, maxLength: 20 }), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), (pairs, x, y) => {
          let history: ScheduleStreamEvent[] = tasks;
          for (const [i, j] of pairs) {
            const events = spec.given(history).when(link(`d${i}-${j}`, `t${i}`, `t${j}`)).events();
            expect(events).toHaveLength(1);
            history = [...history, ...events];
          }
          const [from, to] = x > y ? [x, y] : [y, x];
          if (from === to) return;
          const edges = pairs.map(([i, j]) => ({ predecessorId: `t${i}`, successorId: `t${j}` }));
          const closesCycle = reachable(pairs, n, to, from);
          let rejection: unknown = null;
          try {
            spec.given(history).when(link('back', `t${from}`, `t${to}`)).events();
          } catch (error) {
            rejection = error;
          }
          if (!closesCycle) {
            expect(rejection).toBeNull();
          } else {
            expect(rejection).toBeInstanceOf(DomainError);
            const cycle = (rejection as DomainError).details?.cycle as string[];
            // Every hop around the reported cycle is a real link (or the rejected one closing it).
            const all = [...edges, { predecessorId: `t${from}`, successorId: `t${to}` }];
            cycle.forEach((id, k) => {
              const next = cycle[(k + 1) % cycle.length];
              expect(all.some((e) => e.predecessorId === id && e.successorId === next)).toBe(true);
            });
          }
        }),
      );
    });
  });

  describe('when adjusting a lag', () => {
    it('adjusts it, and does nothing when it already has that lag', () => {
      spec.given(chain).when({ type: 'AdjustDependencyLag', data: { projectId, dependencyId: D('ab'), lagDays: 3 }, metadata: meta }).then([
        { type: 'DependencyLagAdjusted', data: { projectId, dependencyId: 'ab', lagDays: 3 } },
      ]);
      spec.given(chain).when({ type: 'AdjustDependencyLag', data: { projectId, dependencyId: D('ab'), lagDays: 0 }, metadata: meta }).thenNothingHappens();
    });

    it('rejects an unknown dependency', () => {
      spec.given(chain).when({ type: 'AdjustDependencyLag', data: { projectId, dependencyId: D('zz'), lagDays: 1 }, metadata: meta }).thenRejects('DEPENDENCY_NOT_FOUND', 'not-found');
    });
  });

  describe('when unlinking', () => {
    const unlinked: ScheduleEvent = { type: 'DependencyUnlinked', data: { projectId, dependencyId: 'ab', predecessorId: 'a', successorId: 'b' } };

    it('unlinks, after which the reverse link is allowed', () => {
      spec.given(chain).when({ type: 'UnlinkDependency', data: { projectId, dependencyId: D('ab') }, metadata: meta }).then([unlinked]);
      spec.given([...chain, unlinked]).when(link('ba', 'b', 'a')).then([linked('ba', 'b', 'a')]);
    });

    it('does nothing when unlinked again', () => {
      spec.given([...chain, unlinked]).when({ type: 'UnlinkDependency', data: { projectId, dependencyId: D('ab') }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a dependency that never existed', () => {
      spec.given(chain).when({ type: 'UnlinkDependency', data: { projectId, dependencyId: D('zz') }, metadata: meta }).thenRejects('DEPENDENCY_NOT_FOUND');
    });
  });
});

describe('Schedule › linking many dependencies at once (an import)', () => {
  const tasks: ScheduleEvent[] = [scheduleOpened, ...Array.from({ length: 8 }, (_, i) => added(`t${i}`, 'task', null, i))];

  it('decides exactly what linking them one by one decides, codes of the refusals included (property)', () => {
    const candidate = fc.record({ id: fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9'), from: fc.nat(7), to: fc.nat(7), lag: fc.integer({ min: -2, max: 3 }) });
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 14 }), (candidates) => {
        const commands = candidates.map((c) => link(c.id, `t${c.from}`, `t${c.to}`, { lagDays: c.lag }));
        let history: ScheduleStreamEvent[] = tasks;
        const oneByOne: { events: ScheduleStreamEvent[]; refused: string[] } = { events: [], refused: [] };
        for (const command of commands) {
          try {
            const events = spec.given(history).when(command).events();
            history = [...history, ...events];
            oneByOne.events.push(...events);
          } catch (error) {
            oneByOne.refused.push(`${command.data.dependencyId}:${(error as DomainError).code}`);
          }
        }
        const bulk = linkDependencies(commands, spec.given(tasks).state);
        expect(bulk.events).toEqual(oneByOne.events);
        expect(bulk.refused.map((r) => `${r.command.data.dependencyId}:${r.error.code}`).sort()).toEqual(oneByOne.refused.sort());
      }),
      { numRuns: 200 },
    );
  });
});
