import { SettledOffsets } from './partition-progress';
import type { PartitionTargets } from './partition-progress';

const targets = (entries: Array<[string, bigint]>): PartitionTargets => new Map(entries);

describe('SettledOffsets', () => {
  it('resolves a wait once every partition reached its target, whatever order the messages settle in', async () => {
    const settled = new SettledOffsets();
    const done = settled.waitFor(targets([['a:0', 2n], ['b:1', 0n]]), 10_000);
    let resolved = false;
    void done.then(() => (resolved = true));
    settled.settle('a', 0, '2');
    settled.settle('a', 0, '1');
    await Promise.resolve();
    expect(resolved).toBe(false);
    settled.settle('b', 1, '0');
    await expect(done).resolves.toBe(true);
    expect(settled.count).toBe(3);
    // A later, lower offset does not move a partition back.
    expect(settled.covers(targets([['a:0', 2n]]))).toBe(true);
  });

  it('answers false at its deadline and rejects when aborted', async () => {
    const settled = new SettledOffsets();
    settled.settle('a', 0, '5');
    await expect(settled.waitFor(targets([['a:0', 6n]]), 30)).resolves.toBe(false);
    const abort = new AbortController();
    const waiting = settled.waitFor(targets([['a:0', 6n]]), 10_000, abort.signal);
    abort.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    await expect(settled.waitFor(targets([['a:0', 5n]]), 0)).resolves.toBe(true);
  });
});
