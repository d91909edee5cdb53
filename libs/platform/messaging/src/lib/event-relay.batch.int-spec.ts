import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { EVENT_STORE_MIGRATIONS, PgEventStore, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { StoredEvent } from '@pm/platform/event-store';
import { createTestDatabase, testEvent, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { EventConsumer } from './event-consumer';
import { EventRelay } from './event-relay';
import { createIdempotentProducer, createKafka } from './kafka-client';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

const repoRoot = path.resolve(__dirname, '../../../../..');
const traceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;

describe('EventRelay batches (real PostgreSQL, real Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let kafka: Kafka;
  let admin: Admin;
  const topics: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('relay_batch');
    await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS]);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    await pool.query('CREATE TABLE applied (seq bigserial, event_id uuid PRIMARY KEY, stream_id text NOT NULL, version integer NOT NULL, times integer NOT NULL)');
    kafka = createKafka('relay-batch-spec');
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
    await db.drop();
  });

  async function newTopic(): Promise<string> {
    const topic = `test.relay-batch.${randomBytes(4).toString('hex')}`;
    topics.push(topic, `${topic}.dlq`);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }, { topic: `${topic}.dlq`, numPartitions: 1 }] });
    return topic;
  }

  async function topicSize(t: string): Promise<number> {
    return (await admin.fetchTopicOffsets(t)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  }

  async function readTopic(topic: string, count: number): Promise<Array<KafkaMessage & { partition: number }>> {
    const out: Array<KafkaMessage & { partition: number }> = [];
    const reader = kafka.consumer({ groupId: `reader-${randomBytes(3).toString('hex')}` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message, partition }) => void out.push({ ...message, partition }) });
    await waitFor(async () => out.length >= count, { what: `${count} messages on ${topic}` });
    await reader.disconnect();
    return out;
  }

  /** Appends `perStream` events to each of `streams` streams, one command (append, trace) per event, interleaved. */
  async function appendInterleaved(prefix: string, streams: number, perStream: number, data: (i: number) => unknown = (i) => ({ i })): Promise<void> {
    for (let v = 0; v < perStream; v++) {
      await Promise.all(
        Array.from({ length: streams }, (_, s) => {
          const e = testEvent('tenant-batch', 'ProjectCreated', data(v));
          return store.append(`${prefix}-${s}`, [{ ...e, metadata: { ...e.metadata, traceparent: traceparent() } }], v === 0 ? 'no-stream' : v);
        }),
      );
    }
  }

  const visible = async (n: number) => waitFor(async () => (await store.readAll(undefined, n + 1)).length === n, { what: `${n} events visible` });

  /** Per key, the stream versions in partition (offset) order. */
  function versionsByKey(messages: Array<KafkaMessage & { partition: number }>): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    const sorted = [...messages].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    for (const m of sorted) {
      const key = m.key!.toString();
      byKey.set(key, [...(byKey.get(key) ?? []), (JSON.parse(m.value!.toString()) as { streamversion: number }).streamversion]);
    }
    return byKey;
  }

  it('a relay that dies after publishing a 1,000-event batch republishes it; each event is applied once, in stream order, with its own traceparent', async () => {
    const topic = await newTopic();
    await appendInterleaved('crash', 40, 25);
    await visible(1000);
    const stored = new Map<string, StoredEvent>((await store.readAll(undefined, 2000)).map((e) => [e.eventId, e]));

    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '__fixtures__/crashing-relay.fixture.ts')], {
      cwd: repoRoot,
      env: { ...process.env, RELAY_DB_URL: db.url, RELAY_TOPIC: topic, RELAY_BATCH: '1000', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    const [, published, requests] = /published (\d+) in (\d+) requests/.exec(out) ?? [];
    expect(Number(published)).toBe(1000);
    // 1,000 events of 1,000 different commands: a handful of produce requests, not one per command.
    expect(Number(requests)).toBeLessThan(10);
    expect(await topicSize(topic)).toBe(1000);

    const relay = new EventRelay({ name: 'crash-test.relay', context: 'planning', topic, pool, store, producer: createIdempotentProducer(kafka), batchSize: 1000 });
    expect(await relay.checkpoint()).toEqual({ transactionId: '0', position: '0' });
    await relay.start();
    await waitFor(async () => (await topicSize(topic)) === 2000, { what: 'the batch published again' });
    await relay.stop();

    const messages = await readTopic(topic, 2000);
    for (const m of messages) {
      const event = stored.get(m.headers!['ce_id']!.toString())!;
      expect(m.headers!['traceparent']!.toString()).toBe(event.metadata.traceparent);
    }
    for (const [key, versions] of versionsByKey(messages)) {
      expect([key, versions]).toEqual([key, [...Array.from({ length: 25 }, (_, i) => i + 1), ...Array.from({ length: 25 }, (_, i) => i + 1)]]);
    }

    let settled = 0;
    const consumer = new EventConsumer({
      kafka,
      groupId: `relay-batch-${randomBytes(3).toString('hex')}`,
      topics: [topic],
      pool,
      dlqTopic: `${topic}.dlq`,
      dlqProducer: kafka.producer(),
      metrics: false,
      onSettled: () => void settled++,
      handler: async (event, tx) => {
        await tx.query(
          `INSERT INTO applied (event_id, stream_id, version, times) VALUES ($1, $2, $3, 1)
           ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1`,
          [event.envelope.id, event.envelope.subject, event.envelope.streamversion],
        );
      },
    });
    await consumer.start();
    await waitFor(async () => settled === 2000, { what: 'all 2,000 messages settled' });
    await consumer.stop();
    const applied = await pool.query<{ event_id: string; stream_id: string; version: number; times: number }>('SELECT event_id, stream_id, version, times FROM applied ORDER BY seq');
    expect(applied.rows).toHaveLength(1000);
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    expect(new Set(applied.rows.map((r) => r.event_id))).toEqual(new Set(stored.keys()));
    const perStream = new Map<string, number[]>();
    for (const r of applied.rows) perStream.set(r.stream_id, [...(perStream.get(r.stream_id) ?? []), r.version]);
    for (const versions of perStream.values()) expect(versions).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('splits a batch into produce requests under the byte limit, keeping each stream in order', async () => {
    const topic = await newTopic();
    const before = (await store.readAll(undefined, 100_000)).length;
    await appendInterleaved('bytes', 10, 30, (i) => ({ i, note: 'x'.repeat(1000) }));
    await visible(before + 300);
    const requests: Array<{ events: number; bytes: number }> = [];
    const relay = new EventRelay({
      name: `bytes-${randomBytes(3).toString('hex')}`,
      context: 'planning',
      topic,
      pool,
      store,
      producer: createIdempotentProducer(kafka),
      batchSize: 2000,
      maxRequestBytes: 50_000,
      wakeOnAppend: false,
      onRequest: (events, bytes) => requests.push({ events, bytes }),
    });
    expect(await relay.drain()).toBe(before + 300);
    await relay.stop();
    expect(requests.reduce((n, r) => n + r.events, 0)).toBe(before + 300);
    expect(requests.every((r) => r.bytes <= 50_000)).toBe(true);
    expect(requests.length).toBeGreaterThanOrEqual(Math.ceil((300 * 1000) / 50_000));
    const versions = versionsByKey(await readTopic(topic, before + 300));
    for (let s = 0; s < 10; s++) expect(versions.get(`bytes-${s}`)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('publishes promptly on an append notification despite a 10-minute poll, and by polling when notifications are missed', async () => {
    const topic = await newTopic();
    const caughtUp = (relay: EventRelay) => async () => (await store.countAfter(await relay.checkpoint())) === 0;
    const listening = new EventRelay({
      name: `wake-${randomBytes(3).toString('hex')}`,
      context: 'planning',
      topic,
      pool,
      store,
      producer: createIdempotentProducer(kafka),
      batchSize: 5000,
      pollIntervalMs: 600_000,
    });
    await listening.start();
    await waitFor(async () => listening.listening && (await caughtUp(listening)()), { what: 'relay listening and caught up' });

    await store.append(`wake-${randomBytes(3).toString('hex')}`, [testEvent('tenant-batch'), testEvent('tenant-batch')], 'no-stream');
    await waitFor(caughtUp(listening), { what: 'events published on notification', timeoutMs: 20_000 });

    // Its listening session dies: what was announced meanwhile is lost; it listens again and catches up.
    const pid = listening.listenerPid!;
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await store.append(`wake-${randomBytes(3).toString('hex')}`, [testEvent('tenant-batch')], 'no-stream');
    await waitFor(async () => listening.listening && listening.listenerPid !== pid && (await caughtUp(listening)()), {
      what: 'listening again and caught up',
      timeoutMs: 20_000,
    });
    await listening.stop();

    // Appends whose notification never comes (as when nobody listened): only the fallback poll finds them.
    const polling = new EventRelay({
      name: `poll-${randomBytes(3).toString('hex')}`,
      context: 'planning',
      topic,
      pool,
      store,
      producer: createIdempotentProducer(kafka),
      batchSize: 5000,
      pollIntervalMs: 300,
    });
    await polling.start();
    await waitFor(async () => polling.listening && (await caughtUp(polling)()), { what: 'second relay caught up' });
    const silent = new PgEventStore(pool, { notifyAppends: false });
    await silent.append(`poll-${randomBytes(3).toString('hex')}`, [testEvent('tenant-batch')], 'no-stream');
    await waitFor(caughtUp(polling), { what: 'the unannounced event published by polling', timeoutMs: 20_000 });
    await polling.stop();
  });

  it('reads the log once per announced append: a batch short of full waits for the next announcement, not an empty read', async () => {
    const topic = await newTopic();
    let reads = 0;
    const counting = Object.assign(Object.create(store) as PgEventStore, {
      readAll: (...args: Parameters<PgEventStore['readAll']>) => {
        reads++;
        return store.readAll(...args);
      },
    });
    const relay = new EventRelay({
      name: `reads-${randomBytes(3).toString('hex')}`,
      context: 'planning',
      topic,
      pool,
      store: counting,
      producer: createIdempotentProducer(kafka),
      pollIntervalMs: 600_000,
    });
    const caughtUp = async () => (await store.countAfter(await relay.checkpoint())) === 0;
    await relay.start();
    try {
      await waitFor(async () => relay.listening && (await caughtUp()), { what: 'relay listening and caught up' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = reads;
      for (let i = 0; i < 3; i++) {
        await store.append(`reads-${randomBytes(3).toString('hex')}`, [testEvent('tenant-batch')], 'no-stream');
        await waitFor(caughtUp, { what: `append ${i + 1} published`, timeoutMs: 20_000 });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Before: each append cost a read that published it and an empty read after it.
      expect(reads - before).toBe(3);
    } finally {
      await relay.stop();
    }
  });

  it('reads its checkpoint once while it leads, and again after a failed round', async () => {
    const topic = await newTopic();
    // Clients the relay takes for itself (its leader session: pool.connect() with no callback) count their checkpoint reads.
    let checkpointReads = 0;
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => Promise<PoolClient>;
    const counting = Object.assign(Object.create(pool) as Pool, {
      connect: async (...args: unknown[]) => {
        if (args.length > 0) return connect(...args);
        const client = await connect();
        const query = client.query.bind(client) as (...a: unknown[]) => unknown;
        const counted = (...a: unknown[]) => {
          const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string } | undefined)?.text;
          if (text?.includes('FROM relay_checkpoints')) checkpointReads++;
          return query(...a);
        };
        // The relay keeps this session while it leads and ends it (release(true)) after: no one else gets it counted.
        return Object.assign(client, { query: counted });
      },
    });
    let published = 0;
    let failOnce = false;
    const relay = new EventRelay({
      name: `checkpoint-${randomBytes(3).toString('hex')}`,
      context: 'planning',
      topic,
      pool: counting,
      store,
      producer: createIdempotentProducer(kafka),
      pollIntervalMs: 600_000,
      afterPublish: async () => {
        if (failOnce) {
          failOnce = false;
          throw new Error('a round that fails after publishing');
        }
      },
      onPublished: (n) => (published += n),
    });
    const before = await store.countAfter();
    await relay.start();
    try {
      await waitFor(async () => relay.listening && published >= before, { what: 'relay listening and caught up' });
      for (let i = 0; i < 3; i++) {
        const target = published + 1;
        await store.append(`checkpoint-${randomBytes(3).toString('hex')}`, [testEvent('tenant-batch')], 'no-stream');
        await waitFor(async () => published >= target, { what: `append ${i + 1} published`, timeoutMs: 20_000 });
      }
      expect(checkpointReads).toBe(1);
      // A round that fails forgets the position: the retry reads it again on the session, then publishes again.
      failOnce = true;
      const target = published + 1;
      await store.append(`checkpoint-${randomBytes(3).toString('hex')}`, [testEvent('tenant-batch')], 'no-stream');
      await waitFor(async () => published >= target, { what: 'the failed round published again', timeoutMs: 20_000 });
      expect(checkpointReads).toBe(2);
    } finally {
      await relay.stop();
    }
  });
});
