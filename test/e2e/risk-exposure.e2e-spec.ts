import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPgPool } from '@pm/platform/event-store';
import request from 'supertest';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RiskExposureRefresher } from '@pm/risk/feature';
import { startService, watchTenantEvents, ownConsumerGroups } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * Exposure for reporting (ADR 0304): a change of the register that moves a project's figures publishes a new
 * ProjectRiskExposureChanged; one that does not (a new owner, a review date: the register has no rename) publishes
 * nothing, even when the figures are decided again.
 */
describe('Risk service: project risk exposure events', () => {
  let db: TestDatabase;
  let pool: Pool;
  let risk: RunningService;
  let refresher: RiskExposureRefresher;
  const tenant = `tenant-exposure-${randomBytes(4).toString('hex')}`;
  const projectId = randomUUID();
  let token = '';
  const post = (path: string, body: object) => request(risk.url).post(path).set('authorization', `Bearer ${token}`).send(body);
  const put = (path: string, body: object) => request(risk.url).put(path).set('authorization', `Bearer ${token}`).send(body);
  const risks = `/projects/${projectId}/risks`;
  const statement = { kind: 'threat', title: 'Vendor late', cause: 'Single factory', event: 'Appliances arrive late', effect: 'Cut-over slips', categoryId: 'suppliers' };

  /** The project's exposure events as stored, oldest first. */
  async function exposures(): Promise<Array<Record<string, unknown>>> {
    const res = await pool.query(`SELECT data FROM es_events WHERE stream_id = $1 ORDER BY stream_version`, [`risk-exposure:${tenant}:${projectId}`]);
    return res.rows.map((r) => r.data as Record<string, unknown>);
  }

  /**
   * Drains the refresher until the stream holds `count` exposure events. A command writes its register rows (and the
   * mark) in its own transaction, but the store's catch-up may also be behind when the server is busy: wait, then check.
   */
  async function settled(count: number): Promise<Array<Record<string, unknown>>> {
    await waitFor(
      async () => {
        await refresher.drain();
        return (await exposures()).length >= count;
      },
      { what: `${count} exposure event(s)`, timeoutMs: 30_000 },
    );
    return exposures();
  }

  /**
   * Drains until the newest exposure event passes `check`. Two commands in a row may be decided together or apart (the
   * refresher also runs on its own when the store wakes it), so the count of events between them is not fixed.
   */
  async function latestWhere(what: string, check: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    let latest: Record<string, unknown> | undefined;
    await waitFor(
      async () => {
        await refresher.drain();
        latest = (await exposures()).at(-1);
        return latest !== undefined && check(latest);
      },
      { what, timeoutMs: 30_000 },
    );
    return latest as Record<string, unknown>;
  }
  const exposureOf = (e: Record<string, unknown>) => e['costExposure'] as { expectedOpportunity: unknown[]; threats: number };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_risk_exposure');
    pool = createPgPool(db.url, { max: 2 });
    risk = await startService('risk-service', RiskApp.register({ pgUrl: db.url, schedulerPollMs: 3_600_000, ...ownConsumerGroups('risk') }));
    refresher = risk.app.get(RiskExposureRefresher);
    token = await signDevToken({ tenant, sub: 'pm-1', roles: ['pmo-admin', 'project-manager'] });
    await post('/risk-settings/categories', { categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await risk?.close();
    await pool?.end();
    await db?.drop();
  });

  it('publishes new figures on an assessment, and none on an owner or review change', async () => {
    const riskId: string = (await post(risks, { ...statement, ownerId: 'owner-1' }).expect(201)).body.riskId;
    expect(await settled(1)).toEqual([
      expect.objectContaining({ projectId, openRisks: 1, costExposure: { score: 0, threats: 0, expected: [], expectedOpportunity: [] }, topRisks: [], cells: [], openIssues: 0, scheduleRisk: null }),
    ]);

    // EMV = the cost dimension's probability band midpoint (level 4 → 70 %) × the cost impact: 70 % of EUR 120,000.00.
    const costImpact = { amountMinor: 12_000_000, currency: 'EUR' };
    await post(`${risks}/${riskId}/assessments`, { inherent: { cost: { probability: 4, impact: 3 }, schedule: { probability: 2, impact: 2 } }, costImpact }).expect(200);
    const [, assessed] = await settled(2);
    expect(assessed).toMatchObject({
      costExposure: { score: 12, threats: 1, expected: [{ currency: 'EUR', amountMinor: 8_400_000 }], expectedOpportunity: [] },
      topRisks: [{ riskId, kind: 'threat', title: 'Vendor late', probability: 4, impact: 3, score: 12 }],
      cells: [{ probability: 4, impact: 3, count: 1 }],
    });
    const detail = await request(risk.url).get(`${risks}/${riskId}`).set('authorization', `Bearer ${token}`).expect(200);
    expect(detail.body).toMatchObject({ costImpact, expectedCost: { amountMinor: 8_400_000, currency: 'EUR' } });

    await put(`${risks}/${riskId}/owner`, { ownerId: 'owner-2' }).expect(200);
    await put(`${risks}/${riskId}/review`, { reviewOn: `${new Date().getUTCFullYear() + 1}-03-01` }).expect(200);
    await refresher.drain();
    // Deciding the same figures again (a crash before the mark was cleared, another replica) publishes nothing either.
    await refresher.refresh(tenant, projectId);
    expect(await exposures()).toHaveLength(2);

    // Money is checked at the edge (400) and by the decider (422: no cost dimension to take the probability from).
    await post(`${risks}/${riskId}/assessments`, { inherent: { cost: { probability: 4, impact: 3 } }, costImpact: { amountMinor: -1, currency: 'EUR' } }).expect(400);
    const noCost = await post(`${risks}/${riskId}/assessments`, { inherent: { schedule: { probability: 4, impact: 3 } }, costImpact });
    expect([noCost.status, noCost.body.code]).toEqual([422, 'RISK_COST_IMPACT_WITHOUT_COST_DIMENSION']);

    // An opportunity in another currency: its EMV is reported apart, per currency, never netted against the threats'.
    const opportunity: string = (await post(risks, { ...statement, kind: 'opportunity', title: 'Cheaper appliances' }).expect(201)).body.riskId;
    await post(`${risks}/${opportunity}/assessments`, { inherent: { cost: { probability: 3, impact: 2 } }, costImpact: { amountMinor: 1_000_000, currency: 'USD' } }).expect(200);
    const withOpportunity = await latestWhere('the opportunity assessed', (e) => exposureOf(e).expectedOpportunity.length > 0);
    expect(withOpportunity).toMatchObject({
      openRisks: 2,
      costExposure: { score: 12, threats: 1, expected: [{ currency: 'EUR', amountMinor: 8_400_000 }], expectedOpportunity: [{ currency: 'USD', amountMinor: 500_000 }] },
    });

    await post(`${risks}/${riskId}/status`, { to: 'closed', reason: 'Second supplier contracted' }).expect(200);
    const closed = await latestWhere('the threat closed', (e) => e['openRisks'] === 1);
    expect(closed).toMatchObject({
      openRisks: 1,
      costExposure: { score: 0, threats: 0, expected: [], expectedOpportunity: [{ currency: 'USD', amountMinor: 500_000 }] },
      topRisks: [{ riskId: opportunity }],
      cells: [{ probability: 3, impact: 2, count: 1 }],
    });
  }, 120_000);

  it('publishes the exposure on pm.risk.events, keyed by the project’s exposure stream', async () => {
    const watcher = await watchTenantEvents(['pm.risk.events'], tenant);
    try {
      await waitFor(async () => watcher.seen.filter((e) => e.type === 'pm.risk.ProjectRiskExposureChanged').length >= 4, { what: 'the exposure events on the topic', timeoutMs: 60_000 });
      const seen = watcher.seen.find((e) => e.type === 'pm.risk.ProjectRiskExposureChanged');
      expect(seen?.subject).toBe(`risk-exposure:${tenant}:${projectId}`);
    } finally {
      await watcher.stop();
    }
  }, 90_000);
});
