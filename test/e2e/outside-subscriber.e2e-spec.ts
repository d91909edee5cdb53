import { randomBytes } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { projectCreatedV1Schema } from '@pm/contracts';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * Reads pm.planning.events the way an ERP or BI system would: a plain kafkajs consumer, no project code,
 * and the reference CloudEvents SDK to check the envelope.
 */
describe('pm.planning.events seen from an outside subscriber', () => {
  let db: TestDatabase;
  let planning: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_outside');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
  }, 120_000);
  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  it('publishes ProjectCreated as a structured-mode CloudEvent, keyed by stream id, with routing headers', async () => {
    const tenant = `tenant-${randomBytes(4).toString('hex')}`;
    const token = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'erp-admin' });
    const traceId = randomBytes(16).toString('hex');
    const created = await request(planning.url)
      .post('/projects')
      .set('authorization', `Bearer ${token}`)
      .set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`)
      .set('x-correlation-id', 'erp-import-42')
      .send({ name: 'Data centre exit', code: 'DCX', startDate: '2027-01-04', priority: 'high', currency: 'USD' })
      .expect(201);
    const projectId: string = created.body.projectId;

    const kafka = new Kafka({ clientId: 'outside-erp', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `outside-erp-${randomBytes(4).toString('hex')}` });
    let found: KafkaMessage | undefined;
    await consumer.connect();
    await consumer.subscribe({ topic: 'pm.planning.events', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === `project:${tenant}:${projectId}`) found = message;
      },
    });
    await waitFor(async () => found, { timeoutMs: 30_000, what: 'the ProjectCreated message' });
    await consumer.disconnect();
    const message = found!;

    const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]));
    const value = JSON.parse(message.value!.toString());
    expect(headers).toMatchObject({
      'content-type': 'application/cloudevents+json',
      ce_type: 'pm.planning.ProjectCreated',
      ce_id: value.id,
      ce_tenantid: tenant,
    });
    expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));

    // The reference SDK validates the envelope (spec version, required attributes, extension names).
    const event = new CloudEvent(value, true);
    expect(event.validate()).toBe(true);
    expect(value).toMatchObject({
      specversion: '1.0',
      source: '/pm/planning',
      type: 'pm.planning.ProjectCreated',
      subject: `project:${tenant}:${projectId}`,
      datacontenttype: 'application/json',
      dataschema: 'urn:pm:schema:pm.planning.ProjectCreated:1',
      tenantid: tenant,
      streamversion: 1,
      correlationid: 'erp-import-42',
      actor: 'user:erp-admin',
    });
    expect(value.traceparent).toBe(headers.traceparent);
    expect(typeof value.causationid).toBe('string');
    // `time` is when planning's store recorded the event; `occurredat` when planning decided it, before (ADR 0506).
    expect(Date.parse(value.time)).not.toBeNaN();
    expect(Date.parse(value.occurredat)).toBeLessThanOrEqual(Date.parse(value.time));
    expect(projectCreatedV1Schema.parse(value.data)).toEqual({
      projectId,
      name: 'Data centre exit',
      code: 'DCX',
      description: null,
      startDate: '2027-01-04',
      targetFinishDate: null,
      status: 'initiating',
      priority: 'high',
      sponsor: null,
      managerId: null,
      currency: 'USD',
      calendarId: null,
      createdAt: value.occurredat,
    });
  });
});
