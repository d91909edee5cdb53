// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { TOPICS, readCloudEvent } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { scheduleStreamId } from '@pm/planning/domain';
import { signDevToken } from '@pm/platform/auth';
import { PgEventStore } from '@pm/platform/event-store';
import type { StoredEvent } from '@pm/platform/event-store';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { allocationStreamId } from '@pm/resource/domain';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

/** A message as a subscriber receives it: the CloudEvent (read under its contract) and the routing headers. */
interface Received {
  readonly envelope: CloudEventEnvelope;
  readonly headers: Record<string, string>;
}

const traceIdOf = (traceparent: string | null | undefined): string | undefined => /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '')?.[1];

/**
 * One trace from an HTTP request in planning to an event the resource service raises in reaction, over the real
 * broker: the planning events carry the request's trace context in the store and on Kafka, the resource service
 * continues that trace when a moved task over-allocates a person, and names the planning event as the cause.
 */
describe('One trace across planning and resource (real broker)', () => {
  let planningDb: TestDatabase;
  let resourceDb: TestDatabase;
  let planning: RunningService;
  let resource: RunningService;
  let consumer: Consumer | undefined;
  const received: Received[] = [];
  const unreadable: string[] = [];
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  let pm: string;
  let rm: string;

  const as = (url: () => string, token: () => string) => ({
    get: (path: string) => request(url()).get(path).set('authorization', `Bearer ${token()}`),
    post: (path: string, body?: object) => request(url()).post(path).set('authorization', `Bearer ${token()}`).send(body),
  });
  const planner = as(() => planning.url, () => pm);
  const manager = as(() => resource.url, () => rm);

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_trace_planning');
    resourceDb = await createTestDatabase('e2e_trace_resource');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: resourceDb.url, consumerGroupId: `resource-trace-${randomBytes(4).toString('hex')}` }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    rm = await signDevToken({ tenant, roles: ['resource-manager'], sub: 'rm-1' });

    const kafka = new Kafka({ clientId: 'trace-watch', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `trace-watch-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.planning, TOPICS.resource], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        // The topics keep every earlier run's events: look at this tenant's only (an old one that no longer parses
        // must not stall the watcher), and read each of them under its contract.
        const value = JSON.parse(message.value!.toString()) as { tenantid?: unknown };
        if (value.tenantid !== tenant) return;
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        try {
          received.push({ envelope: readCloudEvent(value).envelope, headers });
        } catch (error) {
          unreadable.push(String(error));
        }
      },
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await resource?.close();
    await planning?.close();
    await resourceDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  let projectId: string;
  let adaId: string;

  it('plans design → build with test in parallel, and staffs Ada on build and test at 40 h a week', async () => {
    projectId = (await planner.post('/projects', { name: 'ERP upgrade', startDate: '2025-09-01' }).expect(201)).body.projectId;
    await planner.post(`/projects/${projectId}/schedule`, {}).expect(201);
    for (const taskId of ['design', 'build']) await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId, name: taskId, durationDays: 5 }).expect(201);
    await planner.post(`/projects/${projectId}/schedule/dependencies`, { dependencyId: 'd1', predecessorId: 'design', successorId: 'build' }).expect(201);
    await planner.post(`/projects/${projectId}/schedule/tasks`, { taskId: 'test', name: 'test', durationDays: 5 }).expect(201);
    adaId = (await manager.post('/resources/people', { name: 'Ada Lovelace', role: 'Developer', department: 'IT' }).expect(201)).body.resourceId;
    const assign = (taskId: string) => manager.post('/assignments', { resourceId: adaId, projectId, taskId, load: { kind: 'units', percent: 100 } });
    // Resource learns tasks from pm.planning.events in stream order: once it knows `test`, it knows build's move.
    // A new consumer group reads the whole topic first (every earlier run's events), hence the patience.
    await waitFor(async () => (await assign('build')).status === 201, { timeoutMs: 200_000, intervalMs: 500, what: 'build known to resource' });
    await waitFor(async () => (await assign('test')).status === 201, { timeoutMs: 60_000, intervalMs: 500, what: 'test known to resource' });
    await waitFor(
      async () => {
        const res = await manager.get(`/capacity?from=2025-09-01&to=2025-09-14&granularity=week&resourceId=${adaId}`).expect(200);
        return JSON.stringify(res.body.resources[0].periods.map((p: { demandHours: number }) => p.demandHours)) === '[40,40]';
      },
      { what: 'Ada at 40 h in both weeks', timeoutMs: 60_000 },
    );
    expect(received.filter((r) => r.envelope.subject === allocationStreamId(tenant, adaId))).toEqual([]);
  }, 330_000);

  it('carries the request\'s trace through the planning store, Kafka, and the resource service\'s reaction', async () => {
    const allocation = allocationStreamId(tenant, adaId);

    // The traced request: test after design moves test into week 2, next to build.
    const linked = await request(planning.url)
      .post(`/projects/${projectId}/schedule/dependencies`)
      .set('authorization', `Bearer ${pm}`)
      .set('traceparent', traceparent)
      .send({ dependencyId: 'd2', predecessorId: 'design', successorId: 'test' })
      .expect(201);

    // (1) The planning events of that request are stored with trace id T.
    const stored: StoredEvent[] = (await planning.app.get(PgEventStore).readStream(scheduleStreamId(tenant, projectId))).filter((e) => e.streamVersion > linked.body.version - linked.body.changes.length - linked.body.calculation.length);
    expect(stored.map((e) => e.type)).toEqual([...linked.body.changes, ...linked.body.calculation].map((e: { type: string }) => e.type));
    expect(stored.map((e) => e.type)).toContain('TaskScheduleChanged');
    for (const e of stored) expect(traceIdOf(e.metadata.traceparent)).toBe(traceId);

    // (2) On Kafka, the traceparent header of each is the one stored with it (and so is the CloudEvent attribute).
    // In-process under Jest kafkajs is not instrumented; where it is (main.ts starts telemetry first), the producer
    // span injects its own traceparent into the header: same trace id, its own parent id.
    const published = await waitFor(async () => {
      const found = stored.map((e) => received.find((r) => r.envelope.id === e.eventId));
      return found.every(Boolean) && (found as Received[]);
    }, { what: 'the traced planning events on the broker' });
    expect(published.map((r) => r.headers['traceparent'])).toEqual(stored.map((e) => e.metadata.traceparent));
    expect(published.map((r) => r.envelope.traceparent)).toEqual(stored.map((e) => e.metadata.traceparent));

    // (3) The resource service's reaction continues trace T and names the planning event that moved the task.
    const over = await waitFor(async () => received.find((r) => r.envelope.subject === allocation && r.envelope.type === 'pm.resource.ResourceOverallocated'), {
      timeoutMs: 60_000,
      what: 'ResourceOverallocated on pm.resource.events',
    });
    expect(over.envelope.data).toMatchObject({ resourceId: adaId, periods: [expect.objectContaining({ from: '2025-09-08', to: '2025-09-12', taskIds: ['build', 'test'] })] });
    expect(traceIdOf(over.envelope.traceparent)).toBe(traceId);
    expect(over.headers['traceparent']).toBe(over.envelope.traceparent);
    const cause = stored.find((e) => e.eventId === over.envelope.causationid);
    expect(cause).toMatchObject({ type: 'TaskScheduleChanged', data: expect.objectContaining({ taskId: 'test', start: '2025-09-08' }) });
    expect(over.envelope.correlationid).toBe(cause?.metadata.correlationId);
    expect(unreadable).toEqual([]);
  }, 120_000);
});
