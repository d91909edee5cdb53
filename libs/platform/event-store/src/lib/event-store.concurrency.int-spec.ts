import type { Pool } from 'pg';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ExpectedVersionConflict } from './event-store.errors';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';
import { testEvent } from '@pm/platform/testing';
import { START_OF_LOG } from './event-store.types';
import type { Checkpoint, StoredEvent } from './event-store.types';
import { runMigrations } from './migrations';
import { PgEventStore } from './pg-event-store';
import { createPgPool } from './pg-pool';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PgEventStore under concurrency (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('es_concurrency');
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
    pool = createPgPool(db.url, { max: 60 });
    store = new PgEventStore(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('50 concurrent writers expecting the same version: exactly one wins each version, the rest conflict', async () => {
    const streamId = 'race-1';
    for (let version = 0; version < 10; version++) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, w) => store.append(streamId, [testEvent('t1', 'Raced', { w, version })], version)),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      for (const l of lost) {
        expect(l.reason).toBeInstanceOf(ExpectedVersionConflict);
        expect(l.reason).toMatchObject({ expected: version, actual: version + 1 });
      }
    }
    const events = await store.readStream(streamId);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('50 writers retrying on conflict: every append lands once, versions contiguous', async () => {
    const streamId = 'race-2';
    const perWriter = 4;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          for (;;) {
            const version = await store.streamVersion(streamId);
            try {
              await store.append(streamId, [testEvent('t1', 'Retried', { w, i })], version);
              break;
            } catch (err) {
              if (!(err instanceof ExpectedVersionConflict)) throw err;
              conflicts++;
            }
          }
        }
      }),
    );
    const events = await store.readStream(streamId);
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const keys = new Set(events.map((e) => JSON.stringify(e.data)));
    expect(keys.size).toBe(200);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('8 writers on different streams with out-of-order commits: the tail sees every event once, in stream order', async () => {
    const writers = 8;
    const eventsPerWriter = 1_300; // 10,400 in all
    const streamsPerWriter = 10;
    let writing = true;
    let giveUpAt = Infinity;
    const seen: StoredEvent[] = [];

    const tail = (async () => {
      let checkpoint: Checkpoint = START_OF_LOG;
      for (;;) {
        const batch = await store.readAll(checkpoint, 500);
        if (batch.length) {
          seen.push(...batch.filter((e) => e.type === 'Written'));
          checkpoint = batch[batch.length - 1].checkpoint;
          continue;
        }
        // After the writers finished, keep reading until everything is visible: a transaction open elsewhere
        // on the server holds the cluster-wide xmin back for a while, it never makes rows disappear.
        if (!writing && (seen.length >= writers * eventsPerWriter || Date.now() > giveUpAt)) return;
        await sleep(2);
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const versions = new Array<number>(streamsPerWriter).fill(0);
        let written = 0;
        let n = 0;
        while (written < eventsPerWriter) {
          const s = n++ % streamsPerWriter;
          const size = Math.min(1 + (n % 5), eventsPerWriter - written);
          const batch = Array.from({ length: size }, (_, k) => testEvent('t1', 'Written', { w, s, seq: versions[s] + k + 1 }));
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await store.append(`w${w}-s${s}`, batch, versions[s], client);
            // Hold some transactions open so later positions commit first.
            if (n % 7 === 0) await sleep(3);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          } finally {
            client.release();
          }
          versions[s] += size;
          written += size;
        }
      }),
    );
    giveUpAt = Date.now() + 20_000;
    writing = false;
    await tail;

    const total = writers * eventsPerWriter;
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(total);
    const lastVersion = new Map<string, number>();
    for (const e of seen) {
      const prev = lastVersion.get(e.streamId) ?? 0;
      expect(e.streamVersion).toBe(prev + 1);
      lastVersion.set(e.streamId, e.streamVersion);
    }
    const stored = await pool.query<{ n: string }>("SELECT count(*)::text AS n FROM es_events WHERE event_type = 'Written'");
    expect(Number(stored.rows[0].n)).toBe(total);
  });
});
