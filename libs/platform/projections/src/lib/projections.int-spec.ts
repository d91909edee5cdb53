import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { EVENT_STORE_MIGRATIONS, PgEventStore, START_OF_LOG, createPgPool, runMigrations } from '@pm/platform/event-store';
import { EventRelay, MESSAGING_MIGRATIONS, createIdempotentProducer, createKafka, isInfrastructureError } from '@pm/platform/messaging';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PROJECTION_MIGRATIONS } from './projections.schema';
import type { Projection, ProjectionEvent } from './projection.types';
import { StoreProjectionRunner, fromStoredEvent } from './store-projection-runner';
import { rebuildFromTopics } from './topic-rebuild';
import { ProjectionRebuildInProgress, guardAgainstRebuild, holdRebuildLock } from './rebuild-lock';

/** Per stream: how many events, the last version and the running total of data.n. */
class StreamTotals implements Projection {
  readonly name = 'stream-totals';
  readonly handles = ['pm.planning.Counted'];
  failOn?: string;
  async apply(e: ProjectionEvent, tx: PoolClient): Promise<void> {
    if (this.failOn === e.eventId) {
      this.failOn = undefined;
      throw new Error('projection crashed mid-batch');
    }
    await tx.query(
      `INSERT INTO stream_totals (tenant_id, stream_id, events, last_version, total) VALUES ($1, $2, 1, $3, $4)
       ON CONFLICT (tenant_id, stream_id) DO UPDATE SET events = stream_totals.events + 1,
         last_version = EXCLUDED.last_version, total = stream_totals.total + EXCLUDED.total
       WHERE stream_totals.last_version < EXCLUDED.last_version`,
      [e.tenantId, e.streamId, e.streamVersion, (e.data as { n: number }).n],
    );
  }
  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE stream_totals');
  }
}

describe('Projections (real PostgreSQL, real Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  const projection = new StreamTotals();
  let runner: StoreProjectionRunner;
  const expected = new Map<string, { events: number; total: number }>();

  const snapshot = async () =>
    (await pool.query('SELECT tenant_id, stream_id, events, last_version, total FROM stream_totals ORDER BY tenant_id, stream_id')).rows;

  beforeAll(async () => {
    db = await createTestDatabase('projections');
    await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...PROJECTION_MIGRATIONS]);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    await pool.query(
      'CREATE TABLE stream_totals (tenant_id text, stream_id text, events int, last_version int, total int, PRIMARY KEY (tenant_id, stream_id))',
    );
    for (let s = 0; s < 20; s++) {
      const tenant = s % 2 ? 'tenant-odd' : 'tenant-even';
      const events = Array.from({ length: 100 }, (_, i) => testEvent(tenant, 'Counted', { n: i + s }));
      await store.append(`counter-${s}`, events, 'no-stream');
      expected.set(`counter-${s}`, { events: 100, total: events.reduce((t, e) => t + (e.data as { n: number }).n, 0) });
    }
    runner = new StoreProjectionRunner({ projection, context: 'planning', pool, store, batchSize: 300 });
    await allVisible(2000);
  });

  /**
   * readAll only shows rows below the cluster-wide xmin, so a transaction open elsewhere on the server (another
   * test's database) delays them. Wait for visibility before asserting on what a catch-up reads.
   */
  async function allVisible(total: number, from = START_OF_LOG): Promise<void> {
    await waitFor(async () => (await store.readAll(from, total + 1)).length === total, { what: `${total} events visible` });
  }
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('catches up from the store with progress, and the read model matches the events', async () => {
    const progress: Array<[number, number]> = [];
    expect(await runner.catchUp((d, t) => progress.push([d, t]))).toBe(2000);
    expect(progress.at(-1)).toEqual([2000, 2000]);
    const rows = await snapshot();
    expect(rows).toHaveLength(20);
    for (const r of rows) expect({ events: r.events, total: r.total }).toEqual(expected.get(r.stream_id));
    expect(await runner.catchUp()).toBe(0);
  });

  it('rebuilding from zero twice yields the same read model, and so does a redelivery of every event', async () => {
    const before = await snapshot();
    await runner.rebuild();
    expect(await snapshot()).toEqual(before);
    await runner.rebuild();
    expect(await snapshot()).toEqual(before);
    const tx = await pool.connect();
    try {
      for (const e of await store.readAll(undefined, 10_000)) await projection.apply(fromStoredEvent('planning', e), tx);
    } finally {
      tx.release();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a crash in the middle of a batch commits neither the batch nor the checkpoint; the next run completes it', async () => {
    const before = await snapshot();
    const more = Array.from({ length: 50 }, (_, i) => testEvent('tenant-even', 'Counted', { n: 1000 + i }));
    await store.append('counter-0', more, 'any');
    const checkpointBefore = await runner.checkpoint();
    await allVisible(50, checkpointBefore);
    projection.failOn = more[25].metadata.eventId;
    await expect(runner.catchUp()).rejects.toThrow('projection crashed mid-batch');
    expect(await runner.checkpoint()).toEqual(checkpointBefore);
    expect(await snapshot()).toEqual(before);
    expect(await runner.catchUp()).toBe(50);
    const row = (await snapshot()).find((r) => r.stream_id === 'counter-0');
    expect(row).toMatchObject({ events: 150, last_version: 150, total: expected.get('counter-0')!.total + 50 * 1000 + 1225 });
  });

  it('rebuilds a Kafka-fed read model from offset zero, twice, to the same result', async () => {
    const kafka: Kafka = createKafka('projections-spec');
    const admin = kafka.admin();
    await admin.connect();
    const topic = `test.projection.${randomBytes(4).toString('hex')}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }, { topic: `${topic}.dlq`, numPartitions: 1 }] });
    try {
      const relay = new EventRelay({ name: 'projection-spec', context: 'planning', topic, pool, store, producer: createIdempotentProducer(kafka) });
      await relay.start();
      await relay.drain();
      await relay.stop();
      const fromStore = await snapshot();

      const runs: Array<Array<Record<string, unknown>>> = [];
      for (let i = 0; i < 2; i++) {
        let last: [number, number] = [0, 0];
        const n = await rebuildFromTopics({
          kafka,
          pool,
          topics: [topic],
          projection,
          inboxName: 'reporting-spec',
          dlqTopic: `${topic}.dlq`,
          onProgress: (d, t) => (last = [d, t]),
        });
        expect(n).toBe(2050);
        expect(last).toEqual([2050, 2050]);
        runs.push(await snapshot());
      }
      expect(runs[0]).toEqual(fromStore);
      expect(runs[1]).toEqual(runs[0]);
    } finally {
      await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('a started runner applies new events on their append notification despite a 10-minute poll', async () => {
    await runner.catchUp();
    const live = new StoreProjectionRunner({ projection, context: 'planning', pool, store, pollIntervalMs: 600_000 });
    live.start();
    try {
      await waitFor(async () => live.listening && (await live.lag()) === 0, { what: 'runner listening and caught up' });
      const more = Array.from({ length: 5 }, (_, i) => testEvent('tenant-odd', 'Counted', { n: i }));
      await store.append('counter-wake', more, 'no-stream');
      await waitFor(async () => (await snapshot()).some((r) => r.stream_id === 'counter-wake' && r.events === 5), {
        what: 'events applied on notification',
        timeoutMs: 20_000,
      });
    } finally {
      await live.stop();
    }
  });

  it('live updates of a read model wait while it is rebuilt, and the consumer treats that as transient', async () => {
    const rebuildSession = await pool.connect();
    const live = await pool.connect();
    try {
      const release = await holdRebuildLock(rebuildSession, 'stream-totals');
      await live.query('BEGIN');
      const blocked = await guardAgainstRebuild(live, 'stream-totals').catch((e: unknown) => e);
      await live.query('ROLLBACK');
      expect(blocked).toBeInstanceOf(ProjectionRebuildInProgress);
      expect(isInfrastructureError(blocked)).toBe(true);
      // Another read model is not held up.
      await live.query('BEGIN');
      await expect(guardAgainstRebuild(live, 'project-summary')).resolves.toBeUndefined();
      await live.query('ROLLBACK');
      await release();
      await live.query('BEGIN');
      await expect(guardAgainstRebuild(live, 'stream-totals')).resolves.toBeUndefined();
      await live.query('COMMIT');
    } finally {
      live.release();
      rebuildSession.release();
    }
  });

  it('a rebuild returns only once it reflects what a transaction open at its call committed afterwards', async () => {
    // An older transaction of this database holds the horizon: what commits after it is not readable yet when the
    // replay first reaches the end, so rebuild() waits for the horizon to pass every id assigned before the call.
    const open = await pool.connect();
    try {
      await open.query('BEGIN');
      await store.append('s-late-rebuild', [testEvent('tenant-even', 'Counted', { n: 5 })], 'no-stream', open);
      await store.append('s-after-open', [testEvent('tenant-even', 'Counted', { n: 7 })], 'no-stream');
      const lastReadable = (await store.readAll(START_OF_LOG, 1_000_000)).at(-1)!.checkpoint;
      let returned = false;
      const rebuilt = runner.rebuild().then(() => void (returned = true));
      // The replay reaches the end of what is readable; only then does the open transaction commit.
      await waitFor(async () => {
        const at = await runner.checkpoint();
        return at.transactionId === lastReadable.transactionId && at.position === lastReadable.position;
      }, { timeoutMs: 30_000, intervalMs: 10, what: 'the replay at the end of what is readable' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(returned).toBe(false);
      await open.query('COMMIT');
      await rebuilt;
    } finally {
      open.release();
    }
    const rows = await snapshot();
    expect(rows.filter((r) => r.stream_id === 's-late-rebuild' || r.stream_id === 's-after-open').map((r) => [r.stream_id, r.total])).toEqual([
      ['s-after-open', 7],
      ['s-late-rebuild', 5],
    ]);
  });
});
