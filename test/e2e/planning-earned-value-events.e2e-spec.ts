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

/**
 * What the risk rules read (ADR 0303): setting the status date of a baselined plan appends
 * pm.planning.ProjectEarnedValueCalculated with the recalculation, and it reaches the real broker valid against its contract.
 */
describe('pm.planning.ProjectEarnedValueCalculated on the real broker', () => {
  let db: TestDatabase;
  let planning: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_earned_value_events');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
  }, 120_000);
  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  it('is appended with the status date and published, with the figures of the plan', async () => {
    const tenant = `tenant-${randomBytes(4).toString('hex')}`;
    const token = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-7' });
    const api = (method: 'post' | 'put', path: string, body: object) => request(planning.url)[method](path).set('authorization', `Bearer ${token}`).send(body);
    const projectId: string = (await api('post', '/projects', { name: 'Network upgrade', startDate: '2026-03-02' }).expect(201)).body.projectId;
    const schedule = `/projects/${projectId}/schedule`;
    await api('post', schedule, {}).expect(201);
    await api('post', `${schedule}/tasks`, { taskId: 'survey', name: 'Site survey', durationDays: 5, costBudget: 5000 }).expect(201);
    await api('post', `${schedule}/tasks`, { taskId: 'cabling', name: 'Cabling', durationDays: 5, costBudget: 5000 }).expect(201);
    await api('post', `${schedule}/tasks`, { taskId: 'live', name: 'Network live', kind: 'milestone' }).expect(201);
    await api('post', `${schedule}/dependencies`, { predecessorId: 'survey', successorId: 'cabling' }).expect(201);
    await api('post', `${schedule}/dependencies`, { predecessorId: 'cabling', successorId: 'live' }).expect(201);
    await api('put', `${schedule}/baselines/0`, {}).expect(200);
    // The survey took a day longer and cost 6,000.
    await api('post', `${schedule}/tasks/survey/finish`, { actualStart: '2026-03-02', actualFinish: '2026-03-09' }).expect(200);
    await api('post', `${schedule}/tasks/survey/actual-cost`, { actualCost: 6000, asOf: '2026-03-09' }).expect(200);

    // Progress dates already gave the plan a data date (ADR 0105), so figures were published with the progress too.
    const set = await api('put', `/projects/${projectId}/status-date`, { statusDate: '2026-03-10' }).expect(200);
    const calculated = set.body.schedule.calculation.filter((e: { type: string }) => e.type === 'ProjectEarnedValueCalculated');
    expect(calculated).toHaveLength(1);
    // Planned by Tuesday 10 March: the survey (5,000) and two of the cabling's five days (2,000). Earned: the survey.
    // The cabling starts on the status date, so the milestone moves from Friday 13 to Monday 16: one working day.
    const expected = {
      projectId,
      statusDate: '2026-03-10',
      baselineNumber: 0,
      bac: 10_000,
      pv: 7000,
      ev: 5000,
      ac: 6000,
      actualCostSource: 'resource-service-and-tasks',
      milestoneCount: 1,
      overdueMilestoneCount: 0,
      milestones: [{ taskId: 'live', name: 'Network live', baselineFinish: '2026-03-13', forecastFinish: '2026-03-16', slipDays: 1, achieved: false, overdue: false }],
      milestonesTruncated: false,
    };
    expect(calculated[0].data).toMatchObject(expected);
    expect(calculated[0].data.spi).toBeCloseTo(5000 / 7000, 12);
    expect(calculated[0].data.cpi).toBeCloseTo(5000 / 6000, 12);
    expect(calculated[0].data.eac).toBeCloseTo(12_000, 9);

    const subject = `schedule:${tenant}:${projectId}`;
    const seen: Array<{ type: string; data: Record<string, unknown> }> = [];
    const kafka = new Kafka({ clientId: 'risk-like', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `risk-like-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.planning, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== subject) return;
        const { envelope, event } = readCloudEvent(JSON.parse(message.value!.toString()));
        seen.push({ type: envelope.type, data: event.data as Record<string, unknown> });
      },
    });
    try {
      await waitFor(async () => seen.some((e) => e.type === 'pm.planning.ProjectEarnedValueCalculated' && e.data['statusDate'] === '2026-03-10'), {
        timeoutMs: 30_000,
        what: 'ProjectEarnedValueCalculated of the status date on the broker',
      });
    } finally {
      await consumer.disconnect();
    }
    expect(seen.filter((e) => e.type === 'pm.planning.ProjectEarnedValueCalculated').at(-1)?.data).toEqual(calculated[0].data);
  });
});
