import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Admin, Message } from 'kafkajs';
import type { Pool } from 'pg';
import type { CloudEventEnvelope } from '@pm/contracts';
import { waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { DLQ_HEADERS } from './event-consumer';
import type { EventConsumerOptions } from './event-consumer';
import { KEY, asMessage, consumerSpec, envelope, names, record } from './event-consumer.fixture';

const repoRoot = path.resolve(__dirname, '../../../../..');

describe('EventConsumer batches (real PostgreSQL, real Kafka)', () => {
  const { servers, topicWith, consumerFor, readAll, committed } = consumerSpec('consumer-batch');
  let db: TestDatabase;
  let pool: Pool;
  let admin: Admin;
  beforeAll(() => ({ db, pool, admin } = servers));

  it.each([
    ['a handler that keeps failing', 'handler'],
    ['a message that breaks the contract', 'contract'],
  ])('sends %s in the middle of a 200-message batch to the DLQ; the 199 others are applied once, in order', async (_case, kind) => {
    await pool.query('TRUNCATE applied');
    const all = names(200);
    const poison = 'm100';
    const topic = await topicWith(all.map((name) => (kind === 'contract' && name === poison ? { key: KEY, value: JSON.stringify({ specversion: '1.0', id: 'not-a-uuid', data: { name } }), headers: {} } : asMessage(envelope(name)))));
    let settled = 0;
    const c = consumerFor(topic, {
      onSettled: () => void settled++,
      handler: async (event, tx) => {
        const name = String(event.envelope.data.name);
        await record(name, event.envelope.id, tx);
        if (name === poison) throw new Error('downstream refuses m100');
      },
    });
    await c.start();
    await waitFor(async () => settled === 200, { what: '200 messages settled' });
    await c.stop();

    const applied = await pool.query<{ name: string; times: number; txid: string }>('SELECT name, times, txid::text AS txid FROM applied ORDER BY seq');
    expect(applied.rows.map((r) => r.name)).toEqual(all.filter((n) => n !== poison));
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    // Batched: the 199 went in a handful of transactions (two when the fetch returned all 200 at once), not 199.
    expect(new Set(applied.rows.map((r) => r.txid)).size).toBeLessThanOrEqual(4);

    const dead = await readAll(`${topic}.dlq`, 1);
    expect(dead).toHaveLength(1);
    expect(dead[0].headers?.[DLQ_HEADERS.offset]?.toString()).toBe('100');
    expect(dead[0].headers?.[DLQ_HEADERS.errorCode]?.toString()).toBe(kind === 'contract' ? 'POISON_MESSAGE' : 'UNHANDLED_ERROR');
    expect(dead[0].headers?.[DLQ_HEADERS.attempts]?.toString()).toBe(kind === 'contract' ? '1' : '3');
  });

  it('skips duplicates within one batch and events the inbox already holds, applying each event once', async () => {
    await pool.query('TRUNCATE applied');
    const events = names(50).map((name) => envelope(name));
    // Each event twice, the copy a few messages later (as a relay that republished would place it).
    const order = events.flatMap((e, i) => (i >= 3 ? [e, events[i - 3]] : [e])).concat(events.slice(-3));
    const topic = await topicWith(order.map(asMessage));
    const inboxName = `consumer-dupes-${randomBytes(3).toString('hex')}`;
    // Ten of them were handled before (e.g. by this consumer before a crash): their rows are in the inbox.
    for (const e of events.slice(10, 20)) {
      await pool.query(
        `INSERT INTO inbox (consumer, event_id, event_type, tenant_id, topic, kafka_partition, kafka_offset) VALUES ($1, $2, $3, 't', $4, 0, 0)`,
        [inboxName, e.id, e.type, topic],
      );
    }
    const outcomes: string[] = [];
    const c = consumerFor(topic, { inboxName, onHandled: (e, outcome) => outcomes.push(`${String(e.envelope.data.name)}:${outcome}`) });
    await c.start();
    await waitFor(async () => outcomes.length === 100, { what: '100 messages handled' });
    await c.stop();
    const applied = await pool.query<{ name: string; times: number }>('SELECT name, times FROM applied ORDER BY seq');
    const expected = events.map((e) => String(e.data.name)).filter((_, i) => i < 10 || i >= 20);
    expect(applied.rows.map((r) => r.name).sort()).toEqual(expected.sort());
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    expect(outcomes.filter((o) => o.endsWith(':applied'))).toHaveLength(40);
    expect(outcomes.filter((o) => o.endsWith(':duplicate'))).toHaveLength(60);
  });

  it('settles the messages `skipping` names unread, with no transaction or inbox row, and applies the rest in order', async () => {
    await pool.query('TRUNCATE applied');
    const all = names(90);
    // Every third message belongs to a tenant the consumer has nothing to do for (as the webhook fan-out for a tenant
    // without endpoints); one of those is not even a valid event, and being skipped it is never parsed.
    const skippedTenant = (i: number) => i % 3 === 1;
    const messages = all.map((name, i) => {
      const m = asMessage({ ...envelope(name), tenantid: skippedTenant(i) ? 'tenant-quiet' : 'tenant-batch' });
      return i === 40 ? { ...m, value: '{not json' } : m;
    });
    const topic = await topicWith(messages);
    const inboxName = `consumer-skip-${randomBytes(3).toString('hex')}`;
    let settled = 0;
    const asked: number[] = [];
    const c = consumerFor(topic, {
      inboxName,
      onSettled: () => void settled++,
      skipping: async (headers) => {
        asked.push(headers.length);
        return headers.map((h) => h.get('ce_tenantid') === 'tenant-quiet');
      },
    });
    await c.start();
    await waitFor(async () => settled === 90, { what: '90 messages settled' });
    const groupId = (c as unknown as { options: { groupId: string } }).options.groupId;
    await waitFor(async () => (await committed(groupId, topic)) === 90, { what: 'every offset committed' });
    await c.stop();

    const applied = await pool.query<{ name: string; times: number }>('SELECT name, times FROM applied ORDER BY seq');
    expect(applied.rows.map((r) => r.name)).toEqual(all.filter((_, i) => !skippedTenant(i)));
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    const inbox = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE consumer = $1', [inboxName]);
    expect(inbox.rows[0].n).toBe(60);
    // Asked once per fetched batch with every message's headers, not once per message.
    expect(asked.reduce((a, b) => a + b, 0)).toBe(90);
    expect(asked.length).toBeLessThan(90);
    // The invalid message was skipped, not dead-lettered.
    const dlq = await admin.fetchTopicOffsets(`${topic}.dlq`);
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBe(0);
  });

  it('reads every message when `skipping` fails', async () => {
    await pool.query('TRUNCATE applied');
    const all = names(20);
    const topic = await topicWith(all.map((name) => asMessage(envelope(name))));
    let settled = 0;
    const c = consumerFor(topic, {
      onSettled: () => void settled++,
      skipping: async () => {
        throw new Error('endpoints table unavailable');
      },
    });
    await c.start();
    await waitFor(async () => settled === 20, { what: '20 messages settled' });
    await c.stop();
    const applied = await pool.query<{ name: string }>('SELECT name FROM applied ORDER BY seq');
    expect(applied.rows.map((r) => r.name)).toEqual(all);
  });

  it('commits a transaction cut by its time bound with only what it applied; the rest follows, once each', async () => {
    await pool.query('TRUNCATE applied');
    const all = names(60);
    const topic = await topicWith(all.map((name) => asMessage(envelope(name))));
    let settled = 0;
    const c = consumerFor(topic, {
      maxBatchMs: 20,
      onSettled: () => void settled++,
      handler: async (event, tx) => {
        await record(String(event.envelope.data.name), event.envelope.id, tx);
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    await c.start();
    await waitFor(async () => settled === 60, { what: '60 messages settled' });
    await c.stop();
    const applied = await pool.query<{ name: string; times: number; txid: string }>('SELECT name, times, txid::text AS txid FROM applied ORDER BY seq');
    expect(applied.rows.map((r) => r.name)).toEqual(all);
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    // 60 handlers of at least 5 ms cannot fit in one 20 ms transaction: the batch was cut, and no cut lost a message.
    expect(new Set(applied.rows.map((r) => r.txid)).size).toBeGreaterThan(1);
  });

  it.each([
    ['inside its second transaction (rolled back)', 'mid-transaction', 100],
    ['after its first transaction committed, before the offsets were', 'after-commit', 100],
  ])('a consumer killed %s re-applies nothing twice when the group resumes', async (_case, mode, appliedAtCrash) => {
    await pool.query('TRUNCATE applied');
    const all = names(300);
    const topic = await topicWith(all.map((name) => asMessage(envelope(name))));
    const groupId = `consumer-crash-${randomBytes(3).toString('hex')}`;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '__fixtures__/crashing-consumer.fixture.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        CONSUMER_DB_URL: db.url,
        CONSUMER_TOPIC: topic,
        CONSUMER_GROUP: groupId,
        CONSUMER_CRASH: mode,
        CONSUMER_CRASH_AT: 'm150',
        CONSUMER_BATCH: '100',
        KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const guard = setTimeout(() => child.kill('SIGTERM'), 90_000);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    clearTimeout(guard);
    expect(signal).toBe('SIGKILL');

    const atCrash = await pool.query<{ name: string }>('SELECT name FROM applied ORDER BY seq');
    expect(atCrash.rows.map((r) => r.name)).toEqual(all.slice(0, appliedAtCrash));
    // after-commit: the first batch is in the database, but the group never learnt it was done.
    expect(await committed(groupId, topic)).toBe(mode === 'after-commit' ? 0 : appliedAtCrash);

    const outcomes: string[] = [];
    const c = consumerFor(topic, { groupId, onHandled: (_e, outcome) => outcomes.push(outcome) });
    await c.start();
    await waitFor(async () => (await committed(groupId, topic)) === 300, { what: 'the group committed all 300 offsets', timeoutMs: 60_000 });
    await c.stop();

    const applied = await pool.query<{ name: string; times: number }>('SELECT name, times FROM applied ORDER BY seq');
    expect(applied.rows.map((r) => r.name)).toEqual(all);
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(mode === 'after-commit' ? appliedAtCrash : 0);
  });

  it('handles each message in a span continuing its traceparent; a replay (traceMessages: false) starts none', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    try {
      const traceId = 'd'.repeat(32);
      const parentSpan = '4'.repeat(16);
      const traced = (e: CloudEventEnvelope): Message => {
        const m = asMessage(e);
        return { ...m, headers: { ...m.headers, traceparent: `00-${traceId}-${parentSpan}-01` } };
      };
      const topic = await topicWith([traced(envelope('t1')), traced(envelope('t2'))]);
      const spansOf = async (extra: Partial<EventConsumerOptions>) => {
        exporter.reset();
        let handled = 0;
        const c = consumerFor(topic, { ...extra, onHandled: () => void handled++ });
        await c.start();
        await waitFor(async () => handled === 2, { what: 'both messages settled' });
        await c.stop();
        await provider.forceFlush();
        return exporter.getFinishedSpans().filter((span) => span.name === `process ${topic}`);
      };

      const live = await spansOf({});
      expect(live).toHaveLength(2);
      for (const span of live) {
        expect(span.spanContext().traceId).toBe(traceId);
        expect(span.parentSpanContext?.spanId).toBe(parentSpan);
      }
      expect(await spansOf({ traceMessages: false })).toEqual([]);
    } finally {
      trace.disable();
      propagation.disable();
    }
  });
});
