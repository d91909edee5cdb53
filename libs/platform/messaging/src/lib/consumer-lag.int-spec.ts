import { randomBytes, randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { dataSchemaUri, toKafkaMessage } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { metricsRegistry } from '@pm/platform/observability';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ConsumerLagMonitor, partitionLag } from './consumer-lag';
import { EventConsumer } from './event-consumer';
import { createKafka } from './kafka-client';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

const LAG_METRIC = 'pm_consumer_group_lag_messages';

function envelope(i: number, time: string): CloudEventEnvelope {
  const type = 'pm.planning.ProjectCreated';
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/pm/planning',
    type,
    subject: `project:tenant-lag:${i}`,
    time,
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(type, 1),
    tenantid: 'tenant-lag',
    streamversion: 1,
    correlationid: randomUUID(),
    causationid: randomUUID(),
    actor: 'user:tester',
    data: { name: `p${i}` },
  };
}

async function lagOnMetrics(group: string, topic: string): Promise<Map<string, number>> {
  const metric = metricsRegistry.getSingleMetric(LAG_METRIC);
  if (!metric) return new Map();
  const { values } = await metric.get();
  return new Map(values.filter((v) => v.labels['group'] === group && v.labels['topic'] === topic).map((v) => [String(v.labels['partition']), v.value]));
}

describe('partitionLag', () => {
  it('counts from the committed offset, or from the log start while the group has committed none', () => {
    expect(partitionLag('t', 0, '7', '0', '10')).toMatchObject({ committedOffset: '7', lag: 3 });
    expect(partitionLag('t', 0, '-1', '4', '10')).toMatchObject({ committedOffset: null, lag: 6 });
    // Retention removed messages the group never read: they are gone, not lag.
    expect(partitionLag('t', 0, '2', '5', '10')).toMatchObject({ lag: 5 });
    expect(partitionLag('t', 0, '10', '0', '10')).toMatchObject({ lag: 0 });
  });
});

describe('Consumer group lag (real Kafka, real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const topic = `test.lag.${randomBytes(4).toString('hex')}`;
  const group = `lag-${randomBytes(4).toString('hex')}`;
  const produce = async (from: number, n: number, time: string) => {
    // Keys spread the messages over both partitions; the totals are what the spec checks.
    const messages = Array.from({ length: n }, (_, k) => toKafkaMessage(envelope(from + k, time)));
    await producer.send({ topic, messages: messages.map((m, k) => ({ key: `k${from + k}`, value: m.value, headers: { ...m.headers } })) });
  };

  beforeAll(async () => {
    db = await createTestDatabase('consumer_lag');
    await runMigrations(db.url, MESSAGING_MIGRATIONS);
    pool = createPgPool(db.url);
    kafka = createKafka('consumer-lag-spec');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }, { topic: `${topic}.dlq`, numPartitions: 1 }] });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
    await db.drop();
  });

  it('is N while the consumer has not applied N messages, 0 once it has, and N again for N produced while it is stopped', async () => {
    await produce(0, 6, '2026-12-01T10:00:00.000Z');
    const monitor = new ConsumerLagMonitor({ kafka, groupId: group, topics: [topic], cacheMs: 0 });
    try {
      const before = await monitor.sample();
      expect(before.partitions.map((p) => p.partition)).toEqual([0, 1]);
      expect(before.partitions.every((p) => p.committedOffset === null)).toBe(true);
      expect(before.partitions.reduce((n, p) => n + p.lag, 0)).toBe(6);

      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let applied = 0;
      const consumer = new EventConsumer({
        kafka,
        groupId: group,
        topics: [topic],
        pool,
        dlqTopic: `${topic}.dlq`,
        dlqProducer: kafka.producer(),
        lagCacheMs: 0,
        handler: async () => {
          await gate;
          applied++;
        },
      });
      await consumer.start();
      try {
        // Running but held: nothing committed, the metric says 6 behind across the partitions.
        await waitFor(async () => [...(await lagOnMetrics(group, topic)).values()].reduce((n, v) => n + v, 0) === 6 || undefined, {
          timeoutMs: 20_000,
          what: 'lag 6 on /metrics',
        });
        release();
        await waitFor(async () => (applied === 6 ? true : undefined), { timeoutMs: 30_000, what: 'six messages applied' });
        await waitFor(
          async () => {
            const lag = await lagOnMetrics(group, topic);
            return lag.size === 2 && [...lag.values()].every((v) => v === 0) ? true : undefined;
          },
          { timeoutMs: 20_000, what: 'lag 0 on every partition' },
        );
        const fresh = await consumer.freshness();
        expect(fresh.partitions.every((p) => p.lag === 0 && p.committedOffset === p.highWatermark)).toBe(true);
        const withMessages = fresh.partitions.filter((p) => p.highWatermark !== '0');
        expect(withMessages.every((p) => p.lastApplied?.eventTime === '2026-12-01T10:00:00.000Z')).toBe(true);
      } finally {
        await consumer.stop();
      }
      // A stopped consumer is no longer on /metrics (its process would be gone too); the group's lag still is.
      expect((await lagOnMetrics(group, topic)).size).toBe(0);
      await produce(6, 4, '2026-12-01T11:00:00.000Z');
      const after = await monitor.sample();
      expect(after.partitions.reduce((n, p) => n + p.lag, 0)).toBe(4);
      expect(after.partitions.every((p) => p.committedOffset !== null)).toBe(true);
    } finally {
      await monitor.close();
    }
  }, 90_000);

  it('asks the broker once per cache period however many callers ask', async () => {
    const monitor = new ConsumerLagMonitor({ kafka, groupId: group, topics: [topic], cacheMs: 60_000 });
    try {
      const first = await monitor.sample();
      const again = await Promise.all(Array.from({ length: 50 }, () => monitor.sample()));
      expect(again.every((s) => s === first)).toBe(true);
      expect(await monitor.sample(Date.now() + 60_001)).not.toBe(first);
    } finally {
      await monitor.close();
    }
  });
});
