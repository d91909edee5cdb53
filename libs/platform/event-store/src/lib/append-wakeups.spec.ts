import type { Pool } from 'pg';
import { APPENDED_CHANNEL, AppendNotifier } from './append-wakeups';

/** A pool whose NOTIFY takes `ms` and that records when each one was sent. */
function fakePool(ms = 5) {
  const sent: number[] = [];
  const pool = {
    query: async (q: { values: unknown[] }) => {
      expect(q.values[0]).toBe(APPENDED_CHANNEL);
      sent.push(Date.now());
      await new Promise((r) => setTimeout(r, ms));
      return { rows: [] };
    },
  } as unknown as Pick<Pool, 'query'>;
  return { pool, sent };
}

describe('AppendNotifier', () => {
  it('announces an isolated commit at once', async () => {
    const { pool, sent } = fakePool();
    const notifier = new AppendNotifier(pool, 10);
    notifier.notify();
    expect(sent).toHaveLength(1);
    await notifier.settled();
    expect(sent).toHaveLength(1);
  });

  it('coalesces a burst of commits, and still sends a NOTIFY after the last of them', async () => {
    const { pool, sent } = fakePool();
    const notifier = new AppendNotifier(pool, 10);
    for (let i = 0; i < 100; i++) notifier.notify();
    await new Promise((r) => setTimeout(r, 2));
    // A commit while the first NOTIFY is in flight: the first one may have been sent before it committed.
    const lateCommit = Date.now();
    notifier.notify();
    await notifier.settled();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBeGreaterThanOrEqual(lateCommit);
  });

  it('never throws when the NOTIFY fails (listeners fall back to polling)', async () => {
    const notifier = new AppendNotifier({ query: async () => Promise.reject(new Error('down')) } as unknown as Pick<Pool, 'query'>, 0);
    notifier.notify();
    await expect(notifier.settled()).resolves.toBeUndefined();
  });
});
