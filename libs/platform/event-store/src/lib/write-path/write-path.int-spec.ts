import { randomUUID } from 'node:crypto';
import { serialize } from 'node:v8';
import type { Pool } from 'pg';
import { z } from 'zod';
import { defineEventContract, registerUpcaster } from '@pm/contracts';
import type { RequestContext } from '@pm/platform/request-context';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { conflict, snapshotPolicy } from '@pm/shared/ddd';
import type { Aggregate } from '@pm/shared/ddd';
import { EVENT_STORE_MIGRATIONS } from '../event-store.migrations';
import { runMigrations } from '../migrations';
import { PgEventStore } from '../pg-event-store';
import { createPgPool } from '../pg-pool';
import { EventContractViolation } from './event-contract-check';
import { WritePath, committedOf } from './write-path';

// Test contracts in the platform's catalogue: the write path knows no event without one.
defineEventContract({ context: 'planning', name: 'TestCounterAdded', version: 1, schema: z.strictObject({ by: z.number().int() }), description: 'test', example: { by: 1 } });
defineEventContract({ context: 'planning', name: 'TestCounterAdded', version: 2, schema: z.strictObject({ by: z.number().int(), note: z.string() }), description: 'test', example: { by: 1, note: '' } });
registerUpcaster('pm.planning.TestCounterAdded', 1, (data: { by: number }) => ({ ...data, note: 'upcast' }));
defineEventContract({ context: 'planning', name: 'TestCounterNoted', version: 1, schema: z.strictObject({ total: z.number().int() }), description: 'test', example: { total: 1 } });

defineEventContract({ context: 'planning', name: 'TestCounterChunkStaged', version: 1, schema: z.strictObject({ chunk: z.number().int(), events: z.array(z.strictObject({ type: z.literal('TestCounterAdded'), data: z.strictObject({ by: z.number().int(), note: z.string() }) })).min(1) }), description: 'test', example: { chunk: 0, events: [{ type: 'TestCounterAdded', data: { by: 1, note: '' } }] } });
defineEventContract({ context: 'planning', name: 'TestCounterImported', version: 1, schema: z.strictObject({ stagingStreamId: z.string(), chunks: z.number().int(), events: z.number().int() }), description: 'test', example: { stagingStreamId: 's', chunks: 1, events: 1 } });

type Cmd = { type: 'Add'; by: number; limit: number } | { type: 'AddBroken' } | { type: 'AddUnknown' } | { type: 'Refuse' };
type Evt =
  | { type: 'TestCounterAdded'; data: { by: number; note: string } }
  | { type: 'TestCounterNoted'; data: { total: number } }
  | { type: 'TestCounterImported'; data: { stagingStreamId: string; chunks: number; events: number } }
  | { type: 'NoSuchContract'; data: object };
interface Counter {
  total: number;
  notes: Map<string, number>;
}

/** Adds while under a limit: a rule whose outcome depends on state, so a stale decision must be re-made. */
const counter = (conclude?: Aggregate<Cmd, Evt, Counter>['conclude']): Aggregate<Cmd, Evt, Counter> => ({
  name: 'test.counter',
  context: 'planning',
  conclude,
  snapshot: snapshotPolicy<Counter>('test.counter', 1, 10),
  staged: { commitType: 'TestCounterImported', chunkType: 'TestCounterChunkStaged', stagingStreamOf: (data) => (data as { stagingStreamId: string }).stagingStreamId },
  decider: {
    initialState: () => ({ total: 0, notes: new Map() }),
    evolve: (s, e) => {
      if (e.type === 'TestCounterAdded') return { total: s.total + e.data.by, notes: new Map(s.notes).set(e.data.note, s.total + e.data.by) };
      return s;
    },
    decide: (c, s) => {
      switch (c.type) {
        case 'Add':
          return s.total + c.by > c.limit ? [] : [{ type: 'TestCounterAdded', data: { by: c.by, note: `n${s.total}` } }];
        case 'AddBroken':
          return [{ type: 'TestCounterAdded', data: { by: 0.5, note: 'x' } }];
        case 'AddUnknown':
          return [{ type: 'NoSuchContract', data: {} }];
        case 'Refuse':
          throw conflict('REFUSED', 'refused');
      }
    },
  },
});

const ctx = (tenantId = 't1'): RequestContext => ({
  principal: { sub: 'x', tenantId, roles: [], actor: 'user:x' },
  now: new Date().toISOString(),
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});

describe('WritePath (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let writePath: WritePath;
  const plain = counter();
  const add = (by: number, limit = 10_000): Cmd => ({ type: 'Add', by, limit });

  beforeAll(async () => {
    db = await createTestDatabase('write_path');
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
    pool = createPgPool(db.url, { max: 30 });
    store = new PgEventStore(pool);
    writePath = new WritePath(store, { retriesOnConflict: 50 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('re-decides against fresh state on a conflict, so a limit holds under 20 concurrent commands', async () => {
    const streamId = `counter:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => writePath.handle(ctx(), plain, streamId, add(1, 12))));
    expect(results.filter((r) => r.events.length === 1)).toHaveLength(12);
    expect(results.filter((r) => r.events.length === 0)).toHaveLength(8);
    expect((await writePath.load(plain, streamId, 't1')).state.total).toBe(12);
  });

  it('runIn appends inside the caller’s transaction: committed with the caller’s own rows, or not at all', async () => {
    const kept = `counter:${randomUUID()}`;
    const dropped = `counter:${randomUUID()}`;
    await store.transaction(async (client) => {
      await writePath.runIn(client, ctx(), (tx) => tx.decide(plain, kept, add(2)));
      // The caller's next statement sees the events its transaction appended.
      expect((await client.query('SELECT count(*)::int AS n FROM es_events WHERE stream_id = $1', [kept])).rows[0].n).toBe(1);
    });
    await expect(
      store.transaction(async (client) => {
        await writePath.runIn(client, ctx(), (tx) => tx.decide(plain, dropped, add(5)));
        throw new Error('the caller rolls back');
      }),
    ).rejects.toThrow('the caller rolls back');
    expect((await writePath.load(plain, kept, 't1')).state.total).toBe(2);
    expect((await writePath.load(plain, dropped, 't1')).version).toBe(0);
    // A contract violation stores nothing and fails the caller's transaction.
    await expect(store.transaction((client) => writePath.runIn(client, ctx(), (tx) => tx.decide(plain, dropped, { type: 'AddBroken' })))).rejects.toThrow(EventContractViolation);
  });

  it('stores the version the contract registry names, with the command context as metadata', async () => {
    const streamId = `counter:${randomUUID()}`;
    const c = ctx();
    await writePath.handle(c, plain, streamId, add(2));
    const [stored] = await store.readStream(streamId);
    expect(stored).toMatchObject({ type: 'TestCounterAdded', schemaVersion: 2, data: { by: 2, note: 'n0' } });
    expect(stored.metadata).toMatchObject({ tenantId: 't1', actor: 'user:x', correlationId: c.correlationId, causationId: c.causationId, traceparent: c.traceparent, occurredAt: c.now });
  });

  it('upcasts older stored versions when it loads a stream', async () => {
    const streamId = `counter:${randomUUID()}`;
    const metadata = { eventId: randomUUID(), tenantId: 't1', actor: 'user:x', correlationId: 'c', causationId: null, occurredAt: new Date().toISOString() };
    await store.append(streamId, [{ type: 'TestCounterAdded', schemaVersion: 1, data: { by: 4 }, metadata }], 'no-stream');
    const loaded = await writePath.load(plain, streamId, 't1');
    expect(loaded.state.total).toBe(4);
    expect([...loaded.state.notes]).toEqual([['upcast', 4]]);
  });

  describe('aggregates kept after a command (AggregateCache)', () => {
    /** The same counter with a fold that updates its state in place, as the schedule's does. */
    const inPlace: Aggregate<Cmd, Evt, Counter> = {
      ...plain,
      name: 'test.counter.in-place',
      decider: {
        ...plain.decider,
        evolve: (s, e) => {
          if (e.type === 'TestCounterAdded') {
            s.total += e.data.by;
            s.notes.set(e.data.note, s.total);
          }
          return s;
        },
      },
    };

    it('the next command folds only what was appended since, another replica\'s writes included', async () => {
      const streamId = `counter:${randomUUID()}`;
      const fullLoads = jest.spyOn(store, 'loadForFold');
      try {
        await writePath.handle(ctx(), inPlace, streamId, add(1));
        await writePath.handle(ctx(), inPlace, streamId, add(1));
        expect(fullLoads).toHaveBeenCalledTimes(1);
        // Another replica (its own write path) appends meanwhile: the kept state is brought up to date, not trusted.
        await new WritePath(store, { cachedAggregates: 0 }).handle(ctx(), inPlace, streamId, add(5));
        const refused = await writePath.handle(ctx(), inPlace, streamId, add(1, 7));
        expect(refused.events).toEqual([]);
        const accepted = await writePath.handle(ctx(), inPlace, streamId, add(1, 8));
        expect(accepted.events).toEqual([{ type: 'TestCounterAdded', data: { by: 1, note: 'n7' } }]);
        expect(fullLoads.mock.calls.filter(([id]) => id === streamId)).toHaveLength(2);
      } finally {
        fullLoads.mockRestore();
      }
      expect((await writePath.load(inPlace, streamId, 't1')).state.total).toBe(8);
    });

    it('a plan that fails gives nothing back: decisions it folded in place before a refusal are not seen by the next command', async () => {
      const streamId = `counter:${randomUUID()}`;
      await writePath.handle(ctx(), inPlace, streamId, add(1));
      await expect(writePath.handle(ctx(), inPlace, streamId, [add(2), { type: 'Refuse' }])).rejects.toMatchObject({ code: 'REFUSED' });
      const next = await writePath.handle(ctx(), inPlace, streamId, add(1));
      expect(next.events).toEqual([{ type: 'TestCounterAdded', data: { by: 1, note: 'n1' } }]);
      expect((await writePath.load(inPlace, streamId, 't1')).state.total).toBe(2);
    });

    it('never hands one tenant\'s kept state to another', async () => {
      const streamId = `counter:${randomUUID()}`;
      await writePath.handle(ctx('t1'), inPlace, streamId, add(3));
      // Same stream id, other tenant: a fresh load, which the store scopes by tenant.
      await expect(writePath.handle(ctx('t2'), inPlace, streamId, add(1))).rejects.toThrow();
      const again = await writePath.handle(ctx('t1'), inPlace, streamId, add(1));
      expect(again.events).toEqual([{ type: 'TestCounterAdded', data: { by: 1, note: 'n3' } }]);
    });
  });

  describe('an event that breaks its contract', () => {
    it.each([
      ['data outside its schema', { type: 'AddBroken' } as const, /TestCounterAdded breaks its contract at \/by/],
      ['a type without a contract', { type: 'AddUnknown' } as const, /no contract is published/],
    ])('is never stored: %s', async (_case, command, message) => {
      const first = `counter:${randomUUID()}`;
      const second = `counter:${randomUUID()}`;
      const attempt = writePath.run(ctx(), async (tx) => {
        await tx.decide(plain, first, add(1));
        await tx.decide(plain, second, command);
      });
      await expect(attempt).rejects.toThrow(EventContractViolation);
      await expect(attempt).rejects.toThrow(message);
      await expect(attempt).rejects.toMatchObject({ code: 'EVENT_CONTRACT_VIOLATION' });
      expect(await store.readStream(first)).toEqual([]);
      expect(await store.readStream(second)).toEqual([]);
    });
  });

  describe('a plan of several decisions', () => {
    it('commits every stream together', async () => {
      const [a, b] = [`counter:${randomUUID()}`, `counter:${randomUUID()}`];
      const outcome = await writePath.run(ctx(), async (tx) => {
        await tx.decide(plain, a, add(1));
        await tx.decide(plain, b, [add(2), add(3)]);
        const seen = await tx.load(plain, b);
        return seen.state.total;
      });
      expect(outcome.result).toBe(5);
      expect(committedOf(outcome, plain, a)).toMatchObject({ version: 1 });
      expect(committedOf(outcome, plain, b)).toMatchObject({ version: 2, state: { total: 5 } });
      expect((await store.readStream(b)).map((e) => e.data)).toEqual([{ by: 2, note: 'n0' }, { by: 3, note: 'n2' }]);
    });

    it('stores nothing when a later decision refuses', async () => {
      const [a, b] = [`counter:${randomUUID()}`, `counter:${randomUUID()}`];
      await expect(
        writePath.run(ctx(), async (tx) => {
          await tx.decide(plain, a, add(1));
          await tx.decide(plain, b, { type: 'Refuse' });
        }),
      ).rejects.toMatchObject({ code: 'REFUSED' });
      expect(await store.readStream(a)).toEqual([]);
    });

    it('stores nothing when a same-transaction write fails, and commits the write with the events otherwise', async () => {
      await pool.query('CREATE TABLE IF NOT EXISTS test_marks (stream_id text PRIMARY KEY)');
      const a = `counter:${randomUUID()}`;
      await expect(
        writePath.run(ctx(), async (tx) => {
          await tx.decide(plain, a, add(1));
          tx.alsoInTransaction(async (client) => void (await client.query('INSERT INTO test_marks VALUES ($1)', [a])));
          tx.alsoInTransaction(async (client) => void (await client.query('SELECT 1/0')));
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await store.readStream(a)).toEqual([]);
      expect((await pool.query('SELECT 1 FROM test_marks WHERE stream_id = $1', [a])).rowCount).toBe(0);
      await writePath.run(ctx(), async (tx) => {
        await tx.decide(plain, a, add(1));
        tx.alsoInTransaction(async (client) => void (await client.query('INSERT INTO test_marks VALUES ($1)', [a])));
      });
      expect(await store.readStream(a)).toHaveLength(1);
      expect((await pool.query('SELECT 1 FROM test_marks WHERE stream_id = $1', [a])).rowCount).toBe(1);
    });

    it('re-runs the whole plan when another writer moved one of its streams meanwhile', async () => {
      const [a, b] = [`counter:${randomUUID()}`, `counter:${randomUUID()}`];
      let runs = 0;
      await writePath.run(ctx(), async (tx) => {
        runs++;
        await tx.decide(plain, a, add(1));
        await tx.decide(plain, b, add(1));
        // The first run loses: another writer appends to b before this plan commits.
        if (runs === 1) await writePath.handle(ctx(), plain, b, add(10));
      });
      expect(runs).toBe(2);
      expect((await store.readStream(a)).length).toBe(1);
      expect((await writePath.load(plain, b, 't1')).state.total).toBe(11);
    });

    it("concludes once per stream from everything decided on it, in the same append", async () => {
      const concluding = counter((state) => [{ type: 'TestCounterNoted', data: { total: state.total } }]);
      const a = `counter:${randomUUID()}`;
      const handled = await writePath.handle(ctx(), concluding, a, [add(1), add(2)]);
      expect(handled.decided.map((e) => e.type)).toEqual(['TestCounterAdded', 'TestCounterAdded']);
      expect(handled.concluded).toEqual([{ type: 'TestCounterNoted', data: { total: 3 } }]);
      expect((await store.readStream(a)).map((e) => e.type)).toEqual(['TestCounterAdded', 'TestCounterAdded', 'TestCounterNoted']);
      expect(handled.version).toBe(3);
      // Nothing decided, nothing concluded.
      expect((await writePath.handle(ctx(), concluding, a, add(1, 0))).events).toEqual([]);
      expect(await store.readStream(a)).toHaveLength(3);
    });
  });

  describe('snapshots', () => {
    it('loads from a snapshot plus the events after it, Maps included, equal to a full fold', async () => {
      const streamId = `counter:${randomUUID()}`;
      for (let i = 1; i <= 25; i++) await writePath.handle(ctx(), plain, streamId, add(i));
      const snap = await store.loadSnapshot<unknown>(streamId, 'test.counter', 1, 't1');
      expect(snap?.streamVersion).toBe(20);
      const fromSnapshot = await writePath.load(plain, streamId, 't1');
      const full = await writePath.load({ ...plain, snapshot: undefined }, streamId, 't1');
      expect(fromSnapshot).toEqual(full);
      expect(fromSnapshot.state.notes).toBeInstanceOf(Map);
      expect(fromSnapshot).toMatchObject({ version: 25, state: { total: 325 } });
    });

    it('ignores a snapshot written by an older fold', async () => {
      const streamId = `counter:${randomUUID()}`;
      for (let i = 1; i <= 10; i++) await writePath.handle(ctx(), plain, streamId, add(1));
      await pool.query(`UPDATE es_snapshots SET state = $2 WHERE stream_id = $1`, [streamId, serialize({ total: 999, notes: new Map() })]);
      const newer = { ...plain, snapshot: snapshotPolicy<Counter>('test.counter', 2, 10) };
      expect((await writePath.load(newer, streamId, 't1')).state.total).toBe(10);
    });

    it('folds the whole stream when a snapshot cannot be read (bytes of another serialiser): a snapshot is only a cache', async () => {
      const streamId = `counter:${randomUUID()}`;
      for (let i = 1; i <= 12; i++) await writePath.handle(ctx(), plain, streamId, add(1));
      await pool.query(`UPDATE es_snapshots SET state = $2 WHERE stream_id = $1`, [streamId, Buffer.from('{"total": 999}')]);
      const loaded = await writePath.load(plain, streamId, 't1');
      expect(loaded).toMatchObject({ version: 12, state: { total: 12 } });
      expect(loaded.state.notes).toBeInstanceOf(Map);
    });
  });

  describe('a staged change', () => {
    const adds = (n: number, from = 0): Evt[] => Array.from({ length: n }, (_, i) => ({ type: 'TestCounterAdded', data: { by: 1, note: `n${from + i}` } }));
    const change = (streamId: string, staging: string, events: Iterable<readonly Evt[]> | AsyncIterable<readonly Evt[]>, extra: object = {}) => ({
      expectedVersion: 0,
      events,
      stagingStreamId: staging,
      chunkData: (chunkEvents: readonly unknown[], chunk: number) => ({ chunk, events: chunkEvents }),
      commit: (summary: { chunks: number; events: number }): Evt => ({ type: 'TestCounterImported', data: { stagingStreamId: staging, ...summary } }),
      maxChunkBytes: 100,
      ...extra,
    });

    it('is staged in chunks under the size limit, invisible until its commit, then folded before the commit event', async () => {
      const [a, staging] = [`counter:${randomUUID()}`, `counter-import:${randomUUID()}`];
      let chunksSeenBeforeCommit = 0;
      const result = await writePath.commitStaged(ctx(), plain, a, {
        ...change(a, staging, [adds(40)]),
        onChunkStaged: async () => {
          chunksSeenBeforeCommit++;
          expect(await store.readStream(a)).toEqual([]);
        },
      });
      expect(result).toMatchObject({ version: 1, events: 40 });
      expect(result.chunks).toBeGreaterThan(3);
      expect(chunksSeenBeforeCommit).toBe(result.chunks);
      const chunks = await store.readStream(staging);
      expect(chunks.map((c) => (c.data as { chunk: number }).chunk)).toEqual([...Array(result.chunks).keys()]);
      for (const c of chunks) expect(Buffer.byteLength(JSON.stringify((c.data as { events: unknown[] }).events))).toBeLessThanOrEqual(100);
      expect((await store.readStream(a)).map((e) => e.type)).toEqual(['TestCounterImported']);
      expect((await writePath.load({ ...plain, snapshot: undefined }, a, 't1')).state.total).toBe(40);
    });

    it('reports a committed change as committed when its snapshot cannot be saved (e.g. past the bytea limit); the next load folds the stage', async () => {
      const [a, staging] = [`counter:${randomUUID()}`, `counter-import:${randomUUID()}`];
      const failing = jest.spyOn(store, 'saveSnapshotBytes').mockRejectedValueOnce(new Error('invalid memory alloc request size 1073741824'));
      try {
        const result = await writePath.commitStaged(ctx(), plain, a, { ...change(a, staging, [adds(12)]), finalStateBytes: () => serialize({}) });
        expect(result).toMatchObject({ version: 1, events: 12 });
      } finally {
        failing.mockRestore();
      }
      expect((await writePath.load(plain, a, 't1')).state.total).toBe(12);
    });

    it('commits nothing when the aggregate moved meanwhile, and a retry that resumes from the staged chunks stages none twice', async () => {
      const [a, staging] = [`counter:${randomUUID()}`, `counter-import:${randomUUID()}`];
      await writePath.handle(ctx(), plain, a, add(5));
      await expect(writePath.commitStaged(ctx(), plain, a, change(a, staging, [adds(10)]))).rejects.toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT' });
      expect((await writePath.load(plain, a, 't1')).state.total).toBe(5);
      const staged = (await store.readStream(staging)).length;
      expect(staged).toBeGreaterThan(1);
      // The same change, decided again on the new version, resumes after the chunks already staged.
      const result = await writePath.commitStaged(ctx(), plain, a, { ...change(a, staging, [adds(10)]), expectedVersion: 1, fromChunk: staged });
      expect(result.chunks).toBe(staged);
      expect(await store.readStream(staging)).toHaveLength(staged);
      expect((await writePath.load({ ...plain, snapshot: undefined }, a, 't1')).state.total).toBe(15);
    });

    it('takes a final state serialised elsewhere (the import worker) as the snapshot', async () => {
      const [a, staging] = [`counter:${randomUUID()}`, `counter-import:${randomUUID()}`];
      const finalState: Counter = { total: 3, notes: new Map([['y', 3]]) };
      await writePath.commitStaged(ctx(), plain, a, { ...change(a, staging, [adds(3)]), finalStateBytes: () => new Uint8Array(serialize(finalState)) });
      expect((await writePath.load(plain, a, 't1')).state).toEqual(finalState);
    });

    it('snapshots the final state right after the commit, so loads do not fold the chunks again', async () => {
      const [a, staging] = [`counter:${randomUUID()}`, `counter-import:${randomUUID()}`];
      const finalState = (): Counter => ({ total: 7, notes: new Map([['x', 7]]) });
      await writePath.commitStaged(ctx(), plain, a, { ...change(a, staging, [adds(7)]), finalState });
      expect(await store.loadSnapshot(a, 'test.counter', 1, 't1')).toMatchObject({ streamVersion: 1 });
      expect((await writePath.load(plain, a, 't1')).state).toEqual(finalState());
    });

    it('refuses an event too large for one message, and stages nothing after it', async () => {
      const [a, staging] = [`counter:${randomUUID()}`, `counter-import:${randomUUID()}`];
      const huge: Evt = { type: 'TestCounterAdded', data: { by: 1, note: 'x'.repeat(1_000_000) } };
      await expect(writePath.commitStaged(ctx(), plain, a, change(a, staging, [[huge]]))).rejects.toThrow(/must fit one message/);
      expect(await store.readStream(a)).toEqual([]);
      await expect(writePath.handle(ctx(), plain, a, { type: 'AddHuge' } as unknown as Cmd)).rejects.toBeDefined();
    });
  });

  it('another tenant loads an empty stream', async () => {
    const streamId = `counter:${randomUUID()}`;
    await writePath.handle(ctx('t1'), plain, streamId, add(3));
    expect(await writePath.load(plain, streamId, 't2')).toMatchObject({ version: 0, state: { total: 0 } });
  });
});
