import { randomUUID } from 'node:crypto';
import { serialize } from 'node:v8';
import type { Pool } from 'pg';
import { snapshotPolicy } from '@pm/shared/ddd';
import type { PgEventStore } from '../pg-event-store';
import type { WritePath } from './write-path';
import { add, counter, ctx, writePathDatabase } from './write-path.spec-fixtures';
import type { Cmd, Counter, Evt } from './write-path.spec-fixtures';

describe('WritePath: snapshots and staged changes (real PostgreSQL)', () => {
  const env = writePathDatabase('write_path_staged', { retriesOnConflict: 50 });
  let pool: Pool;
  let store: PgEventStore;
  let writePath: WritePath;
  const plain = counter();
  beforeAll(() => ({ pool, store, writePath } = env));

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
});
