// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { IHeaders } from 'kafkajs';
import type { Pool } from 'pg';
import { createPgPool } from '@pm/platform/event-store';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { TOPICS } from '@pm/contracts';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

interface AutomaticRow {
  riskId: string;
  status: string;
  version: number;
  origin: string;
  automatic: { ruleId: string; closureProposed: boolean; generation: number; evidence: { events: Array<{ eventId: string; type: string }>; measurements: Array<{ name: string; value: number | null }>; asOf: string } };
}

/**
 * From a planning event to an automatic risk over the real broker (issue 11 points 4 and 7, ADR 0303): planning and
 * risk services with their own databases; a baselined plan whose status date shows SPI under the tenant's threshold
 * raises a risk with its evidence; a duplicate delivery (same event id, and a copy under a new id) raises nothing more;
 * another tenant sees nothing; progress that brings SPI back closes it (the tenant set "close") and proposes the closure
 * of the CPI risk (the default).
 */
describe('Automatic risks from planning events over the real broker', () => {
  let planningDb: TestDatabase;
  let riskDb: TestDatabase;
  let planning: RunningService;
  let risk: RunningService;
  let riskPool: Pool;
  const hex = () => randomBytes(4).toString('hex');
  const tenant = `tenant-auto-${hex()}`;
  const riskGroup = `risk-auto-e2e-${hex()}`;
  const tokens: Record<string, string> = {};
  const call = (base: () => string, who: string) => ({
    get: (path: string) => request(base()).get(path).set('authorization', `Bearer ${tokens[who]}`),
    post: (path: string, body: object = {}) => request(base()).post(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
    put: (path: string, body: object = {}) => request(base()).put(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
  });
  const plan = () => call(() => planning.url, 'pm');
  const risks = (who: string) => call(() => risk.url, who);

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_auto_risk_planning');
    riskDb = await createTestDatabase('e2e_auto_risk_risk');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url, consumerGroupId: `planning-auto-e2e-${hex()}` }));
    risk = await startService('risk-service', RiskApp.register({ pgUrl: riskDb.url, consumerGroupId: riskGroup, planConsumerGroupId: `${riskGroup}.plan`, schedulerPollMs: 3_600_000 }));
    riskPool = createPgPool(riskDb.url, { max: 2 });
    tokens['pm'] = await signDevToken({ tenant, sub: 'pm-1', roles: ['project-manager'] });
    tokens['admin'] = await signDevToken({ tenant, sub: 'admin-1', roles: ['pmo-admin'] });
    tokens['viewer'] = await signDevToken({ tenant, sub: 'viewer-1', roles: ['viewer'] });
    tokens['other'] = await signDevToken({ tenant: `tenant-auto-other-${hex()}`, sub: 'admin-2', roles: ['pmo-admin', 'project-manager'] });
  }, 120_000);

  afterAll(async () => {
    await riskPool?.end();
    await risk?.close();
    await planning?.close();
    await riskDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  it('raises, keeps one risk per rule and subject, isolates tenants, and closes or proposes closure as set', async () => {
    // The tenant closes SPI risks when the signal clears; CPI keeps the default (closure proposed).
    await risks('pm').put('/risk-settings/automatic-rules/spi-below', { enabled: true, onClear: 'close', minimum: 0.9 }).expect(403);
    const foreign = await risks('admin').put('/risk-settings/automatic-rules/spi-below', { enabled: true, onClear: 'close', slipDays: 3 }).expect(422);
    expect(foreign.body.code).toBe('AUTOMATIC_RULE_THRESHOLD_UNKNOWN');
    await risks('admin').put('/risk-settings/automatic-rules/no-such-rule', { enabled: true, onClear: 'close' }).expect(400);
    await risks('admin').put('/risk-settings/automatic-rules/spi-below', { enabled: true, onClear: 'close', minimum: 0.9 }).expect(200);
    const settings = await risks('viewer').get('/risk-settings').expect(200);
    expect(settings.body.automaticRules).toEqual(
      expect.arrayContaining([
        { ruleId: 'spi-below', enabled: true, onClear: 'close', minimum: 0.9, configured: true },
        { ruleId: 'cpi-below', enabled: true, onClear: 'propose-closure', minimum: 0.9, configured: false },
      ]),
    );

    const projectId: string = (await plan().post('/projects', { name: 'Network upgrade', startDate: '2026-03-02' }).expect(201)).body.projectId;
    const schedule = `/projects/${projectId}/schedule`;
    await plan().post(schedule, {}).expect(201);
    await plan().post(`${schedule}/tasks`, { taskId: 'survey', name: 'Site survey', durationDays: 5, costBudget: 5000 }).expect(201);
    await plan().post(`${schedule}/tasks`, { taskId: 'cabling', name: 'Cabling', durationDays: 5, costBudget: 5000 }).expect(201);
    await plan().post(`${schedule}/tasks`, { taskId: 'live', name: 'Network live', kind: 'milestone' }).expect(201);
    await plan().post(`${schedule}/dependencies`, { predecessorId: 'survey', successorId: 'cabling' }).expect(201);
    await plan().post(`${schedule}/dependencies`, { predecessorId: 'cabling', successorId: 'live' }).expect(201);
    await plan().put(`${schedule}/baselines/0`, {}).expect(200);
    await plan().post(`${schedule}/tasks/survey/finish`, { actualStart: '2026-03-02', actualFinish: '2026-03-09' }).expect(200);
    await plan().post(`${schedule}/tasks/survey/actual-cost`, { actualCost: 6000, asOf: '2026-03-09' }).expect(200);
    // PV 7,000, EV 5,000, AC 6,000 on 10 March: SPI .714, CPI .833, EAC 12,000 (20% over BAC).
    await plan().put(`/projects/${projectId}/status-date`, { statusDate: '2026-03-10' }).expect(200);

    const register = `/projects/${projectId}/risks`;
    const automatic = async (who = 'viewer'): Promise<AutomaticRow[]> => (await risks(who).get(`${register}?origin=automatic`).expect(200)).body.items;
    const byRule = (rows: AutomaticRow[], ruleId: string) => rows.filter((r) => r.automatic.ruleId === ruleId);
    const raised = await waitFor(
      async () => {
        const rows = await automatic();
        const spi = byRule(rows, 'spi-below').find((r) => r.automatic.evidence.asOf === '2026-03-10');
        return spi && byRule(rows, 'cpi-below').length === 1 ? rows : null;
      },
      { timeoutMs: 60_000, what: 'the SPI risk of 10 March in the register' },
    );
    const [spi] = byRule(raised, 'spi-below');
    expect(spi).toMatchObject({ origin: 'automatic', status: 'identified', automatic: { generation: 0, closureProposed: false } });
    const evidenceEvent = spi.automatic.evidence.events.find((e) => e.type === 'pm.planning.ProjectEarnedValueCalculated');
    expect(evidenceEvent).toBeDefined();
    expect(spi.automatic.evidence.measurements.find((m) => m.name === 'spi')?.value).toBeCloseTo(5000 / 7000, 9);
    const detail = await risks('viewer').get(`${register}/${spi.riskId}`).expect(200);
    expect(detail.body.automatic).toMatchObject({ ruleId: 'spi-below', subject: { kind: 'project', projectId }, evidence: spi.automatic.evidence });
    expect((await risks('viewer').get(`${register}?origin=manual`).expect(200)).body.items).toEqual([]);

    // A duplicate delivery: the same message again (the inbox skips it) and a copy under a new id (the rules decide nothing).
    const original = await messageOf(evidenceEvent!.eventId);
    const copyId = randomUUID();
    const copy = { ...original, value: JSON.stringify({ ...JSON.parse(original.value), id: copyId }), headers: { ...original.headers, ce_id: copyId } };
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic: TOPICS.planning, messages: [original, copy] });
    await producer.disconnect();
    await waitFor(async () => (await riskPool.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [riskGroup, copyId])).rowCount === 1, {
      timeoutMs: 30_000,
      what: 'the copy handled by the risk consumer',
    });
    const after = await automatic();
    expect(byRule(after, 'spi-below')).toEqual([spi]);
    expect(after).toHaveLength(raised.length);

    // Another tenant sees nothing of it.
    expect((await risks('other').get(`${register}?origin=automatic`).expect(200)).body.items).toEqual([]);
    await risks('other').get(`${register}/${spi.riskId}`).expect(404);

    // The cabling started on time and is 40% done on 10 March: EV 7,000 = PV, SPI 1; CPI 7,000 / 6,000.
    await plan().post(`${schedule}/tasks/cabling/start`, { actualStart: '2026-03-09' }).expect(200);
    await plan().post(`${schedule}/tasks/cabling/progress`, { percentComplete: 40, asOf: '2026-03-10' }).expect(200);
    const cleared = await waitFor(
      async () => {
        const rows = await automatic();
        const closed = byRule(rows, 'spi-below').find((r) => r.riskId === spi.riskId && r.status === 'closed');
        const proposed = byRule(rows, 'cpi-below').find((r) => r.automatic.closureProposed);
        return closed && proposed ? rows : null;
      },
      { timeoutMs: 60_000, what: 'the SPI risk closed and the CPI risk proposed for closure' },
    );
    expect(byRule(cleared, 'spi-below')).toHaveLength(1);
    expect(byRule(cleared, 'cpi-below')[0]).toMatchObject({ status: 'identified', automatic: { closureProposed: true } });
  }, 180_000);

  function kafka(): Kafka {
    return new Kafka({ clientId: 'e2e-auto-risk', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
  }

  /** The message planning's relay published for an event, as it sits on the topic. */
  async function messageOf(eventId: string): Promise<{ key: string; value: string; headers: IHeaders }> {
    const consumer = kafka().consumer({ groupId: `e2e-auto-risk-reader-${hex()}` });
    let found: { key: string; value: string; headers: IHeaders } | undefined;
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.planning, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (found || message.headers?.['ce_id']?.toString() !== eventId) return;
        const headers: IHeaders = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = value?.toString();
        found = { key: message.key!.toString(), value: message.value!.toString(), headers };
      },
    });
    try {
      return await waitFor(async () => found, { timeoutMs: 30_000, what: `message ${eventId} on the planning topic` });
    } finally {
      await consumer.disconnect();
    }
  }
});
