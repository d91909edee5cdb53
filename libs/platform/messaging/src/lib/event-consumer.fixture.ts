import { randomBytes, randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage, Message } from 'kafkajs';
import type { Pool } from 'pg';
import { dataSchemaUri, toKafkaMessage } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { EventConsumer } from './event-consumer';
import type { EventConsumerOptions } from './event-consumer';
import { createKafka } from './kafka-client';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

/* What the EventConsumer batch specs share (event-consumer.batch.int-spec.ts, event-consumer.read-ahead.int-spec.ts). */

export const KEY = 'project-batch';

export function envelope(name: string, id: string = randomUUID()): CloudEventEnvelope {
  const type = 'pm.planning.ProjectCreated';
  return {
    specversion: '1.0',
    id,
    source: '/pm/planning',
    type,
    subject: KEY,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(type, 1),
    tenantid: 'tenant-batch',
    streamversion: 1,
    correlationid: randomUUID(),
    causationid: randomUUID(),
    actor: 'user:tester',
    data: { name },
  };
}

export const asMessage = (e: CloudEventEnvelope): Message => {
  const m = toKafkaMessage(e);
  return { key: KEY, value: m.value, headers: { ...m.headers } };
};

export const names = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

export const record = async (name: string, id: string, tx: { query: Pool['query'] }) =>
  tx.query('INSERT INTO applied (name, event_id, times) VALUES ($1, $2, 1) ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1', [name, id]);

/** Set by the spec's beforeAll: read them in a test or a hook, not while the describe block is collected. */
export interface ConsumerSpecServers {
  db: TestDatabase;
  pool: Pool;
  kafka: Kafka;
  admin: Admin;
}

/**
 * A database of the spec's own (named after `name`) with the messaging tables and an `applied` table the handlers
 * write to, a Kafka admin, and the helpers the specs use; the database and the spec's topics are dropped after it.
 */
export function consumerSpec(name: string) {
  const servers = {} as ConsumerSpecServers;
  const topics: string[] = [];

  beforeAll(async () => {
    servers.db = await createTestDatabase(name);
    await runMigrations(servers.db.url, MESSAGING_MIGRATIONS);
    servers.pool = createPgPool(servers.db.url);
    await servers.pool.query(
      `CREATE TABLE applied (seq bigserial, name text NOT NULL, event_id uuid PRIMARY KEY, times integer NOT NULL,
        txid bigint NOT NULL DEFAULT txid_current())`,
    );
    servers.kafka = createKafka(`${name}-spec`);
    servers.admin = servers.kafka.admin();
    await servers.admin.connect();
  });
  afterAll(async () => {
    await servers.admin.deleteTopics({ topics }).catch(() => undefined);
    await servers.admin.disconnect();
    await servers.pool.end();
    await servers.db.drop();
  });

  /** A one-partition topic (so the whole test is one ordered log) holding `messages`, and its DLQ; sent `perSend` at a time (a record batch each), all at once by default. */
  async function topicWith(messages: Message[], perSend = messages.length): Promise<string> {
    const { admin, kafka } = servers;
    const topic = `test.${name}.${randomBytes(4).toString('hex')}`;
    topics.push(topic, `${topic}.dlq`);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }, { topic: `${topic}.dlq`, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < messages.length; i += perSend) await producer.send({ topic, messages: messages.slice(i, i + perSend) });
    await producer.disconnect();
    return topic;
  }

  function consumerFor(topic: string, extra: Partial<EventConsumerOptions> = {}): EventConsumer {
    const { kafka, pool } = servers;
    return new EventConsumer({
      kafka,
      groupId: `${name}-${randomBytes(3).toString('hex')}`,
      topics: [topic],
      pool,
      dlqTopic: `${topic}.dlq`,
      dlqProducer: kafka.producer(),
      maxAttempts: 3,
      initialBackoffMs: 10,
      maxBackoffMs: 20,
      // No time cut: the transactions these tests count depend only on the messages.
      maxBatchMs: 60_000,
      metrics: false,
      handler: async (event, tx) => {
        await record(String(event.envelope.data.name), event.envelope.id, tx);
      },
      ...extra,
    });
  }

  async function readAll(topic: string, count: number): Promise<KafkaMessage[]> {
    const out: KafkaMessage[] = [];
    const reader = servers.kafka.consumer({ groupId: `reader-${randomBytes(3).toString('hex')}` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void out.push(message) });
    await waitFor(async () => out.length >= count, { what: `${count} messages on ${topic}` });
    await reader.disconnect();
    return out;
  }

  async function committed(groupId: string, topic: string): Promise<number> {
    const o = await servers.admin.fetchOffsets({ groupId, topics: [topic] });
    return o[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  }

  return { servers, topicWith, consumerFor, readAll, committed };
}
