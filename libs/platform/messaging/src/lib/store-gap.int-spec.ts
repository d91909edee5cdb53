import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { EVENT_STORE_MIGRATIONS, PgEventStore, createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { EventRelay } from './event-relay';
import { createIdempotentProducer, createKafka } from './kafka-client';
import { MESSAGING_MIGRATIONS } from './messaging.schema';
import { findStoreGap } from './store-gap';

describe('findStoreGap: what a restored event store lost that its topic still has (real PostgreSQL, real Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let admin: Admin;
  const topic = `test.store-gap.${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase('store_gap');
    await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS]);
    pool = createPgPool(db.url);
    kafka = createKafka('store-gap-spec');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
    await db.drop();
  });

  it('lists the published events a restore to an earlier point lost, in topic order, and nothing while the store is whole', async () => {
    const store = new PgEventStore(pool);
    for (let s = 0; s < 4; s++) await store.append(`project-${s}`, [1, 2, 3].map((i) => testEvent('tenant-g', 'ProjectCreated', { s, i })), 'no-stream');
    await waitFor(async () => (await store.readAll(undefined, 100)).length === 12, { what: '12 events visible' });
    const relay = new EventRelay({ name: 'store-gap.relay', context: 'planning', topic, pool, store, producer: createIdempotentProducer(kafka), wakeOnAppend: false });
    expect(await relay.drain()).toBe(12);
    await relay.stop();

    const whole = await findStoreGap(kafka, topic, pool);
    expect(whole).toEqual({ onTopic: 12, missing: [], unreadable: 0 });

    // A restore to a point before the last appends: the newest events of two streams are gone from the store.
    const lost = await pool.query<{ id: string; stream_id: string; v: string }>(
      `DELETE FROM es_events WHERE (stream_id = 'project-1' AND stream_version >= 2) OR (stream_id = 'project-3' AND stream_version = 3)
       RETURNING event_id::text AS id, stream_id, stream_version::text AS v`,
    );
    const gap = await findStoreGap(kafka, topic, pool);
    expect(gap.onTopic).toBe(12);
    expect(gap.missing.map((e) => e.id).sort()).toEqual(lost.rows.map((r) => r.id).sort());
    for (const e of gap.missing) expect(lost.rows).toContainEqual({ id: e.id, stream_id: e.subject, v: String(e.streamVersion) });
    // Topic order within a stream (one partition per key): the versions of project-1 come in order.
    expect(gap.missing.filter((e) => e.subject === 'project-1').map((e) => e.streamVersion)).toEqual([2, 3]);
  }, 60_000);
});
