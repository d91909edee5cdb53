import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { waitFor } from '@pm/platform/testing';
import { DLQ_HEADERS } from './event-consumer';
import { KEY, asMessage, consumerSpec, envelope, names, record } from './event-consumer.fixture';

describe('EventConsumer read-ahead (real PostgreSQL, real Kafka)', () => {
  const { servers, topicWith, consumerFor, readAll, committed } = consumerSpec('consumer-read-ahead');
  let pool: Pool;
  let kafka: Kafka;
  beforeAll(() => ({ pool, kafka } = servers));

  it('with read-ahead, fetches while it applies, commits only what it applied, and stops after its transaction in flight', async () => {
    await pool.query('TRUNCATE applied');
    const all = names(600);
    // 40 record batches: a small maxBytesPerPartition makes every fetch return one or two of them.
    const topic = await topicWith(all.map((name) => asMessage(envelope(name))), 15);

    // kafkajs alone hands over the next batch only once the last one is settled: a batch handed over while messages
    // before it are unsettled is the read-ahead at work.
    let settled = 0;
    let handedOverEarly = 0;
    const spied = Object.create(kafka) as Kafka;
    spied.consumer = (config) => {
      const consumer = kafka.consumer(config);
      consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => void (Number(payload.firstOffset) > settled && handedOverEarly++));
      return consumer;
    };
    const groupId = `consumer-read-ahead-${randomBytes(3).toString('hex')}`;
    const slow = consumerFor(topic, {
      kafka: spied,
      groupId,
      readAhead: 2,
      maxBytesPerPartition: 2048,
      onSettled: () => void settled++,
      handler: async (event, tx) => {
        await record(String(event.envelope.data.name), event.envelope.id, tx);
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    await slow.start();
    await waitFor(async () => settled >= 200, { what: '200 messages settled' });
    const settledWhenStopped = settled;
    await slow.stop();
    const atStop = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM applied');
    expect(handedOverEarly).toBeGreaterThan(0);
    // Only the transaction in flight finished (a fetched batch here is one record batch of 15), not the queued batches.
    expect(atStop.rows[0].n - settledWhenStopped).toBeLessThanOrEqual(15);
    // Offsets are committed after their transaction, never ahead of it, and stop() committed its last one.
    expect(await committed(groupId, topic)).toBe(atStop.rows[0].n);

    const outcomes: string[] = [];
    const resumed = consumerFor(topic, { groupId, readAhead: 2, onHandled: (_e, outcome) => outcomes.push(outcome) });
    await resumed.start();
    await waitFor(async () => (await committed(groupId, topic)) === 600, { what: 'the group committed all 600 offsets', timeoutMs: 60_000 });
    await resumed.stop();
    const applied = await pool.query<{ name: string; times: number }>('SELECT name, times FROM applied ORDER BY seq');
    expect(applied.rows.map((r) => r.name)).toEqual(all);
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(0);
  });

  it('with read-ahead, a queued batch that fails (its dead letter not sent) restarts the consumer from the committed offsets: nothing lost, applied twice or out of order', async () => {
    await pool.query('TRUNCATE applied');
    const all = names(300);
    const poison = 150;
    const topic = await topicWith(all.map((name, i) => (i === poison ? { key: KEY, value: '{not json', headers: {} } : asMessage(envelope(name)))), 15);

    // The broker refuses the first dead letter: the batch holding the poison message fails with batches queued behind it.
    const dlqProducer = kafka.producer();
    const send = dlqProducer.send.bind(dlqProducer);
    let refused = 0;
    dlqProducer.send = async (record) => {
      if (refused++ === 0) throw new Error('broker unavailable');
      return send(record);
    };
    const groupId = `consumer-read-ahead-fail-${randomBytes(3).toString('hex')}`;
    const c = consumerFor(topic, { groupId, dlqProducer, readAhead: 2, maxBytesPerPartition: 2048 });
    await c.start();
    await waitFor(async () => (await committed(groupId, topic)) === 300, { what: 'the group committed all 300 offsets', timeoutMs: 60_000 });
    await c.stop();

    expect(refused).toBe(2);
    const applied = await pool.query<{ name: string; times: number }>('SELECT name, times FROM applied ORDER BY seq');
    expect(applied.rows.map((r) => r.name)).toEqual(all.filter((_, i) => i !== poison));
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    const dead = await readAll(`${topic}.dlq`, 1);
    expect(dead.map((m) => m.headers?.[DLQ_HEADERS.offset]?.toString())).toEqual([String(poison)]);
  });
});
