import fc from 'fast-check';
import { admitLinks } from './link-admission';
import { findCycle } from './network';
import type { ScheduleLinkInput } from './schedule.types';

const link = (from: number, to: number): ScheduleLinkInput => ({ from: `t${from}`, to: `t${to}`, type: 'FS', lag: 0 });

/** The definition: add the candidates one by one, refusing each that closes a cycle. */
function oneByOne(ids: string[], existing: ScheduleLinkInput[], candidates: ScheduleLinkInput[]): boolean[] {
  const admitted = [...existing];
  return candidates.map((c) => {
    if (findCycle(ids, [...admitted, c]) !== null) return false;
    admitted.push(c);
    return true;
  });
}

/** A reported cycle: each task linked to the next and the last to the first, through the refused link. */
function isCycleThrough(cycle: string[], links: ScheduleLinkInput[], refused: ScheduleLinkInput): boolean {
  const linked = new Set(links.map((l) => `${l.from}>${l.to}`));
  const steps = cycle.map((id, i) => `${id}>${cycle[(i + 1) % cycle.length]}`);
  return steps.every((s) => linked.has(s)) && steps.includes(`${refused.from}>${refused.to}`);
}

describe('admitLinks', () => {
  it('admits exactly the links that adding one at a time admits, and names a real cycle for each refusal (property)', () => {
    const graph = fc.integer({ min: 2, max: 14 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        existing: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([a, b]) => a < b), { selector: ([a, b]) => `${a}-${b}`, maxLength: 20 }),
        candidates: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([a, b]) => a !== b), { maxLength: 30 }),
      }),
    );
    fc.assert(
      fc.property(graph, ({ n, existing, candidates }) => {
        const ids = Array.from({ length: n }, (_, i) => `t${i}`);
        const before = existing.map(([a, b]) => link(a, b));
        const asked = candidates.map(([a, b]) => link(a, b));
        const result = admitLinks(ids, before, asked);
        expect(result.map((r) => r === null)).toEqual(oneByOne(ids, before, asked));
        const admitted = [...before, ...asked.filter((_, i) => result[i] === null)];
        result.forEach((cycle, i) => {
          if (cycle) expect(isCycleThrough(cycle, [...admitted, asked[i]], asked[i])).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('handles a 200,000-task chain plus a back link without deep recursion', () => {
    const n = 200_000;
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    const chain = Array.from({ length: n - 1 }, (_, i) => link(i, i + 1));
    const result = admitLinks(ids, [], [...chain, link(n - 1, 0), link(0, n - 1)]);
    expect(result.slice(0, n - 1).every((r) => r === null)).toBe(true);
    expect(result[n - 1]).toHaveLength(n);
    expect(result[n]).toBeNull();
  });
});
