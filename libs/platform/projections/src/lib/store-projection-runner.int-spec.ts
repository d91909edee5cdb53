import type { Pool, PoolClient } from 'pg';
import { EVENT_STORE_MIGRATIONS, PgEventStore, START_OF_LOG, compareCheckpoints, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { Checkpoint } from '@pm/platform/event-store';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PROJECTION_MIGRATIONS } from './projections.schema';
import type { Projection, ProjectionEvent } from './projection.types';
import { StoreProjectionRunner, readProjectionCheckpoint } from './store-projection-runner';

/** Counts `Counted` events per stream; every other event type is none of its business. */
class Counts implements Projection {
  readonly name = 'counts';
  readonly handles = ['pm.planning.Counted'];
  async apply(e: ProjectionEvent, tx: PoolClient): Promise<void> {
    await tx.query('INSERT INTO counts (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = counts.n + 1', [e.streamId]);
  }
  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE counts');
  }
}

/**
 * Batches without an event of the projection commit no transaction (store-projection-runner.ts, catchUp): the runner
 * reads on and writes that checkpoint later, only over a checkpoint inside the stretch it read past.
 */
describe('StoreProjectionRunner reading past events it does not handle (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  const projection = new Counts();
  let stream = 0;

  beforeAll(async () => {
    db = await createTestDatabase('store_runner_read_past');
    await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...PROJECTION_MIGRATIONS]);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    await pool.query('CREATE TABLE counts (stream_id text PRIMARY KEY, n int NOT NULL)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const checkpoint = () => readProjectionCheckpoint(pool, projection.name);
  const count = async (streamId: string) => (await pool.query<{ n: number }>('SELECT n FROM counts WHERE stream_id = $1', [streamId])).rows[0]?.n ?? 0;
  /** Appends events of one new stream and waits until the log shows them (another spec's transaction can hold it back). */
  async function append(type: string, n: number): Promise<{ streamId: string; end: Checkpoint }> {
    const streamId = `s-${++stream}`;
    await store.append(streamId, Array.from({ length: n }, () => testEvent('tenant-a', type, {})), 'no-stream');
    let end: Checkpoint | undefined;
    await waitFor(
      async () => {
        const all = await store.readAll(START_OF_LOG, 100_000);
        end = all.find((e) => e.streamId === streamId && e.streamVersion === n)?.checkpoint;
        return end !== undefined && all[all.length - 1].checkpoint === end;
      },
      { what: `${streamId} visible` },
    );
    return { streamId, end: end as Checkpoint };
  }
  /** Sets the stored checkpoint as another process would (null: deleted, as a rebuild's reset does). */
  async function storeCheckpoint(c: Checkpoint | null): Promise<void> {
    await pool.query('DELETE FROM projection_checkpoints WHERE projection = $1', [projection.name]);
    if (c) await pool.query('INSERT INTO projection_checkpoints (projection, transaction_id, position) VALUES ($1, $2::text::xid8, $3)', [projection.name, c.transactionId, c.position]);
  }
  /** A store whose readAll runs `meanwhile` once, after the runner chose where to read from and before it reads. */
  function storeWith(meanwhile: () => Promise<void>): PgEventStore {
    let once: (() => Promise<void>) | undefined = meanwhile;
    return Object.assign(Object.create(store) as PgEventStore, {
      readAll: async (...args: Parameters<PgEventStore['readAll']>) => {
        const run = once;
        once = undefined;
        await run?.();
        return store.readAll(...args);
      },
    });
  }

  it('a started runner commits no transaction for appends it does not handle, writes their checkpoint within seconds, and applies the next one it handles', async () => {
    const runner = new StoreProjectionRunner({ projection, context: 'planning', pool, store, pollIntervalMs: 200 });
    await runner.catchUp();
    // A transaction takes a client of its own (pool.connect() with no callback); pool.query's own connect passes one.
    let transactions = 0;
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
    const counting = Object.assign(Object.create(pool) as Pool, {
      connect: (...args: unknown[]) => {
        if (args.length === 0) transactions++;
        return connect(...args);
      },
    });
    const live = new StoreProjectionRunner({ projection, context: 'planning', pool: counting, store, pollIntervalMs: 200 });
    live.start();
    try {
      await waitFor(async () => live.listening, { what: 'the listener' });
      let last: Checkpoint = START_OF_LOG;
      for (let i = 0; i < 3; i++) last = (await append('Renamed', 2)).end;
      await waitFor(async () => compareCheckpoints(await checkpoint(), last) === 0, { what: 'the read-past checkpoint written', timeoutMs: 10_000 });
      expect(transactions).toBe(0);
      const handled = await append('Counted', 3);
      await waitFor(async () => (await count(handled.streamId)) === 3, { what: 'the handled events applied' });
      expect(transactions).toBe(1);
      expect(await checkpoint()).toEqual(handled.end);
    } finally {
      await live.stop();
    }
  });

  it('read-past positions are not written over a checkpoint a rebuild reset meanwhile', async () => {
    const runner = new StoreProjectionRunner({ projection, context: 'planning', pool, store });
    await runner.catchUp();
    const before = await checkpoint();
    await append('Renamed', 3);
    // Deleted between the runner's checkpoint read and its read of the log: the rebuild replays from the start.
    const reset = new StoreProjectionRunner({ projection, context: 'planning', pool, store: storeWith(() => storeCheckpoint(null)) });
    await reset.catchUp();
    expect(await checkpoint()).toEqual(START_OF_LOG);
    // Put back behind where the runner started reading past: still not moved.
    const behind = new StoreProjectionRunner({ projection, context: 'planning', pool, store: storeWith(() => storeCheckpoint({ transactionId: '1', position: '1' })) });
    await storeCheckpoint(before);
    await append('Renamed', 2);
    await behind.catchUp();
    expect(await checkpoint()).toEqual({ transactionId: '1', position: '1' });
  });

  it('read-past positions never move a checkpoint back that another replica moved ahead', async () => {
    const runner = new StoreProjectionRunner({ projection, context: 'planning', pool, store });
    await storeCheckpoint(null);
    await runner.catchUp();
    const ahead = { transactionId: '999999999', position: '999999999' };
    await append('Renamed', 2);
    const behind = new StoreProjectionRunner({ projection, context: 'planning', pool, store: storeWith(() => storeCheckpoint(ahead)) });
    await behind.catchUp();
    expect(await checkpoint()).toEqual(ahead);
    await storeCheckpoint(null);
  });

  it('a batch it handles, read past a stretch, applies from the stored checkpoint when that was reset: nothing after it is skipped', async () => {
    await storeCheckpoint(null);
    const runner = new StoreProjectionRunner({ projection, context: 'planning', pool, store, pollIntervalMs: 600_000 });
    await runner.catchUp();
    const early = await append('Counted', 2);
    await runner.catchUp();
    expect(await count(early.streamId)).toBe(2);
    const live = new StoreProjectionRunner({ projection, context: 'planning', pool, store, pollIntervalMs: 600_000 });
    live.start();
    try {
      await waitFor(async () => live.listening, { what: 'the listener' });
      await append('Renamed', 2);
      // The live runner has read past that stretch (not written yet); a rebuild elsewhere now resets the read model.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await pool.query('TRUNCATE counts');
      await storeCheckpoint(null);
      const late = await append('Counted', 1);
      await waitFor(async () => (await count(late.streamId)) === 1, { what: 'the new event applied' });
      // Applied from the reset checkpoint, so the early stream is back too, once.
      expect(await count(early.streamId)).toBe(2);
    } finally {
      await live.stop();
    }
  });
});
