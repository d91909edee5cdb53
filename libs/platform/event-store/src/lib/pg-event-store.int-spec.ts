import { randomBytes } from 'node:crypto';
import { types } from 'node:util';
import { serialize } from 'node:v8';
import { adoptRealm } from '@pm/shared/ddd/testing';
import { Client } from 'pg';
import type { Pool } from 'pg';
import { toProblem } from '@pm/platform/http';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { DuplicateEventId, ExpectedVersionConflict, StreamTenantMismatch } from './event-store.errors';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';
import { testEvent, waitFor } from '@pm/platform/testing';
import { START_OF_LOG } from './event-store.types';
import { runMigrations } from './migrations';
import { PgEventStore } from './pg-event-store';
import { APPEND_STATEMENT_EVENTS, STEPPED_APPEND_EVENTS } from './pg-event-store.sql';
import { INLINE_SNAPSHOT_BYTES, snapshotBytes, whileSnapshotReplaced } from './snapshot-slices';
import { SNAPSHOT_PART_ENTRIES } from './snapshot-codec';
import { createPgPool } from './pg-pool';

describe('PgEventStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('event_store');
    expect(await runMigrations(db.url, EVENT_STORE_MIGRATIONS)).toEqual(['EventStoreSchema1764100000000', 'EventStoreBinarySnapshots1764500000000', 'IdempotencyKeys1765200000000', 'EventStoreRecordedAtClock1765300000000']);
    expect(await runMigrations(db.url, EVENT_STORE_MIGRATIONS)).toEqual([]);
    pool = createPgPool(db.url, { max: 60 });
    store = new PgEventStore(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const t = 'tenant-a';

  describe('expected version', () => {
    it('no-stream: creates a new stream and refuses an existing one', async () => {
      await expect(store.append('s-new', [testEvent(t), testEvent(t)], 'no-stream')).resolves.toEqual({ nextExpectedVersion: 2 });
      const err = await store.append('s-new', [testEvent(t)], 'no-stream').catch((e) => e);
      expect(err).toBeInstanceOf(ExpectedVersionConflict);
      expect(err).toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', streamId: 's-new', expected: 'no-stream', actual: 2 });
    });

    it('a number: appends only at exactly that version', async () => {
      await store.append('s-num', [testEvent(t)], 0);
      await expect(store.append('s-num', [testEvent(t)], 1)).resolves.toEqual({ nextExpectedVersion: 2 });
      await expect(store.append('s-num', [testEvent(t)], 1)).rejects.toMatchObject({ actual: 2, expected: 1 });
      await expect(store.append('s-num', [testEvent(t)], 5)).rejects.toBeInstanceOf(ExpectedVersionConflict);
      await expect(store.append('s-missing', [testEvent(t)], 3)).rejects.toMatchObject({ actual: -1 });
    });

    it('stream-exists: refuses a stream that does not exist', async () => {
      await expect(store.append('s-exists', [testEvent(t)], 'stream-exists')).rejects.toMatchObject({ actual: -1 });
      await store.append('s-exists', [testEvent(t)], 'no-stream');
      await expect(store.append('s-exists', [testEvent(t)], 'stream-exists')).resolves.toEqual({ nextExpectedVersion: 2 });
    });

    it('any: appends whatever the version', async () => {
      await expect(store.append('s-any', [testEvent(t)], 'any')).resolves.toEqual({ nextExpectedVersion: 1 });
      await expect(store.append('s-any', [testEvent(t), testEvent(t)], 'any')).resolves.toEqual({ nextExpectedVersion: 3 });
    });

    it('a failed append writes nothing', async () => {
      await store.append('s-atomic', [testEvent(t)], 'no-stream');
      await expect(store.append('s-atomic', [testEvent(t), testEvent(t)], 7)).rejects.toBeInstanceOf(ExpectedVersionConflict);
      expect(await store.readStream('s-atomic')).toHaveLength(1);
      expect(await store.streamVersion('s-atomic')).toBe(1);
    });

    it('refuses a duplicate event id (idempotency key) without writing the batch', async () => {
      const e = testEvent(t);
      await store.append('s-dup', [e], 'any');
      const duplicate = await store.append('s-dup', [testEvent(t), e], 'any').catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(DuplicateEventId);
      // The driver's "Key (event_id)=(...) already exists" stays out of what a client reads.
      expect(JSON.stringify(toProblem(duplicate, { instance: '/x' }).problem)).not.toMatch(/Key \(|event_id|already exists/);
      expect(await store.streamVersion('s-dup')).toBe(1);
    });
  });

  describe('failure modes', () => {
    it('a conflict inside the caller\'s transaction is still an ExpectedVersionConflict, not an aborted-transaction error', async () => {
      await store.append('s-tx', [testEvent(t)], 'no-stream');
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await expect(store.append('s-tx', [testEvent(t)], 'no-stream', client)).rejects.toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', actual: 1 });
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    });

    it('refuses, as invalid, text PostgreSQL cannot store (NUL, lone surrogate) instead of failing with a server error', async () => {
      await expect(store.append('s-nul', [testEvent(t, 'Named', { name: 'a\u0000b' })], 'any')).rejects.toMatchObject({ code: 'INVALID_APPEND' });
      await expect(store.append('s-nul', [testEvent(t, 'Named', { name: 'x\ud800' })], 'any')).rejects.toMatchObject({ code: 'INVALID_APPEND' });
      const refusal = await store.append('s-nul', [testEvent(t, 'Named', { name: 'a\u0000b' })], 'any').catch((error: unknown) => error);
      const { problem } = toProblem(refusal, { instance: '/x' });
      expect(problem).toMatchObject({ status: 422, code: 'INVALID_APPEND' });
      // No SQL state (22P05, 22P02, 22021) nor any other word of the driver's.
      expect(JSON.stringify(problem)).not.toMatch(/22P0|22021|SQLSTATE|invalid byte sequence|unsupported Unicode/i);
    });

    it('"any" appends racing for the same head all land (a lost race is retried, there is no decision to re-make)', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => store.append('s-any-race', [testEvent(t)], 'any')));
      expect(results.map((r) => r.nextExpectedVersion).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('keeps per-stream order in the log: a transaction whose id predates the head\'s writer may not append', async () => {
      await store.append('s-order', [testEvent(t, 'First')], 'no-stream');
      const early = await pool.connect();
      try {
        await early.query('BEGIN');
        await early.query('SELECT pg_current_xact_id()'); // takes its id now, as a consumer's inbox insert would
        await store.append('s-order', [testEvent(t, 'Second')], 1); // a later transaction commits version 2
        await expect(store.append('s-order', [testEvent(t, 'Third')], 2, early)).rejects.toMatchObject({
          code: 'TRANSACTION_ORDER_CONFLICT',
        });
        await early.query('ROLLBACK');
      } finally {
        early.release();
      }
      await store.append('s-order', [testEvent(t, 'Third')], 2);
      // The log shows a commit once no older transaction anywhere on the server is open: wait for that, then look.
      const log = await waitFor(async () => {
        const rows = (await store.readAll(undefined, 100_000)).filter((e) => e.streamId === 's-order');
        return rows.length === 3 && rows;
      }, { timeoutMs: 10_000, intervalMs: 20, what: 'all three events visible' });
      expect(log.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });
  });

  describe('tenancy', () => {
    it('a stream belongs to one tenant: another tenant can neither append nor read it', async () => {
      await store.append('s-tenant', [testEvent('tenant-x')], 'no-stream');
      for (const expected of [1, 'any', 'stream-exists', 'no-stream'] as const) {
        await expect(store.append('s-tenant', [testEvent('tenant-y')], expected)).rejects.toBeInstanceOf(StreamTenantMismatch);
      }
      // Stream ids carry their tenant, so this is a bug, answered as any bug is: nothing says the id exists elsewhere.
      const mismatch = await store.append('s-tenant', [testEvent('tenant-y')], 'any').catch((error: unknown) => error);
      const { problem, logAsError } = toProblem(mismatch, { instance: '/x' });
      expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
      expect(JSON.stringify(problem)).not.toMatch(/tenant|taken|s-tenant/i);
      expect(logAsError).toBe(true);
      expect(await store.readStream('s-tenant', { tenantId: 'tenant-y' })).toEqual([]);
      expect(await store.readStream('s-tenant', { tenantId: 'tenant-x' })).toHaveLength(1);
    });
  });

  describe('reading', () => {
    it('reads a stream forward from a version with its metadata', async () => {
      const events = Array.from({ length: 5 }, (_, i) => testEvent(t, 'Counted', { i }));
      await store.append('s-read', events, 'no-stream');
      const read = await store.readStream('s-read', { fromVersion: 3 });
      expect(read.map((e) => [e.streamVersion, e.data])).toEqual([
        [3, { i: 2 }],
        [4, { i: 3 }],
        [5, { i: 4 }],
      ]);
      expect(read[0]).toMatchObject({
        eventId: events[2].metadata.eventId,
        tenantId: t,
        type: 'Counted',
        schemaVersion: 1,
        metadata: events[2].metadata,
      });
      expect(await store.readStream('s-read', { fromVersion: 2, maxCount: 2 })).toHaveLength(2);
    });

    it('records each event when the database inserts it, whatever occurredAt it was decided with (ADR 0506)', async () => {
      const at = (e: { metadata: object }, occurredAt: string) => ({ ...e, metadata: { ...e.metadata, occurredAt } }) as ReturnType<typeof testEvent>;
      const clock = async () => (await pool.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0].t.getTime();
      const before = await clock();
      // Decided in the reverse order of their commits: the first one by a round whose context was created an hour later.
      const first = at(testEvent(t, 'Counted', { i: 1 }), new Date(before + 3_600_000).toISOString());
      const second = at(testEvent(t, 'Counted', { i: 2 }), new Date(before - 3_600_000).toISOString());
      await store.transaction(async (c) => {
        await store.append('s-recorded-1', [first], 'no-stream', c);
        // Later in the same transaction: now() would give both the transaction's start, the clock at insert does not.
        await new Promise((resolve) => setTimeout(resolve, 30));
        await store.append('s-recorded-2', [second], 'no-stream', c);
      });
      const after = await clock();
      const [a] = await store.readStream('s-recorded-1');
      const [b] = await store.readStream('s-recorded-2');
      expect([a.occurredAt, b.occurredAt]).toEqual([first.metadata.occurredAt, second.metadata.occurredAt]);
      const [ra, rb] = [Date.parse(a.recordedAt), Date.parse(b.recordedAt)];
      expect(ra).toBeGreaterThanOrEqual(before - 1);
      expect(rb - ra).toBeGreaterThanOrEqual(25);
      expect(rb).toBeLessThanOrEqual(after + 1);
      const read = (await store.readAll()).filter((e) => e.streamId.startsWith('s-recorded-'));
      expect(read.map((e) => e.recordedAt)).toEqual([a.recordedAt, b.recordedAt]);
    });

    it('stores a large append, its parameters encoded in steps, character for character (in one stream and across streams)', async () => {
      const hostile = ['"', '\\', '\\"', '{}', 'a,b', 'NULL', ' spaced ', 'é€😀', "it's", '[1,2]', '\\u0041'];
      const make = (n: number) => Array.from({ length: n }, (_, i) => testEvent(t, i % 2 ? 'Quoted"Type' : 'Back\\slash', { i, s: hostile[i % hostile.length], nested: { h: hostile } }));
      // Past APPEND_STATEMENT_EVENTS: several statements in one transaction, each encoded in steps.
      const events = make(APPEND_STATEMENT_EVENTS * 2 + 7);
      await expect(store.append('s-large', events, 'no-stream')).resolves.toEqual({ nextExpectedVersion: events.length });
      const read = await store.readStream('s-large');
      expect(read.map((e) => [e.eventId, e.type, e.data, e.metadata])).toEqual(events.map((e) => [e.metadata.eventId, e.type, e.data, e.metadata]));
      expect(read.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
      // One commit: one transaction id, positions in order.
      expect(new Set(read.map((e) => e.checkpoint.transactionId)).size).toBe(1);
      // All or nothing: the last statement refused (an event id already stored) takes the first one's events with it,
      // on its own and inside the caller's transaction.
      const refused = make(APPEND_STATEMENT_EVENTS + 1);
      const last = refused[refused.length - 1];
      refused[refused.length - 1] = { ...last, metadata: { ...last.metadata, eventId: events[0].metadata.eventId } };
      await expect(store.append('s-large', refused, events.length)).rejects.toBeInstanceOf(DuplicateEventId);
      await expect(store.transaction((c) => store.append('s-large', refused, events.length, c))).rejects.toBeInstanceOf(DuplicateEventId);
      expect(await store.readStream('s-large', { fromVersion: events.length + 1 })).toEqual([]);
      // A client outside a transaction would make it several appends: refused.
      const bare = await pool.connect();
      try {
        await expect(store.append('s-large-bare', make(APPEND_STATEMENT_EVENTS + 1), 'no-stream', bare)).rejects.toThrow('SAVEPOINT can only be used in transaction blocks');
      } finally {
        bare.release();
      }
      expect(await store.readStream('s-large-bare')).toEqual([]);
      // Across streams in the caller's transaction: one by one past the statement bound, the larger one in two statements.
      const [x, y] = [make(STEPPED_APPEND_EVENTS), make(APPEND_STATEMENT_EVENTS + 1)];
      await store.transaction((c) => store.appendStreams([{ streamId: 's-large-x', events: x, expected: 'no-stream' }, { streamId: 's-large-y', events: y, expected: 'no-stream' }], c));
      expect((await store.readStream('s-large-y')).map((e) => [e.type, e.data])).toEqual(y.map((e) => [e.type, e.data]));
    });

    it('keeps snapshots, newest wins, and ignores a snapshot of another shape', async () => {
      await store.saveSnapshot({ streamId: 's-snap', streamVersion: 10, snapshotType: 'Counter', schemaVersion: 1, state: { n: 10 } }, t);
      await store.saveSnapshot({ streamId: 's-snap', streamVersion: 5, snapshotType: 'Counter', schemaVersion: 1, state: { n: 5 } }, t);
      expect(await store.loadSnapshot('s-snap', 'Counter', 1, t)).toMatchObject({ streamVersion: 10, state: { n: 10 } });
      expect(await store.loadSnapshot('s-snap', 'Counter', 2, t)).toBeNull();
      expect(await store.loadSnapshot('s-snap', 'Counter', 1, 'someone-else')).toBeNull();
    });

    it('writes snapshot states as structured-clone bytes: Maps, Sets and keys named like prototype members survive as data', async () => {
      const hostile = Object.fromEntries([['__proto__', { polluted: true }], ['constructor', 'c']]);
      const state = { tasks: new Map<string, unknown>([['__proto__', hostile], ['constructor', new Set(['toString'])]]), hostile };
      await store.saveSnapshot({ streamId: 's-snap-proto', streamVersion: 3, snapshotType: 'Hostile', schemaVersion: 1, state }, t);
      const loaded = await store.loadSnapshot<typeof state>('s-snap-proto', 'Hostile', 1, t);
      // Read back in Node's main realm (node:v8), not this spec's VM context: compared once adopted into it.
      expect(adoptRealm(loaded?.state)).toEqual(state);
      expect(types.isMap(loaded?.state.tasks)).toBe(true);
      expect(Object.hasOwn(loaded?.state.hostile ?? {}, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(Object.getPrototypeOf(loaded?.state.hostile))).toBeNull();
      expect((loaded?.state.hostile as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const column = await pool.query<{ type: string }>(`SELECT pg_typeof(state)::text AS type FROM es_snapshots WHERE stream_id = 's-snap-proto'`);
      expect(column.rows[0].type).toBe('bytea');
    });
  });

  describe('snapshots larger than the inline bound', () => {
    it('are read in slices into the same bytes, by loadSnapshot and by a fold load with its tail', async () => {
      // Past INLINE_SNAPSHOT_BYTES the bytes come in slices, as base64 (a 400,000-task plan's snapshot, read inline as hex
      // text, was longer than a JavaScript string may be); an odd size makes the last slice a short one.
      const payload = randomBytes(2 * INLINE_SNAPSHOT_BYTES + 12_345);
      const state = { payload, tasks: new Map([['t1', { name: 'big' }]]) };
      await store.append('s-snap-big', [testEvent(t, 'Counted', { n: 1 }), testEvent(t, 'Counted', { n: 2 })], 'no-stream');
      await store.saveSnapshot({ streamId: 's-snap-big', streamVersion: 1, snapshotType: 'Big', schemaVersion: 1, state }, t);
      const loaded = await store.loadSnapshot<typeof state>('s-snap-big', 'Big', 1, t);
      expect(loaded?.streamVersion).toBe(1);
      expect(Buffer.compare(Buffer.from(loaded?.state.payload ?? []), payload)).toBe(0);
      expect(adoptRealm(loaded?.state.tasks)).toEqual(state.tasks);
      const forFold = await store.loadForFold('s-snap-big', t, { type: 'Big', schemaVersion: 1 });
      expect(forFold.snapshot?.streamVersion).toBe(1);
      expect(Buffer.compare(forFold.snapshot?.bytes ?? Buffer.alloc(0), serialize(state))).toBe(0);
      expect(forFold.tail.map((e) => e.streamVersion)).toEqual([2]);
      expect(await store.loadSnapshot('s-snap-big', 'Big', 1, 'someone-else')).toBeNull();
    });

    it('are written as a COPY stream that keeps the newest version, also when writers race', async () => {
      const sized = (n: number) => ({ n, payload: Buffer.alloc(INLINE_SNAPSHOT_BYTES + 1, n) });
      const save = (version: number, streamId = 's-snap-copy') => store.saveSnapshot({ streamId, streamVersion: version, snapshotType: 'Big', schemaVersion: 1, state: sized(version) }, t);
      const stored = async (streamId = 's-snap-copy') => (await store.loadSnapshot<ReturnType<typeof sized>>(streamId, 'Big', 1, t)) ?? null;
      // Racing where there is no snapshot yet: one COPY fails on the key and is retried as a replacement.
      await Promise.all([save(1, 's-snap-copy-new'), save(2, 's-snap-copy-new')]);
      expect((await stored('s-snap-copy-new'))?.streamVersion).toBe(2);
      await save(3);
      await save(2);
      expect((await stored())?.streamVersion).toBe(3);
      await Promise.all([save(5), save(4), save(6)]);
      const newest = await stored();
      expect(newest?.streamVersion).toBe(6);
      expect(newest?.state.n).toBe(6);
      expect(Buffer.from(newest?.state.payload ?? []).every((b) => b === 6)).toBe(true);
      const row = await pool.query<{ tenant_id: string; snapshot_type: string; schema_version: number; size: number }>(
        `SELECT tenant_id, snapshot_type, schema_version, octet_length(state) AS size FROM es_snapshots WHERE stream_id = 's-snap-copy'`,
      );
      expect(row.rows).toEqual([{ tenant_id: t, snapshot_type: 'Big', schema_version: 1, size: serialize(sized(6)).length }]);
    });

    it('take no transaction id while the bytes stream in, so the log\'s readers are not held behind a slow upload', async () => {
      const state = (n: number) => ({ n, payload: Buffer.alloc(24 * 1024 * 1024, n) });
      await store.saveSnapshot({ streamId: 's-snap-xid', streamVersion: 1, snapshotType: 'Big', schemaVersion: 1, state: state(1) }, t);
      // Replacing one: the row lock and the delete come after the COPY; before, the whole upload held an id.
      const seen: Array<string | null> = [];
      // A loaded machine can finish one upload between two samples: replace it again until a sample caught the COPY.
      let version = 1;
      while (seen.length === 0 && version < 8) {
        version++;
        let saving = true;
        const saved = store.saveSnapshot({ streamId: 's-snap-xid', streamVersion: version, snapshotType: 'Big', schemaVersion: 1, state: state(version) }, t).finally(() => (saving = false));
        while (saving) {
          const activity = await pool.query<{ xid: string | null }>(`SELECT backend_xid::text AS xid FROM pg_stat_activity WHERE query LIKE 'COPY es_snapshots%' AND state = 'active'`);
          seen.push(...activity.rows.map((r) => r.xid));
        }
        await saved;
      }
      expect(seen).toContain(null);
      expect((await store.loadSnapshot<{ n: number }>('s-snap-xid', 'Big', 1, t))?.state.n).toBe(version);
    });

    it('of a state with Maps past SNAPSHOT_PART_ENTRIES are written in parts and read back whole', async () => {
      const tasks = new Map(Array.from({ length: SNAPSHOT_PART_ENTRIES * 2 + 3 }, (_, i) => [`t${i}`, { name: `task ${i}`, duration: i % 7 }]));
      await store.saveSnapshot({ streamId: 's-snap-parted', streamVersion: 1, snapshotType: 'Big', schemaVersion: 1, state: { status: 'open', tasks } }, t);
      const stored = await pool.query<{ head: string }>(`SELECT encode(substring(state FROM 1 FOR 8), 'escape') AS head FROM es_snapshots WHERE stream_id = 's-snap-parted'`);
      expect(stored.rows[0].head).toBe('PMSNAPP1');
      const loaded = await store.loadSnapshot<{ status: string; tasks: Map<string, unknown> }>('s-snap-parted', 'Big', 1, t);
      expect(adoptRealm(loaded?.state)).toEqual({ status: 'open', tasks });
    });

    it('a slice read of a snapshot a newer one replaced answers null, and the load starts again (three times at most)', async () => {
      const big = { payload: randomBytes(INLINE_SNAPSHOT_BYTES + 1) };
      await store.saveSnapshot({ streamId: 's-snap-replaced', streamVersion: 1, snapshotType: 'Big', schemaVersion: 1, state: big }, t);
      const size = (await pool.query<{ n: number }>(`SELECT octet_length(state) AS n FROM es_snapshots WHERE stream_id = 's-snap-replaced'`)).rows[0].n;
      await store.saveSnapshot({ streamId: 's-snap-replaced', streamVersion: 2, snapshotType: 'Big', schemaVersion: 1, state: big }, t);
      expect(await snapshotBytes(pool, { streamId: 's-snap-replaced', tenantId: t, version: 1, size, inline: null })).toBeNull();
      expect((await snapshotBytes(pool, { streamId: 's-snap-replaced', tenantId: t, version: 2, size, inline: null }))?.length).toBe(size);
      let loads = 0;
      await expect(whileSnapshotReplaced('s-x', async () => (++loads < 3 ? undefined : 'loaded'))).resolves.toBe('loaded');
      await expect(whileSnapshotReplaced('s-x', async () => undefined)).rejects.toThrow('The snapshot of s-x was replaced during three loads in a row');
    });
  });

  describe('reading the whole log while transactions commit out of order', () => {
    it('never returns a row while an older transaction that could precede it is still open', async () => {
      // Start after everything the earlier cases wrote is visible: other specs' transactions elsewhere on the server
      // can hold it back for a moment, and would otherwise show up in `after` below.
      const total = Number((await pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
      const visible = await waitFor(async () => {
        const all = await store.readAll(START_OF_LOG, 1_000_000);
        return all.length === total && all;
      }, { timeoutMs: 10_000, intervalMs: 20, what: 'the earlier events visible' });
      const from = visible.at(-1)?.checkpoint ?? START_OF_LOG;
      const slow = await pool.connect();
      try {
        await slow.query('BEGIN');
        await store.append('s-late', [testEvent(t, 'Late')], 'any', slow); // takes its position first...
        await store.append('s-early', [testEvent(t, 'Early')], 'any'); // ...this one commits first
        // A reader using "position > last seen" would now return Early and move past Late forever.
        expect(await store.readAll(from)).toEqual([]);
        await slow.query('COMMIT');
      } finally {
        slow.release();
      }
      // Both commit now, but stay hidden while any older transaction elsewhere on the server is still open.
      const after = await waitFor(async () => {
        const rows = await store.readAll(from);
        return rows.length >= 2 && rows;
      }, { timeoutMs: 10_000, intervalMs: 20, what: 'Late and Early visible' });
      expect(after.map((e) => e.type)).toEqual(['Late', 'Early']);
    });

    it('is not held back by a transaction open in another database of the server (ADR 0012)', async () => {
      const elsewhere = new Client({ connectionString: db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
      await elsewhere.connect();
      const here = await pool.connect();
      try {
        await elsewhere.query('BEGIN');
        const held = (await elsewhere.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0].x;
        const from = (await waitFor(async () => (await store.readAll(START_OF_LOG, 1_000_000)).at(-1), { timeoutMs: 10_000, intervalMs: 20, what: 'the log so far' })).checkpoint;
        await store.append('s-after-elsewhere', [testEvent(t, 'AfterElsewhere')], 'any');
        // The server-wide xmin is the other database's transaction, older than this append: it would hide it.
        expect(BigInt((await pool.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x')).rows[0].x)).toBeLessThanOrEqual(BigInt(held));
        const seen = await waitFor(async () => {
          const rows = await store.readAll(from);
          return rows.some((e) => e.type === 'AfterElsewhere') && rows;
        }, { timeoutMs: 5_000, intervalMs: 20, what: 'the append while another database holds a transaction open' });
        expect(seen.map((e) => e.type)).toContain('AfterElsewhere');
        // A transaction of this database still holds back what commits after it began.
        await here.query('BEGIN');
        await here.query('SELECT pg_current_xact_id()');
        await store.append('s-after-here', [testEvent(t, 'AfterHere')], 'any');
        const last = seen.at(-1)!.checkpoint;
        expect(await store.readAll(last)).toEqual([]);
        await here.query('COMMIT');
        expect((await waitFor(async () => { const rows = await store.readAll(last); return rows.length > 0 && rows; }, { timeoutMs: 5_000, intervalMs: 20, what: 'AfterHere' })).map((e) => e.type)).toEqual(['AfterHere']);
      } finally {
        await elsewhere.query('ROLLBACK').catch(() => undefined);
        await elsewhere.end();
        here.release();
      }
    });
  });
});
