import type { Pool } from 'pg';
import { createTestDatabase, testEvent } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { DuplicateEventId, ExpectedVersionConflict, StreamTenantMismatch } from './event-store.errors';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';
import { runMigrations } from './migrations';
import { PgEventStore } from './pg-event-store';
import { createPgPool } from './pg-pool';

/** A write plan's streams in one statement (appendStreams): all or nothing, in order, each failure named as `append` names it. */
describe('PgEventStore.appendStreams (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  const t = 'tenant-a';

  beforeAll(async () => {
    db = await createTestDatabase('append_streams');
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
    pool = createPgPool(db.url, { max: 10 });
    store = new PgEventStore(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const types = (events: ReadonlyArray<{ type: string }>) => events.map((e) => e.type);

  it('appends every stream at its expected version, in the order given: the positions one-by-one appends would take', async () => {
    await store.append('as-old', [testEvent(t, 'Old')], 'no-stream');
    const results = await store.transaction((c) =>
      store.appendStreams(
        [
          { streamId: 'as-a', events: [testEvent(t, 'A1'), testEvent(t, 'A2')], expected: 'no-stream' },
          { streamId: 'as-old', events: [testEvent(t, 'Old2')], expected: 1 },
          { streamId: 'as-b', events: [testEvent(t, 'B1')], expected: 'any' },
        ],
        c,
      ),
    );
    expect(results).toEqual([{ nextExpectedVersion: 2 }, { nextExpectedVersion: 2 }, { nextExpectedVersion: 1 }]);
    const all = (await store.readAll()).filter((e) => e.streamId.startsWith('as-'));
    expect(all.map((e) => `${e.streamId}@${e.streamVersion}:${e.type}`)).toEqual(['as-old@1:Old', 'as-a@1:A1', 'as-a@2:A2', 'as-old@2:Old2', 'as-b@1:B1']);
    // Recorded times are the database clock at each row's insert (ADR 0506): in the statement's order, never backwards.
    const recorded = all.map((e) => Date.parse(e.recordedAt));
    expect(recorded).toEqual([...recorded].sort((x, y) => x - y));
  });

  it('inserts nothing when one stream is not at its expected version, and names that stream', async () => {
    await store.append('as-moved', [testEvent(t), testEvent(t)], 'no-stream');
    const err = await store
      .transaction((c) =>
        store.appendStreams(
          [
            { streamId: 'as-fresh', events: [testEvent(t, 'F1')], expected: 'no-stream' },
            { streamId: 'as-moved', events: [testEvent(t, 'M3')], expected: 1 },
          ],
          c,
        ),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpectedVersionConflict);
    expect(err).toMatchObject({ streamId: 'as-moved', expected: 1, actual: 2 });
    expect(await store.readStream('as-fresh')).toEqual([]);
    expect(types(await store.readStream('as-moved'))).toHaveLength(2);
  });

  it("refuses another tenant's stream without writing the others", async () => {
    await store.append('as-theirs', [testEvent('tenant-b')], 'no-stream');
    const err = await store
      .transaction((c) =>
        store.appendStreams(
          [
            { streamId: 'as-mine', events: [testEvent(t)], expected: 'any' },
            { streamId: 'as-theirs', events: [testEvent(t)], expected: 'any' },
          ],
          c,
        ),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamTenantMismatch);
    expect(await store.readStream('as-mine')).toEqual([]);
  });

  it('a concurrent writer that takes a version first: the plan fails with a conflict on that stream, nothing of it stored', async () => {
    // The plan's transaction reads the heads (empty), then another writer commits version 1 of the same stream
    // before the plan's insert: the unique index refuses the plan's row.
    const blocker = await pool.connect();
    try {
      await blocker.query('BEGIN');
      await store.append('as-race', [testEvent(t, 'Theirs')], 'no-stream', blocker);
      const plan = store.transaction((c) =>
        store.appendStreams(
          [
            { streamId: 'as-race-other', events: [testEvent(t)], expected: 'no-stream' },
            { streamId: 'as-race', events: [testEvent(t, 'Mine')], expected: 'no-stream' },
          ],
          c,
        ),
      );
      // The plan waits on the blocker's uncommitted row of the same key; committing it makes the plan's insert fail.
      await new Promise((r) => setTimeout(r, 200));
      await blocker.query('COMMIT');
      const err = await plan.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExpectedVersionConflict);
      expect(err).toMatchObject({ streamId: 'as-race', actual: 1 });
    } finally {
      blocker.release();
    }
    expect(types(await store.readStream('as-race'))).toEqual(['Theirs']);
    expect(await store.readStream('as-race-other')).toEqual([]);
  });

  it('a duplicate event id anywhere in the plan fails it as DuplicateEventId', async () => {
    const e = testEvent(t);
    await store.append('as-dup-1', [e], 'no-stream');
    const err = await store
      .transaction((c) =>
        store.appendStreams(
          [
            { streamId: 'as-dup-2', events: [testEvent(t)], expected: 'no-stream' },
            { streamId: 'as-dup-3', events: [e], expected: 'no-stream' },
          ],
          c,
        ),
      )
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(DuplicateEventId);
    expect(await store.readStream('as-dup-2')).toEqual([]);
  });
});
