import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { handleCommand, loadState } from './decider-runtime';
import type { Decider } from './decider-runtime';
import { EventStoreSchema1764100000000 } from './event-store.schema';
import { runMigrations } from './migrations';
import { PgEventStore, eventMetadata } from './pg-event-store';
import { createPgPool } from './pg-pool';

type Cmd = { type: 'Add'; by: number; limit: number };
type Evt = { type: 'Added'; data: { by: number } };
interface Counter {
  total: number;
}

/** Adds while under a limit: a rule whose outcome depends on state, so a stale decision must be re-made. */
const counter: Decider<Cmd, Evt, Counter> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.by }),
  decide: (c, s) => (s.total + c.by > c.limit ? [] : [{ type: 'Added', data: { by: c.by } }]),
};

describe('handleCommand (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  const meta = () => eventMetadata({ tenantId: 't1', actor: 'user:x', occurredAt: new Date().toISOString() });

  beforeAll(async () => {
    db = await createTestDatabase('decider_runtime');
    await runMigrations(db.url, [EventStoreSchema1764100000000]);
    pool = createPgPool(db.url, { max: 30 });
    store = new PgEventStore(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('re-decides against fresh state on a conflict, so a limit holds under 20 concurrent commands', async () => {
    const streamId = `counter-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        handleCommand(store, {
          streamId,
          decider: counter,
          command: { type: 'Add', by: 1, limit: 12 },
          tenantId: 't1',
          metadata: meta,
          retriesOnConflict: 50,
        }),
      ),
    );
    expect(results.filter((r) => r.events.length === 1)).toHaveLength(12);
    expect(results.filter((r) => r.events.length === 0)).toHaveLength(8);
    expect((await loadState(store, streamId, counter, 't1')).state.total).toBe(12);
  });

  it('loads from a snapshot plus the events after it, and gives the same state as a full replay', async () => {
    const streamId = `counter-${randomUUID()}`;
    const snapshot = { type: 'Counter', schemaVersion: 1, every: 10 };
    for (let i = 1; i <= 25; i++) {
      await handleCommand(store, { streamId, decider: counter, command: { type: 'Add', by: i, limit: 10_000 }, tenantId: 't1', metadata: meta, snapshot });
    }
    const snap = await store.loadSnapshot<Counter>(streamId, 'Counter', 1, 't1');
    expect(snap?.streamVersion).toBeGreaterThanOrEqual(10);
    const fromSnapshot = await loadState(store, streamId, counter, 't1', snapshot);
    const full = await loadState(store, streamId, counter, 't1');
    expect(fromSnapshot.state).toEqual(full.state);
    expect(fromSnapshot).toMatchObject({ version: 25, state: { total: 325 } });
    expect(fromSnapshot.readSinceSnapshot).toBe(25 - snap!.streamVersion);
  });

  it('another tenant loads an empty stream', async () => {
    const streamId = `counter-${randomUUID()}`;
    await handleCommand(store, { streamId, decider: counter, command: { type: 'Add', by: 3, limit: 10 }, tenantId: 't1', metadata: meta });
    expect(await loadState(store, streamId, counter, 't2')).toMatchObject({ version: 0, state: { total: 0 } });
  });
});
