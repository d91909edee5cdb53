import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { snapshotPolicy } from '@pm/shared/ddd';
import type { Aggregate } from '@pm/shared/ddd';
import type { PgEventStore } from '../pg-event-store';
import { EventContractViolation } from './event-contract-check';
import { WritePath, committedOf, preloadOf } from './write-path';
import { add, counter, ctx, writePathDatabase } from './write-path.spec-fixtures';
import type { Cmd, Counter, Evt } from './write-path.spec-fixtures';

describe('WritePath (real PostgreSQL)', () => {
  const env = writePathDatabase('write_path', { retriesOnConflict: 50 });
  let pool: Pool;
  let store: PgEventStore;
  let writePath: WritePath;
  const plain = counter();
  beforeAll(() => ({ pool, store, writePath } = env));

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

  describe('runAllIn: a consumer batch of plans in the caller’s transaction (ADR 0019)', () => {
    it('stores every plan with its own context in one append, reads the preloaded streams once, and runs the writes after it', async () => {
      const [a, b, other] = [`counter:${randomUUID()}`, `counter:${randomUUID()}`, `counter:${randomUUID()}`];
      const [c1, c2, c3] = [ctx(), ctx(), ctx('t2')];
      const reads = jest.spyOn(store, 'loadManyForFold');
      const seen: number[] = [];
      let appends = 0;
      try {
        await store.transaction(async (client) => {
          const query = client.query.bind(client) as (...args: unknown[]) => unknown;
          const counting = new Proxy(client, {
            get: (target, key) => (key === 'query' ? (...args: unknown[]) => ((appends += (args[0] as { name?: string }).name === 'es_append_streams' ? 1 : 0), query(...args)) : Reflect.get(target, key)),
          });
          const outcomes = await writePath.runAllIn(
            counting,
            [
              {
                ctx: c1,
                plan: async (tx) => {
                  const before = (await tx.loadMany(plain, [a])).get(a)?.version ?? -1;
                  return before * 100 + (await tx.decide(plain, a, add(2))).state.total;
                },
              },
              {
                ctx: c2,
                plan: async (tx) => {
                  tx.alsoInTransaction(async (c) => void seen.push((await c.query('SELECT count(*)::int AS n FROM es_events WHERE stream_id = ANY($1)', [[a, b]])).rows[0].n));
                  return (await tx.decide(plain, b, [add(1), add(1)])).state.total;
                },
              },
              { ctx: c3, plan: async (tx) => (await tx.decide(plain, other, add(7))).state.total },
            ],
            [preloadOf(plain, 't1', [a, b]), preloadOf(plain, 't2', [other])],
          );
          expect(outcomes.map((o) => o.result)).toEqual([2, 2, 7]);
        });
        // One read per preload (tenant), none by the plans; t1's two streams in one append statement (t2's one alone).
        expect(reads).toHaveBeenCalledTimes(2);
        expect(appends).toBe(1);
      } finally {
        reads.mockRestore();
      }
      // The write ran after the batch's append: it saw all three events of a and b.
      expect(seen).toEqual([3]);
      const [onA] = await store.readStream(a);
      const onB = await store.readStream(b);
      expect(onA.metadata).toMatchObject({ correlationId: c1.correlationId, causationId: c1.causationId });
      expect(onB.map((e) => e.metadata.correlationId)).toEqual([c2.correlationId, c2.correlationId]);
      expect((await writePath.load(plain, other, 't2')).state.total).toBe(7);
      // A preload is read as its tenant: t1 does not see t2's stream.
      expect((await writePath.load(plain, other, 't1')).version).toBe(0);
    });

    it('refuses two plans that write one stream, and the caller’s rollback stores none of the batch', async () => {
      const [shared, alone] = [`counter:${randomUUID()}`, `counter:${randomUUID()}`];
      await expect(
        store.transaction((client) =>
          writePath.runAllIn(client, [
            { ctx: ctx(), plan: (tx) => tx.decide(plain, alone, add(1)) },
            { ctx: ctx(), plan: (tx) => tx.decide(plain, shared, add(1)) },
            { ctx: ctx(), plan: (tx) => tx.decide(plain, shared, add(1)) },
          ]),
        ),
      ).rejects.toThrow(`Stream ${shared} is written by two plans of one runAllIn`);
      expect((await writePath.load(plain, shared, 't1')).version).toBe(0);
      expect((await writePath.load(plain, alone, 't1')).version).toBe(0);
    });

    it('a preloaded stream is taken by the first plan that stages it; the next plan reads it as stored', async () => {
      const streamId = `counter:${randomUUID()}`;
      await writePath.handle(ctx(), plain, streamId, add(4));
      const totals = await store.transaction((client) =>
        writePath.runAllIn(client, [{ ctx: ctx(), plan: async (tx) => (await tx.load(plain, streamId)).state.total }, { ctx: ctx(), plan: async (tx) => (await tx.decide(plain, streamId, add(1))).state.total }], [preloadOf(plain, 't1', [streamId])]),
      );
      expect(totals.map((t) => t.result)).toEqual([4, 5]);
      expect((await writePath.load(plain, streamId, 't1')).state.total).toBe(5);
    });
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

  it('another tenant loads an empty stream', async () => {
    const streamId = `counter:${randomUUID()}`;
    await writePath.handle(ctx('t1'), plain, streamId, add(3));
    expect(await writePath.load(plain, streamId, 't2')).toMatchObject({ version: 0, state: { total: 0 } });
  });

  it('spaces the snapshots of a large state by its size, unless the spacing is configured', async () => {
    // The counter's "size" is its total: each event adds 5, so the state always outgrows the events since a snapshot.
    const sized: Aggregate<Cmd, Evt, Counter> = { ...plain, snapshot: snapshotPolicy<Counter>('test.counter', 1, 10, (s) => s.total) };
    const [bySize, configured] = [`counter:${randomUUID()}`, `counter:${randomUUID()}`];
    const snapshots = async (streamId: string) => (await pool.query('SELECT count(*)::int AS n FROM es_snapshots WHERE stream_id = $1', [streamId])).rows[0].n;
    for (let i = 0; i < 12; i++) await writePath.handle(ctx(), sized, bySize, add(5, 1_000));
    expect(await snapshots(bySize)).toBe(0);
    expect(await writePath.load(sized, bySize, 't1')).toMatchObject({ version: 12, state: { total: 60 } });
    const spaced = new WritePath(store, { snapshotEvery: 4 });
    for (let i = 0; i < 12; i++) await spaced.handle(ctx(), sized, configured, add(5, 1_000));
    expect(await snapshots(configured)).toBe(1);
  });

  it('loads several streams in one round trip as it loads each: snapshot and tail, none, another tenant’s', async () => {
    const [long, short, none, foreign] = Array.from({ length: 4 }, () => `counter:${randomUUID()}`);
    // Past the policy's 10 events, so `long` is read from a snapshot and the events after it.
    for (let i = 0; i < 12; i++) await writePath.handle(ctx(), plain, long, add(1));
    await writePath.handle(ctx(), plain, short, add(5));
    await writePath.handle(ctx('t2'), plain, foreign, add(7));
    expect((await pool.query('SELECT count(*)::int AS n FROM es_snapshots WHERE stream_id = $1', [long])).rows[0].n).toBe(1);
    const ids = [long, short, none, foreign];
    const many = await writePath.loadMany(plain, ids, 't1');
    for (const id of ids) expect(many.get(id)).toEqual(await writePath.load(plain, id, 't1'));
    expect([...many.values()].map((l) => [l.version, l.state.total])).toEqual([
      [12, 12],
      [1, 5],
      [0, 0],
      [0, 0],
    ]);
    // In a plan, a stream already staged keeps what the plan decided on it.
    await writePath.run(ctx(), async (tx) => {
      await tx.decide(plain, short, add(2));
      const staged = await tx.loadMany(plain, [short, long]);
      expect(staged.get(short)).toMatchObject({ version: 2, state: { total: 7 } });
      expect(staged.get(short)).toEqual(await tx.load(plain, short));
      expect(staged.get(long)).toMatchObject({ version: 12, state: { total: 12 } });
    });
  });
});
