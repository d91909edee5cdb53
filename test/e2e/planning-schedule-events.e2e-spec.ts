import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { TOPICS, readCloudEvent } from '@pm/contracts';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

interface Seen {
  readonly type: string;
  readonly streamversion: number;
  readonly data: Record<string, unknown>;
}

/**
 * What the resource service relies on: when a dependency moves a task, pm.planning.TaskScheduleChanged
 * reaches the real broker with the new dates, keyed by the schedule stream, right after the change itself.
 */
describe('pm.planning.TaskScheduleChanged on the real broker', () => {
  let db: TestDatabase;
  let planning: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_schedule_events');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
  }, 120_000);
  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  it('is published, valid against its contract, when a new dependency moves a task', async () => {
    const tenant = `tenant-${randomBytes(4).toString('hex')}`;
    const token = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-7' });
    const api = (method: 'post', path: string, body: object) => request(planning.url)[method](path).set('authorization', `Bearer ${token}`).send(body);
    const projectId: string = (await api('post', '/projects', { name: 'Network upgrade', startDate: '2026-03-02' }).expect(201)).body.projectId;
    await api('post', `/projects/${projectId}/schedule`, {}).expect(201);
    await api('post', `/projects/${projectId}/schedule/tasks`, { taskId: 'survey', name: 'Site survey', durationDays: 4 }).expect(201);
    await api('post', `/projects/${projectId}/schedule/tasks`, { taskId: 'cabling', name: 'Cabling', durationDays: 6 }).expect(201);
    const linked = await api('post', `/projects/${projectId}/schedule/dependencies`, { predecessorId: 'survey', successorId: 'cabling', lagDays: 1 }).expect(201);

    const subject = `schedule:${tenant}:${projectId}`;
    const seen: Seen[] = [];
    const kafka = new Kafka({ clientId: 'resource-like', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `resource-like-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.planning, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== subject) return;
        const { envelope, event } = readCloudEvent(JSON.parse(message.value!.toString()));
        seen.push({ type: envelope.type, streamversion: envelope.streamversion, data: event.data as Record<string, unknown> });
      },
    });
    try {
      await waitFor(async () => seen.length >= linked.body.version, { timeoutMs: 30_000, what: 'every schedule event on the broker' });
    } finally {
      await consumer.disconnect();
    }

    seen.sort((a, b) => a.streamversion - b.streamversion);
    // Every event of the stream, each once, in stream order; each one passed its contract in readCloudEvent.
    expect(seen.map((e) => e.streamversion)).toEqual(Array.from({ length: linked.body.version }, (_, i) => i + 1));
    const afterLink = seen.slice(seen.findIndex((e) => e.type === 'pm.planning.DependencyLinked'));
    expect(afterLink.map((e) => e.type)).toEqual(['pm.planning.DependencyLinked', 'pm.planning.TaskScheduleChanged', 'pm.planning.TaskScheduleChanged', 'pm.planning.ProjectScheduleCalculated']);
    const moved = afterLink.filter((e) => e.type === 'pm.planning.TaskScheduleChanged').map((e) => e.data);
    expect(moved.find((d) => d['taskId'] === 'cabling')).toEqual(
      expect.objectContaining({
        projectId,
        taskId: 'cabling',
        kind: 'task',
        // Survey works Mon 2 – Thu 5 March; one day of lag; cabling runs Mon 9 – Mon 16 March.
        start: '2026-03-09',
        finish: '2026-03-16',
        durationDays: 6,
        previousStart: '2026-03-02',
        previousFinish: '2026-03-09',
        totalFloat: 0,
        critical: true,
      }),
    );
    // Survey did not move but it became critical, which is a schedule change too.
    expect(moved.find((d) => d['taskId'] === 'survey')).toMatchObject({ start: '2026-03-02', critical: true, previousStart: '2026-03-02' });
    expect(afterLink.at(-1)?.data).toMatchObject({ projectFinish: '2026-03-16', criticalPath: ['survey', 'cabling'], tasksChanged: 2 });
  });
});
