import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { EVENT_STORE_MIGRATIONS, PgEventStore, createPgPool, runMigrations } from '@pm/platform/event-store';
import { testEvent } from '@pm/platform/testing';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { EventConsumer } from './event-consumer';
import { EventRelay } from './event-relay';
import { createIdempotentProducer, createKafka } from './kafka-client';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

const repoRoot = path.resolve(__dirname, '../../../../..');

describe('EventRelay + EventConsumer (real PostgreSQL, real Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let kafka: Kafka;
  let admin: Admin;
  const topic = `test.relay.${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase('relay');
    await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS]);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    await pool.query('CREATE TABLE applied (event_id uuid PRIMARY KEY, times integer NOT NULL)');
    kafka = createKafka('relay-spec');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }, { topic: `${topic}.dlq`, numPartitions: 1 }] });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
    await db.drop();
  });

  async function topicSize(t: string): Promise<number> {
    const offsets = await admin.fetchTopicOffsets(t);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  }

  function consumer(groupId: string): EventConsumer {
    return new EventConsumer({
      kafka,
      groupId,
      topics: [topic],
      pool,
      dlqTopic: `${topic}.dlq`,
      dlqProducer: kafka.producer(),
      handler: async (event, tx) => {
        await tx.query(
          'INSERT INTO applied (event_id, times) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1',
          [event.envelope.id],
        );
      },
    });
  }

  it('a relay killed between publish and checkpoint republishes on restart, and consumers still apply each event once', async () => {
    const ids: string[] = [];
    for (let s = 0; s < 6; s++) {
      const events = Array.from({ length: 5 }, (_, i) => testEvent('tenant-r', 'ProjectCreated', { s, i }));
      ids.push(...events.map((e) => e.metadata.eventId));
      await store.append(`project-${s}`, events, 'no-stream');
    }

    // The relay reads below the cluster-wide xmin; let any transaction open elsewhere on the server finish first.
    await waitFor(async () => (await store.readAll(undefined, 100)).length === 30, { what: '30 events visible' });
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '__fixtures__/crashing-relay.fixture.ts')], {
      cwd: repoRoot,
      env: { ...process.env, RELAY_DB_URL: db.url, RELAY_TOPIC: topic, KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(out).toContain('published 30');
    expect(await topicSize(topic)).toBe(30);

    const relay = new EventRelay({ name: 'crash-test.relay', context: 'planning', topic, pool, store, producer: createIdempotentProducer(kafka) });
    expect(await relay.checkpoint()).toEqual({ transactionId: '0', position: '0' });
    await relay.start();
    await waitFor(async () => (await topicSize(topic)) === 60, { what: 'republished batch' });
    await relay.stop();

    const c = consumer(`relay-spec-${randomBytes(3).toString('hex')}`);
    await c.start();
    await waitFor(async () => (await pool.query('SELECT 1 FROM inbox')).rowCount === 30, { what: '30 events handled' });
    // Every duplicate must have reached the consumer and been skipped, not just been left unread.
    await waitFor(async () => {
      const lag = await admin.fetchOffsets({ groupId: (c as unknown as { options: { groupId: string } }).options.groupId, topics: [topic] });
      return lag[0].partitions.reduce((n, p) => n + Number(p.offset), 0) === 60;
    }, { what: 'offsets committed past the duplicates' });
    await c.stop();

    const applied = await pool.query<{ event_id: string; times: number }>('SELECT event_id, times FROM applied');
    expect(applied.rows).toHaveLength(30);
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
    expect(new Set(applied.rows.map((r) => r.event_id))).toEqual(new Set(ids));
  });

  it('a consumer group re-reading the topic from the start (crash before offset commit) applies nothing twice', async () => {
    const groupId = `relay-spec-replay-${randomBytes(3).toString('hex')}`;
    await pool.query("DELETE FROM inbox; DELETE FROM applied");
    const first = consumer(groupId);
    await first.start();
    await waitFor(async () => (await pool.query('SELECT 1 FROM applied')).rowCount === 30, { what: 'first pass' });
    await first.stop();
    await admin.resetOffsets({ groupId, topic, earliest: true });
    const second = consumer(groupId);
    await second.start();
    await waitFor(async () => {
      const o = await admin.fetchOffsets({ groupId, topics: [topic] });
      return o[0].partitions.reduce((n, p) => n + Number(p.offset), 0) === 60;
    }, { what: 'second pass over all 60 messages' });
    await second.stop();
    const applied = await pool.query<{ times: number }>('SELECT times FROM applied');
    expect(applied.rows).toHaveLength(30);
    expect(applied.rows.every((r) => r.times === 1)).toBe(true);
  });

  it('one relay publishes at a time; when the leader\'s session dies another takes over and nothing is lost', async () => {
    const name = `leader-test-${randomBytes(3).toString('hex')}`;
    const topicBefore = await topicSize(topic);
    const mk = () => new EventRelay({ name, context: 'planning', topic, pool, store, producer: createIdempotentProducer(kafka), pollIntervalMs: 50 });
    const a = mk();
    const b = mk();
    await a.start();
    await b.start();
    // Both relays start from zero under this new name: the log already holds 30 events from the first test.
    await store.append(`leader-${name}`, Array.from({ length: 10 }, () => testEvent('tenant-r')), 'no-stream');
    await waitFor(async () => (await topicSize(topic)) - topicBefore === 40, { what: 'one relay publishing 40 events' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await topicSize(topic)) - topicBefore).toBe(40); // not 80: only the leader published

    const holders = await pool.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()`,
    );
    expect(holders.rows).toHaveLength(1);
    await pool.query('SELECT pg_terminate_backend($1)', [holders.rows[0].pid]);

    await store.append(`leader-${name}`, Array.from({ length: 10 }, () => testEvent('tenant-r')), 10);
    await waitFor(async () => (await store.countAfter(await a.checkpoint())) === 0, { what: 'the new leader caught up', timeoutMs: 20_000 });
    expect((await topicSize(topic)) - topicBefore).toBeGreaterThanOrEqual(50);
    await a.stop();
    await b.stop();
  });

  it('publishes the parts of a staged change only with the commit that makes them visible: right before it, in order, keyed by its stream', async () => {
    const tenant = `tenant-stage-${randomBytes(3).toString('hex')}`;
    const target = `schedule:${tenant}:p1`;
    const staging = `schedule-import:${tenant}:i1`;
    const part = (chunk: number) => {
      const e = testEvent(tenant, 'ScheduleImportStaged', { chunk, events: [{ type: 'TaskAddedToWbs', data: { taskId: `t${chunk}` } }] });
      return { ...e, metadata: { ...e.metadata, stagedInto: target } };
    };
    await store.append(target, [testEvent(tenant, 'ProjectCreated')], 'no-stream');
    for (let chunk = 0; chunk < 3; chunk++) await store.append(staging, [part(chunk)], chunk === 0 ? 'no-stream' : chunk);
    // Abandoned parts of another change: never committed, never published.
    await store.append(`schedule-import:${tenant}:abandoned`, [{ ...part(9), metadata: { ...part(9).metadata, stagedInto: `schedule:${tenant}:p2` } }], 'no-stream');

    const name = `stage-test-${randomBytes(3).toString('hex')}`;
    const relay = new EventRelay({ name, context: 'planning', topic, pool, store, producer: createIdempotentProducer(kafka), batchSize: 1000 });
    const seen: Array<{ key: string; type: string; subject: string; stagedfor?: string; stagedversion?: number; chunk?: number }> = [];
    const reader = kafka.consumer({ groupId: `stage-reader-${randomBytes(3).toString('hex')}` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const envelope = JSON.parse(message.value?.toString() ?? '{}');
        if (envelope.tenantid !== tenant) return;
        seen.push({ key: message.key?.toString() ?? '', type: envelope.type, subject: envelope.subject, stagedfor: envelope.stagedfor, stagedversion: envelope.stagedversion, chunk: envelope.data?.chunk });
      },
    });
    try {
      await waitFor(async () => (await relay.drain()) >= 0 && seen.length >= 1, { what: 'ProjectCreated published', timeoutMs: 20_000 });
      expect(seen.map((m) => m.type)).toEqual(['pm.planning.ProjectCreated']);

      const commit = testEvent(tenant, 'ScheduleImported', { chunks: 3 });
      await store.append(target, [{ ...commit, metadata: { ...commit.metadata, commitsStage: { streamId: staging, chunks: 3 } } }], 1);
      await waitFor(async () => (await relay.drain()) >= 0 && seen.length === 5, { what: 'the parts and their commit', timeoutMs: 20_000 });
      expect(seen.slice(1)).toEqual([
        ...[0, 1, 2].map((chunk) => ({ key: target, type: 'pm.planning.ScheduleImportStaged', subject: staging, stagedfor: target, stagedversion: 2, chunk })),
        { key: target, type: 'pm.planning.ScheduleImported', subject: target, stagedfor: undefined, stagedversion: undefined, chunk: undefined },
      ]);
    } finally {
      await reader.disconnect();
      await relay.stop();
    }
  });

  it('stops at an event whose envelope subscribers would reject, instead of publishing or skipping it', async () => {
    const name = `poison-test-${randomBytes(3).toString('hex')}`;
    const before = await topicSize(topic);
    const bad = testEvent('tenant-r');
    await store.append(`poison-${name}`, [{ ...bad, metadata: { ...bad.metadata, actor: 'user:John Smith' } }], 'no-stream');
    // The relay reads below the server's oldest open transaction: wait until the bad event is readable at all.
    await waitFor(async () => (await store.readAll(undefined, 100_000)).some((e) => e.eventId === bad.metadata.eventId), { what: 'the bad event visible' });
    const relay = new EventRelay({ name, context: 'planning', topic, pool, store, producer: createIdempotentProducer(kafka), batchSize: 1000 });
    await expect(relay.drain()).rejects.toThrow(/invalid envelope: actor/);
    await relay.stop();
    expect(await topicSize(topic)).toBe(before);
    expect(await relay.checkpoint()).toEqual({ transactionId: '0', position: '0' });
  });
});
