import type { Pool, PoolClient } from 'pg';
import { EVENT_STORE_MIGRATIONS, PgEventStore, START_OF_LOG, createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { LaneProjectionRunner } from './lane-projection-runner';
import type { LaneProjection, ProjectionEvent } from './projection.types';
import { PROJECTION_MIGRATIONS } from './projections.schema';

/** Per stream: how many events and the running total of data.n; not idempotent on its own (the lane version is). */
class LaneTotals implements LaneProjection {
  readonly name = 'lane-totals';
  readonly handles = ['pm.planning.Counted'];
  failOn?: string;
  followsStream(streamId: string): boolean {
    return streamId.startsWith('counter-');
  }
  async applyLane(streamId: string, events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    if (events.length === 0) return;
    await tx.query(
      `INSERT INTO lane_totals (stream_id, events, total) VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE SET events = lane_totals.events + EXCLUDED.events, total = lane_totals.total + EXCLUDED.total`,
      [streamId, events.length, events.reduce((t, e) => t + (e.data as { n: number }).n, 0)],
    );
    if (this.failOn === streamId) {
      this.failOn = undefined;
      throw new Error('lane crashed mid-transaction');
    }
  }
  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE lane_totals');
  }
}

describe('LaneProjectionRunner (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  const projection = new LaneTotals();
  const expected = new Map<string, { events: number; total: number }>();
  const totals = async () => (await pool.query('SELECT stream_id, events, total FROM lane_totals ORDER BY stream_id')).rows;
  const want = () => [...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream_id, v]) => ({ stream_id, ...v }));

  beforeAll(async () => {
    db = await createTestDatabase('lane_projections');
    await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...PROJECTION_MIGRATIONS]);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    await pool.query('CREATE TABLE lane_totals (stream_id text PRIMARY KEY, events int, total int)');
    for (let s = 0; s < 12; s++) {
      const events = Array.from({ length: 40 }, (_, i) => testEvent(s % 2 ? 'tenant-odd' : 'tenant-even', 'Counted', { n: i + s }));
      await store.append(`counter-${s}`, events, 'no-stream');
      expected.set(`counter-${s}`, { events: 40, total: events.reduce((t, e) => t + (e.data as { n: number }).n, 0) });
    }
    await store.append('other-1', [testEvent('tenant-odd', 'Counted', { n: 1000 })], 'no-stream');
    await allVisible(481);
  });

  /** readAll shows rows only below the server-wide xmin: another spec's open transaction can hold them back. */
  const allVisible = (n: number) => waitFor(async () => (await store.readAll(START_OF_LOG, 1000)).length === n, { what: `${n} events visible` });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('applies every event of every followed stream once, reports progress and checkpoints the end of the log', async () => {
    const runner = new LaneProjectionRunner({ projection, context: 'planning', pool, store, readBatchSize: 50, laneBatchSize: 7 });
    const progress: number[] = [];
    expect(await runner.catchUp((done) => progress.push(done))).toBe(481);
    expect(await totals()).toEqual(want());
    expect(progress.at(-1)).toBe(481);
    expect(await runner.lag()).toBe(0);
    expect(await runner.laneVersion('counter-3')).toBe(40);
    expect(await runner.laneVersion('other-1')).toBe(0);
  });

  it('a lane that fails mid-transaction commits neither its rows nor its version; the next catch-up completes it once', async () => {
    const runner = new LaneProjectionRunner({ projection, context: 'planning', pool, store, readBatchSize: 50 });
    await store.append('counter-5', [testEvent('tenant-odd', 'Counted', { n: 7 }), testEvent('tenant-odd', 'Counted', { n: 8 })], 40);
    await store.append('counter-6', [testEvent('tenant-even', 'Counted', { n: 9 })], 40);
    expected.set('counter-5', { events: 42, total: (expected.get('counter-5')?.total ?? 0) + 15 });
    expected.set('counter-6', { events: 41, total: (expected.get('counter-6')?.total ?? 0) + 9 });
    await allVisible(484);
    const before = await runner.checkpoint();
    projection.failOn = 'counter-5';
    await waitFor(async () => (await runner.catchUp().then(() => false, (err: Error) => err.message)) === 'lane crashed mid-transaction', { what: 'the failing lane' });
    // The other lane went ahead; the failing one and the checkpoint did not.
    expect(await runner.laneVersion('counter-6')).toBe(41);
    expect(await runner.laneVersion('counter-5')).toBe(40);
    expect(await runner.checkpoint()).toEqual(before);
    await runner.catchUp();
    expect(await runner.laneVersion('counter-5')).toBe(42);
    expect(await totals()).toEqual(want());
    expect(await runner.lag()).toBe(0);
  });

  it('replays from a lost checkpoint without applying anything twice, and rebuilds to the same read model', async () => {
    await pool.query(`DELETE FROM projection_checkpoints WHERE projection = 'lane-totals'`);
    const runner = new LaneProjectionRunner({ projection, context: 'planning', pool, store });
    expect(await runner.catchUp()).toBe(484);
    expect(await totals()).toEqual(want());
    await runner.rebuild();
    expect(await totals()).toEqual(want());
    await runner.rebuild();
    expect(await totals()).toEqual(want());
  });

  it('a lane transaction applies whole commits: cut where a store transaction ends, one larger than the batch taken whole up to its cap', async () => {
    const batches: number[][] = [];
    const recorder: LaneProjection = {
      name: 'lane-commits',
      handles: ['pm.planning.Counted'],
      followsStream: (streamId) => streamId === 'commits-1',
      applyLane: async (_streamId, events) => void batches.push(events.map((e) => (e.data as { n: number }).n)),
      reset: async () => undefined,
    };
    const commit = async (from: number, count: number, expected: number | 'no-stream') =>
      store.append('commits-1', Array.from({ length: count }, (_, i) => testEvent('tenant-even', 'Counted', { n: from + i })), expected);
    await commit(0, 4, 'no-stream');
    await commit(4, 4, 4);
    await commit(8, 4, 8);
    await commit(12, 30, 12);
    await commit(42, 2, 42);
    const runner = new LaneProjectionRunner({ projection: recorder, context: 'planning', pool, store, laneBatchSize: 7, maxCommitEvents: 12 });
    await runner.catchUpLane('commits-1');
    // Batches of at most 7 end at commit ends (4 | 4 | 4); the commit of 30 is split only at the cap of 12; the next
    // batch starts with the rest of it and ends with the commit that follows (6 + 2 = 8 > 7, so it ends at the 6).
    expect(batches.map((b) => b.length)).toEqual([4, 4, 4, 12, 12, 6, 2]);
    expect(batches.flat()).toEqual(Array.from({ length: 44 }, (_, i) => i));
    expect(await runner.laneVersion('commits-1')).toBe(44);
  });

  it('a started runner applies new events of a lane on their append notification', async () => {
    const runner = new LaneProjectionRunner({ projection, context: 'planning', pool, store, pollIntervalMs: 600_000 });
    await runner.catchUp();
    runner.start();
    try {
      await waitFor(async () => runner.listening, { what: 'the listener' });
      await store.append('counter-0', [testEvent('tenant-even', 'Counted', { n: 5 })], 40);
      await waitFor(async () => (await runner.laneVersion('counter-0')) === 41, { what: 'the appended event applied' });
    } finally {
      await runner.stop();
    }
  });

  it('a started runner reads the log once per announced append: a short page waits for the next one, a lane finishing wakes no read', async () => {
    let reads = 0;
    const counting = Object.assign(Object.create(store) as PgEventStore, {
      readAll: (...args: Parameters<PgEventStore['readAll']>) => {
        reads++;
        return store.readAll(...args);
      },
    });
    const runner = new LaneProjectionRunner({ projection, context: 'planning', pool, store: counting, pollIntervalMs: 600_000 });
    await runner.catchUp();
    runner.start();
    try {
      await waitFor(async () => runner.listening, { what: 'the listener' });
      // The first loop's read, then nothing until an append is announced.
      await waitFor(async () => reads >= 1, { what: 'the first read' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = reads;
      const version = await runner.laneVersion('counter-2');
      for (let i = 1; i <= 3; i++) {
        await store.append('counter-2', [testEvent('tenant-even', 'Counted', { n: i })], version + i - 1);
        await waitFor(async () => (await runner.laneVersion('counter-2')) === version + i, { what: `append ${i} applied` });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Before: a read that found the event, an empty read after it, and one more each time the lane finished.
      expect(reads - before).toBe(3);
    } finally {
      await runner.stop();
    }
  });

  it('laneSettled wakes a reader waiting for a lane when this runner finishes it, not at the end of its bound', async () => {
    const runner = new LaneProjectionRunner({ projection, context: 'planning', pool, store, pollIntervalMs: 600_000, wakeOnAppend: false });
    await runner.catchUp();
    const before = (await store.readAll(START_OF_LOG, 1000)).length;
    const settled = runner.laneSettled(600_000).then(() => 'woken');
    await store.append('counter-1', [testEvent('tenant-odd', 'Counted', { n: 3 })], 40);
    await allVisible(before + 1);
    await runner.catchUp();
    let bound: NodeJS.Timeout | undefined;
    const stillWaiting = new Promise((resolve) => (bound = setTimeout(() => resolve('still waiting'), 5000)));
    await expect(Promise.race([settled, stillWaiting])).resolves.toBe('woken');
    clearTimeout(bound);
    expect(await runner.laneVersion('counter-1')).toBe(41);
  });
});
