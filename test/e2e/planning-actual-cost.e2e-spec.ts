import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { TOPICS, contractRegistry, createCloudEvent, toKafkaMessage } from '@pm/contracts';
import type { CloudEventEnvelope, CostIncurredV1, TimesheetApprovedV1 } from '@pm/contracts';
import { signDevToken } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * Actual cost from the resource service over the real broker (ADR 0106): planning consumes
 * pm.resource.TimesheetApproved and pm.resource.CostIncurred from pm.resource.events and uses them as AC in
 * GET /projects/:id/evm, per task where the approved timesheet says which, at project level otherwise.
 * The events are produced as the resource service's relay would: valid CloudEvents, key = stream id.
 */
describe('Planning actual cost from the resource service', () => {
  let db: TestDatabase;
  let planning: RunningService;
  let producer: Producer;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let projectId: string;
  const timesheetId = randomUUID();
  const resourceId = randomUUID();
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

  function envelope<T>(type: string, subject: string, data: T, id: string = randomUUID()): CloudEventEnvelope {
    const contract = contractRegistry.latest(type);
    const time = '2025-09-08T09:00:00.000Z';
    const attributes = { id, subject, time, tenantid: tenant, streamversion: 1, correlationid: id, causationid: id, actor: 'user:rm-1' };
    return createCloudEvent(contract, { ...attributes, data }) as CloudEventEnvelope;
  }
  const publish = async (...events: CloudEventEnvelope[]) => {
    await producer.send({ topic: TOPICS.resource, messages: events.map((e) => toKafkaMessage(e)) });
  };
  const expense = (expenseId: string, amountMinor: number, on: string, currency = 'EUR'): CostIncurredV1 => ({
    costId: `expense:${expenseId}`,
    projectId,
    category: 'other',
    amount: { amountMinor, currency },
    from: on,
    to: on,
    source: { kind: 'expense', id: expenseId },
    resourceId: null,
    incurredAt: '2025-09-08T09:00:00.000Z',
  });
  const evm = async (statusDate: string) => (await request(planning.url).get(`/projects/${projectId}/evm?statusDate=${statusDate}`).set('authorization', `Bearer ${pm}`).expect(200)).body;
  const acOf = (body: { tasks: Array<{ taskId: string; ac: number }> }, taskId: string) => body.tasks.find((t) => t.taskId === taskId)?.ac;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_actual_cost');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url, consumerGroupId: `planning-cost-e2e-${randomBytes(4).toString('hex')}` }));
    const kafka = new Kafka({ clientId: 'resource-like-producer', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    projectId = (await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name: 'Costed', startDate: '2025-09-01' }).expect(201)).body.projectId;
    const call = (path: string, body: object, status: number) => request(planning.url).post(`/projects/${projectId}${path}`).set('authorization', `Bearer ${pm}`).send(body).expect(status);
    await call('/schedule', {}, 201);
    await call('/schedule/tasks', { taskId: 'design', name: 'Design', durationDays: 5, costBudget: 5000 }, 201);
    await call('/schedule/tasks', { taskId: 'build', name: 'Build', durationDays: 5, costBudget: 10000 }, 201);
    await request(planning.url).put(`/projects/${projectId}/schedule/baselines/0`).set('authorization', `Bearer ${pm}`).send({}).expect(200);
    await call('/schedule/tasks/design/start', { actualStart: '2025-09-01' }, 200);
    await call('/schedule/tasks/design/progress', { percentComplete: 50, asOf: '2025-09-03' }, 200);
    // Recorded on the task by hand: kept for build (the resource service reports nothing for it), replaced for design.
    await call('/schedule/tasks/build/actual-cost', { actualCost: 300, asOf: '2025-09-03' }, 200);
    await call('/schedule/tasks/design/actual-cost', { actualCost: 999, asOf: '2025-09-03' }, 200);
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await planning?.close();
    await db?.drop();
  });

  const line = (date: string, taskId: string | null, amountMinor: number) => ({ date, projectId, taskId, minutes: 480, overtimeMinutes: 0, rateEffectiveFrom: '2025-01-01', cost: eur(amountMinor) });
  const approved = (): TimesheetApprovedV1 => ({
    timesheetId,
    resourceId,
    weekStart: '2025-09-01',
    lines: [line('2025-09-01', 'design', 40000), line('2025-09-02', 'design', 40000), line('2025-09-02', null, 10000), line('2025-09-04', 'design', 20000)],
    total: eur(110000),
    approvedBy: 'user:rm-1',
    approvedAt: '2025-09-08T09:00:00.000Z',
  });
  const labour = (): CostIncurredV1 => ({
    costId: `${timesheetId}:${projectId}`,
    projectId,
    category: 'labour',
    amount: eur(110000),
    from: '2025-09-01',
    to: '2025-09-04',
    source: { kind: 'timesheet', id: timesheetId },
    resourceId,
    incurredAt: '2025-09-08T09:00:00.000Z',
  });
  const timesheetStream = () => `timesheet-${timesheetId}`;
  const budgetStream = () => `budget-${projectId}`;
  let costEventId: string;
  let expenseEventId: string;

  it('uses CostIncurred as AC: per task from the approved timesheet, project level without a task, dated to the status date', async () => {
    costEventId = randomUUID();
    expenseEventId = randomUUID();
    await publish(envelope('pm.resource.TimesheetApproved', timesheetStream(), approved()), envelope('pm.resource.CostIncurred', timesheetStream(), labour(), costEventId));
    await publish(envelope('pm.resource.CostIncurred', budgetStream(), expense('taxi', 2500, '2025-09-03'), expenseEventId));
    await publish(envelope('pm.resource.CostIncurred', budgetStream(), expense('licence', 5000, '2025-09-03', 'USD')));

    // The USD expense is the last on its key, the labour cost the last on the timesheet's: both seen, all seen.
    const body = await waitFor(async () => {
      const b = await evm('2025-09-03');
      return b.unconvertedActualCosts.length > 0 && acOf(b, 'design') !== 999 ? b : null;
    }, { timeoutMs: 90_000, intervalMs: 250, what: 'resource costs in the EVM' });
    // design: 400 + 400 on 1 and 2 Sep (the 200 of 4 Sep is after the status date); the 999 typed on the task is replaced.
    expect(acOf(body, 'design')).toBe(800);
    expect(acOf(body, 'build')).toBe(300);
    // Project: design 800 + build 300 + 100 of the timesheet without a task + the 25 taxi expense; USD is not added.
    expect(body.project.ac).toBe(1225);
    expect(body.unconvertedActualCosts).toEqual([{ currency: 'USD', amountMinor: 5000 }]);
    const later = await evm('2025-09-05');
    expect(acOf(later, 'design')).toBe(1000);
    expect(later.project.ac).toBe(1425);
  }, 120_000);

  it('does not double-count a redelivered event, nor the same cost published again under a new event id', async () => {
    await publish(envelope('pm.resource.CostIncurred', timesheetStream(), labour(), costEventId), envelope('pm.resource.CostIncurred', timesheetStream(), labour()));
    await publish(envelope('pm.resource.CostIncurred', budgetStream(), expense('taxi', 2500, '2025-09-03'), expenseEventId), envelope('pm.resource.CostIncurred', budgetStream(), expense('taxi', 2500, '2025-09-03')));
    // Markers behind the duplicates on the same keys (so the same partitions): once they count, the duplicates were handled.
    await publish(envelope('pm.resource.CostIncurred', timesheetStream(), expense('marker-1', 100, '2025-09-05')));
    await publish(envelope('pm.resource.CostIncurred', budgetStream(), expense('marker-2', 200, '2025-09-05')));
    const body = await waitFor(async () => {
      const b = await evm('2025-09-05');
      return b.project.ac >= 1425 + 3 ? b : null;
    }, { timeoutMs: 60_000, intervalMs: 250, what: 'the markers in the EVM' });
    expect(body.project.ac).toBe(1428);
    expect(acOf(body, 'design')).toBe(1000);
  });

  it('records the same costs on the schedule stream once each, so the earned value planning publishes counts them as GET /evm does', async () => {
    await request(planning.url).put(`/projects/${projectId}/status-date`).set('authorization', `Bearer ${pm}`).send({ statusDate: '2025-09-05' }).expect(200);
    const pool = createPgPool(db.url, { max: 1 });
    try {
      const published = await waitFor(async () => {
        const { rows } = await pool.query("SELECT data FROM es_events WHERE tenant_id = $1 AND event_type = 'ProjectEarnedValueCalculated' ORDER BY global_position DESC LIMIT 1", [tenant]);
        return rows[0]?.data.statusDate === '2025-09-05' ? rows[0].data : null;
      }, { timeoutMs: 30_000, intervalMs: 250, what: 'the earned value at the new status date' });
      expect(published).toMatchObject({ ac: (await evm('2025-09-05')).project.ac, actualCostSource: 'resource-service-and-tasks' });
      expect(published.ac).toBe(1428);
      const reported = await pool.query("SELECT data->>'costId' AS cost_id, data->>'currency' AS currency FROM es_events WHERE tenant_id = $1 AND event_type = 'ActualCostsReported' ORDER BY global_position", [tenant]);
      // The labour cost, the taxi and the two markers, each once; the USD licence is not in the project's currency.
      expect(reported.rows.map((r) => r.cost_id).sort()).toEqual([`${timesheetId}:${projectId}`, 'expense:marker-1', 'expense:marker-2', 'expense:taxi'].sort());
      expect(new Set(reported.rows.map((r) => r.currency))).toEqual(new Set(['EUR']));
    } finally {
      await pool.end();
    }
  });
});
