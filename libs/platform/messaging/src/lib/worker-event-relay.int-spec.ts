import { randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { EVENT_STORE_MIGRATIONS, PgEventStore, START_OF_LOG, createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { createKafka } from './kafka-client';
import { MESSAGING_MIGRATIONS } from './messaging.schema';
import { WorkerEventRelay } from './worker-event-relay';

describe('WorkerEventRelay: the relay in a worker thread (real PostgreSQL, real Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let kafka: Kafka;
  let admin: Admin;
  const topic = `test.worker-relay.${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase('worker_relay');
    await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS]);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    kafka = createKafka('worker-relay-spec');
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

  /** Every message on the topic, by event id (the CloudEvent's `ce_id` header). */
  async function publishedIds(): Promise<string[]> {
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((n, p) => n + Number(p.high), 0);
    const ids: string[] = [];
    if (total === 0) return ids;
    const consumer = kafka.consumer({ groupId: `worker-relay-spec-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            ids.push(String(message.headers?.ce_id));
            if (ids.length === total) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return ids;
  }

  it('publishes the store from its own thread, reports what it published, and comes back after its thread dies', async () => {
    let published = 0;
    const relay = new WorkerEventRelay({ name: 'worker-relay-spec.relay', serviceName: 'worker-relay-spec', context: 'planning', topic, pgUrl: db.url, onPublished: (n) => (published += n), restartDelayMs: 50 });
    const first = Array.from({ length: 3 }, (_, s) => Array.from({ length: 4 }, (_, i) => testEvent('tenant-w', 'ProjectCreated', { s, i })));
    const later = Array.from({ length: 5 }, (_, i) => testEvent('tenant-w', 'ProjectCreated', { later: i }));
    for (const [s, events] of first.entries()) await store.append(`project-w${s}`, events, 'no-stream');
    await relay.start();
    try {
      await waitFor(async () => published === 12, { what: 'the 12 stored events published by the worker' });
      expect(await relay.checkpoint()).not.toEqual(START_OF_LOG);
      expect(await relay.lag()).toBe(0);

      // The thread dies (as an out-of-memory would end it): a new one takes over from the stored checkpoint.
      const thread = Reflect.get(relay, 'worker') as Worker;
      await thread.terminate();
      await store.append('project-w-later', later, 'no-stream');
      await waitFor(async () => (await relay.lag().catch(() => -1)) === 0 && published >= 17, { what: 'the events appended after the crash published by a new worker' });
      expect(await relay.drain()).toBe(0);
    } finally {
      await relay.stop();
    }
    const ids = await publishedIds();
    const expected = [...first.flat(), ...later].map((e) => e.metadata.eventId);
    // At least once: every event is on the topic (a crash between publish and checkpoint may repeat a batch).
    for (const id of expected) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(17);
    // Stopped: its thread is gone and its calls are refused.
    await expect(relay.checkpoint()).rejects.toThrow('is not running');
  });
});
