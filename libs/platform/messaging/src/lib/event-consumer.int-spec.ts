import { randomBytes, randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import { dataSchemaUri, toKafkaMessage } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { DLQ_HEADERS, EventConsumer, NonRetryableError, isInfrastructureError } from './event-consumer';
import { createKafka } from './kafka-client';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

function envelope(name: string, data: Record<string, unknown>): CloudEventEnvelope {
  const type = 'pm.planning.ProjectCreated';
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/pm/planning',
    type,
    subject: 'project-same-key',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(type, 1),
    tenantid: 'tenant-dlq',
    streamversion: 1,
    correlationid: randomUUID(),
    causationid: randomUUID(),
    actor: 'user:tester',
    data: { name, ...data },
  };
}

describe('EventConsumer failure handling (real PostgreSQL, real Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let admin: Admin;
  const topic = `test.consumer.${randomBytes(4).toString('hex')}`;
  const dlq = `${topic}.dlq`;

  beforeAll(async () => {
    db = await createTestDatabase('consumer');
    await runMigrations(db.url, MESSAGING_MIGRATIONS);
    pool = createPgPool(db.url);
    await pool.query('CREATE TABLE applied (name text PRIMARY KEY)');
    kafka = createKafka('consumer-spec');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }, { topic: dlq, numPartitions: 1 }] });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
    await db.drop();
  });

  it('sends a poison message and a message that keeps failing to the DLQ, and the partition moves on', async () => {
    const flaky = new Map<string, number>();
    const producer = kafka.producer();
    await producer.connect();
    const ok1 = toKafkaMessage(envelope('first', {}));
    const failing = toKafkaMessage(envelope('always-fails', {}));
    const invalid = toKafkaMessage(envelope('breaks-contract', {}));
    const recovers = toKafkaMessage(envelope('fails-twice-then-works', {}));
    const ok2 = toKafkaMessage(envelope('last', {}));
    // One key: one partition, so "the partition moves on" is what lets `last` through.
    await producer.send({
      topic,
      messages: [
        ok1,
        { key: 'project-same-key', value: '{not json', headers: { ce_type: 'pm.planning.ProjectCreated' } },
        failing,
        invalid,
        recovers,
        ok2,
      ].map((m) => ({ key: 'project-same-key', value: m.value, headers: { ...m.headers } })),
    });
    await producer.disconnect();

    const outcomes: string[] = [];
    const consumer = new EventConsumer({
      kafka,
      groupId: `consumer-spec-${randomBytes(3).toString('hex')}`,
      topics: [topic],
      pool,
      dlqTopic: dlq,
      dlqProducer: kafka.producer(),
      maxAttempts: 3,
      initialBackoffMs: 20,
      maxBackoffMs: 50,
      onHandled: (e, outcome) => outcomes.push(`${String(e.envelope.data.name)}:${outcome}`),
      handler: async (event, tx) => {
        const name = String(event.envelope.data.name);
        await tx.query('INSERT INTO applied (name) VALUES ($1)', [name]);
        if (name === 'always-fails') throw new Error('downstream unavailable');
        if (name === 'breaks-contract') throw new NonRetryableError('name is reserved', 'RESERVED_NAME');
        if (name === 'fails-twice-then-works') {
          const n = (flaky.get(name) ?? 0) + 1;
          flaky.set(name, n);
          if (n < 3) throw new Error('transient');
        }
      },
    });
    await consumer.start();
    await waitFor(async () => outcomes.includes('last:applied'), { what: 'the message after the failures' });
    await consumer.stop();

    const applied = await pool.query<{ name: string }>('SELECT name FROM applied ORDER BY name');
    // The failing handlers' inserts rolled back with their transaction.
    expect(applied.rows.map((r) => r.name)).toEqual(['fails-twice-then-works', 'first', 'last']);
    expect(outcomes).toEqual([
      'first:applied',
      'always-fails:dead-lettered',
      'breaks-contract:dead-lettered',
      'fails-twice-then-works:applied',
      'last:applied',
    ]);

    const dead: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: `dlq-reader-${randomBytes(3).toString('hex')}` });
    await reader.connect();
    await reader.subscribe({ topic: dlq, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void dead.push(message) });
    await waitFor(async () => dead.length >= 3, { what: 'three dead letters' });
    await reader.disconnect();

    const h = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();
    expect(dead.map((m) => [h(m, DLQ_HEADERS.errorCode), h(m, DLQ_HEADERS.attempts)])).toEqual([
      ['POISON_MESSAGE', '1'],
      ['UNHANDLED_ERROR', '3'],
      ['RESERVED_NAME', '1'],
    ]);
    expect(h(dead[0], DLQ_HEADERS.error)).toContain('not JSON');
    expect(h(dead[1], DLQ_HEADERS.error)).toBe('Error: downstream unavailable');
    expect(h(dead[1], DLQ_HEADERS.topic)).toBe(topic);
    expect(h(dead[1], 'ce_id')).toBe(failing.headers.ce_id);
    expect(dead[1].value?.toString()).toBe(failing.value);
    expect(h(dead[2], DLQ_HEADERS.consumer)).toMatch(/^consumer-spec-/);
  });

  it('waits out a database outage instead of dead-lettering, however many attempts it takes', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const m = toKafkaMessage(envelope('during-outage', {}));
    await producer.send({ topic, messages: [{ key: m.key, value: m.value, headers: { ...m.headers } }] });
    await producer.disconnect();
    let calls = 0;
    const outcomes: string[] = [];
    const consumer = new EventConsumer({
      kafka,
      groupId: `consumer-outage-${randomBytes(3).toString('hex')}`,
      topics: [topic],
      pool,
      dlqTopic: dlq,
      dlqProducer: kafka.producer(),
      maxAttempts: 2,
      initialBackoffMs: 10,
      onHandled: (e, outcome) => outcomes.push(`${String(e.envelope.data.name)}:${outcome}`),
      handler: async (event) => {
        if (event.envelope.data.name !== 'during-outage') return;
        calls++;
        // What pg reports while PostgreSQL restarts: terminated sessions, then refused connections.
        if (calls <= 3) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
        if (calls <= 6) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
    });
    await consumer.start();
    await waitFor(async () => outcomes.includes('during-outage:applied'), { what: 'applied after the outage' });
    await consumer.stop();
    expect(calls).toBe(7);
    expect(outcomes.filter((o) => o.startsWith('during-outage'))).toEqual(['during-outage:applied']);
  });
});

describe('isInfrastructureError', () => {
  const err = (code: string | undefined, message = 'x') => Object.assign(new Error(message), { code });
  it.each(['08006', '08001', '57P01', '53300', '40001', '40P01', 'ECONNREFUSED', 'ECONNRESET'])('treats %s as infrastructure', (code) => {
    expect(isInfrastructureError(err(code))).toBe(true);
  });
  it.each(['23505', '22P02', '42P01', 'RESERVED_NAME', undefined])('treats %s as a message problem', (code) => {
    expect(isInfrastructureError(err(code))).toBe(false);
  });
  it('recognises pg client-side connection failures by message', () => {
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
});
