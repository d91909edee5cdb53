import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { TOPICS, readCloudEvent } from '@pm/contracts';
import { scheduleAggregate, scheduleStreamId } from '@pm/planning/domain';
import type { ScheduleStreamEvent } from '@pm/planning/domain';
import { signDevToken } from '@pm/platform/auth';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { EVENT_RELAY } from '@pm/platform/messaging';
import type { EventRelay } from '@pm/platform/messaging';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

interface Seen {
  readonly type: string;
  readonly streamversion: number;
  readonly data: Record<string, unknown>;
  /** Whether a subscriber could read it: envelope and data under their contracts. */
  readonly valid: boolean;
}

const readable = (value: unknown): boolean => {
  try {
    readCloudEvent(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * The contract check is the write path's, not the edge's: a request the edge accepts can still make the domain
 * write an event that breaks its public contract (that is how `constructor` as a task id once wrote TaskRenamed
 * without a taskId). To provoke it honestly over HTTP, the real planning service runs in-process and its real
 * schedule decider is wrapped for one request so that it repeats that old bug: it drops `taskId` from the
 * TaskRenamed it decides. Everything else is real: the route, the handler, WritePath, PostgreSQL, the relay and
 * the broker. The request must fail with EVENT_CONTRACT_VIOLATION, store nothing, and publish nothing.
 */
describe('An event that would break its contract, over HTTP and the real broker', () => {
  let db: TestDatabase;
  let planning: RunningService;
  let consumer: Consumer | undefined;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const seen: Seen[] = [];
  let token: string;
  let projectId: string;
  let streamId: string;
  const api = () => ({
    post: (path: string, body: object) => request(planning.url).post(path).set('authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) => request(planning.url).patch(path).set('authorization', `Bearer ${token}`).send(body),
  });

  beforeAll(async () => {
    db = await createTestDatabase('e2e_contract_enforcement');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
    token = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-9' });
    projectId = (await api().post('/projects', { name: 'Data centre move', startDate: '2026-04-06' }).expect(201)).body.projectId;
    streamId = scheduleStreamId(tenant, projectId);
    await api().post(`/projects/${projectId}/schedule`, {}).expect(201);
    await api().post(`/projects/${projectId}/schedule/tasks`, { taskId: 'racks', name: 'Racks', durationDays: 3 }).expect(201);

    const kafka = new Kafka({ clientId: 'contract-watch', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `contract-watch-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.planning, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== streamId) return;
        // Parsing under the contract would reject a broken event; keep the raw data to say what arrived.
        const value = JSON.parse(message.value!.toString()) as { type: string; streamversion: number; data: Record<string, unknown> };
        seen.push({ type: value.type, streamversion: value.streamversion, data: value.data, valid: readable(value) });
      },
    });
  }, 120_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await consumer?.disconnect();
    await planning?.close();
    await db?.drop();
  });

  it('answers 500 EVENT_CONTRACT_VIOLATION, stores nothing and publishes nothing; the next valid command follows on', async () => {
    const store = planning.app.get(PgEventStore);
    const relay = planning.app.get<EventRelay>(EVENT_RELAY, { strict: false });
    const before = await store.readStream(streamId);
    expect(before.length).toBeGreaterThan(2);

    const decide = scheduleAggregate.decider.decide;
    const broken: ScheduleStreamEvent[] = [];
    const sabotage = jest.spyOn(scheduleAggregate.decider, 'decide').mockImplementation((command, state) =>
      decide(command, state).map((event) => {
        if (event.type !== 'TaskRenamed') return event;
        const { taskId: _dropped, ...rest } = event.data;
        const damaged = { ...event, data: rest } as unknown as ScheduleStreamEvent;
        broken.push(damaged);
        return damaged;
      }),
    );
    const refused = await api().patch(`/projects/${projectId}/schedule/tasks/racks`, { name: 'Racks and power' });
    sabotage.mockRestore();

    // The decider really produced the broken event, and the write path refused it.
    expect(broken).toEqual([{ type: 'TaskRenamed', data: { projectId, name: 'Racks and power' } }]);
    expect(refused.status).toBe(500);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('EVENT_CONTRACT_VIOLATION');
    // Nothing stored: not on the stream, not anywhere in the log.
    expect(await store.readStream(streamId)).toEqual(before);
    const pool = planning.app.get<Pool>(PG_POOL, { strict: false });
    const counted = await pool.query<{ events: number; renamed: number }>(
      `SELECT count(*) FILTER (WHERE stream_id = $1)::int AS events, count(*) FILTER (WHERE event_type = 'TaskRenamed')::int AS renamed FROM es_events`,
      [streamId],
    );
    expect(counted.rows[0]).toEqual({ events: before.length, renamed: 0 });

    // The relay publishes the log in order; drain it, then a valid command on the same stream must be the very
    // next event on the topic: had the broken one been stored, it would sit in between.
    await relay.drain();
    const fine = await api().patch(`/projects/${projectId}/schedule/tasks/racks`, { name: 'Racks and power' }).expect(200);
    expect(fine.body.version).toBe(before.length + 1);
    await waitFor(async () => seen.some((e) => e.streamversion === fine.body.version), { timeoutMs: 30_000, what: 'the valid rename on the broker' });

    seen.sort((a, b) => a.streamversion - b.streamversion);
    expect(seen.map((e) => e.streamversion)).toEqual(Array.from({ length: fine.body.version }, (_, i) => i + 1));
    expect(seen.filter((e) => e.type === 'pm.planning.TaskRenamed')).toEqual([{ type: 'pm.planning.TaskRenamed', streamversion: fine.body.version, data: { projectId, taskId: 'racks', name: 'Racks and power' }, valid: true }]);
    expect(seen.filter((e) => !e.valid)).toEqual([]);
  });
});
