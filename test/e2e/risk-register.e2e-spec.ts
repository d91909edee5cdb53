import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import type { Role } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ManualClock } from '@pm/platform/request-context';
import { startService, watchTenantEvents, ownConsumerGroups } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * The risk service over HTTP with its real PostgreSQL (ADR 0302): identify → assess → respond → action → occurrence
 * that opens an issue; a problem+json with a stable code for each rule a request breaks; hostile ids are 4xx; the
 * owner rule; another tenant sees nothing.
 */
describe('Risk service: register, responses, occurrence and issue log over HTTP', () => {
  let db: TestDatabase;
  let risk: RunningService;
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  const tenantA = `tenant-risk-a-${randomBytes(4).toString('hex')}`;
  const tenantB = `tenant-risk-b-${randomBytes(4).toString('hex')}`;
  const projectId = randomUUID();
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({
    get: (path: string) => request(risk.url).get(path).set('authorization', `Bearer ${tokens[who]}`),
    post: (path: string, body: object = {}) => request(risk.url).post(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
    put: (path: string, body: object = {}) => request(risk.url).put(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
  });
  const risks = `/projects/${projectId}/risks`;
  const statement = { kind: 'threat', title: 'Vendor late', cause: 'Single factory', event: 'Appliances arrive late', effect: 'Cut-over slips', categoryId: 'suppliers' };
  const nextYear = `${new Date().getUTCFullYear() + 1}`;

  function expectProblem(res: request.Response, status: number, code: string): void {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_risk_register');
    risk = await startService('risk-service', RiskApp.register({ pgUrl: db.url, clock, schedulerPollMs: 3_600_000, ...ownConsumerGroups('risk') }));
    const sign = async (name: string, tenant: string, sub: string, roles: Role[]) => (tokens[name] = await signDevToken({ tenant, sub, roles }));
    await sign('admin', tenantA, 'admin-a', ['pmo-admin']);
    await sign('pm', tenantA, 'pm-a', ['project-manager']);
    await sign('owner', tenantA, 'owner-a', ['team-member']);
    await sign('member', tenantA, 'member-a', ['team-member']);
    await sign('viewer', tenantA, 'viewer-a', ['viewer']);
    await sign('rm', tenantA, 'rm-a', ['resource-manager']);
    await sign('other', tenantB, 'admin-b', ['pmo-admin', 'project-manager']);
    await as('admin').post('/risk-settings/categories', { categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await risk?.close();
    await db?.drop();
  });

  it('identifies, assesses, responds, adds an action, and an occurrence opens the issue', async () => {
    const identified = await as('pm').post(risks, { ...statement, ownerId: 'owner-a' }).set('x-correlation-id', 'corr-risk-1').expect(201);
    const riskId: string = identified.body.riskId;
    expect(identified.headers['etag']).toBe('"1"');
    expect(identified.body.events.map((e: { type: string }) => e.type)).toEqual(['RiskIdentified']);

    const assessed = await as('owner').post(`${risks}/${riskId}/assessments`, { inherent: { schedule: { probability: 4, impact: 4 } }, residual: { schedule: { probability: 2, impact: 4 } } }).expect(200);
    expect(assessed.body.events.map((e: { type: string }) => e.type)).toEqual(['RiskAssessed', 'RiskStatusChanged']);
    await as('owner').post(`${risks}/${riskId}/responses`, { responseId: 'constructor', strategy: 'mitigate', description: 'Second supplier' }).expect(201);
    await as('owner').post(`${risks}/${riskId}/responses/constructor/actions`, { actionId: 'toString', description: 'Request quotes', ownerId: 'buyer', dueOn: `${nextYear}-02-01`, cost: { amountMinor: 250_000, currency: 'EUR' } }).expect(201);
    await as('owner').put(`${risks}/${riskId}/review`, { reviewOn: `${nextYear}-03-01` }).expect(200);

    const detail = await as('viewer').get(`${risks}/${riskId}`).expect(200);
    expect(detail.headers['etag']).toBe(`"${detail.body.version}"`);
    expect(detail.body).toMatchObject({
      riskId, status: 'responding', rating: 'medium', inherentScore: 16, residualScore: 8, cell: { probability: 2, impact: 4 }, reviewOn: `${nextYear}-03-01`, reviewOverdue: false,
      responses: [{ responseId: 'constructor', strategy: 'mitigate' }],
      actions: [{ actionId: 'toString', responseId: 'constructor', dueOn: `${nextYear}-02-01`, completed: false, overdue: false, cost: { amountMinor: 250_000, currency: 'EUR' } }],
    });

    const today = new Date().toISOString().slice(0, 10);
    const occurred = await as('owner').post(`${risks}/${riskId}/occurrence`, { occurredOn: today, description: 'Delivery moved to June' }).expect(200);
    expect(occurred.body.events.map((e: { type: string }) => e.type)).toEqual(['RiskOccurred', 'RiskStatusChanged']);
    expect(occurred.body.issueEvents.map((e: { type: string }) => e.type)).toEqual(['IssueRaised']);
    const issue = await as('viewer').get(`/projects/${projectId}/issues/${occurred.body.issueId}`).expect(200);
    expect(issue.body).toMatchObject({ sourceRiskId: riskId, severity: 'medium', ownerId: 'owner-a', status: 'open', title: 'Vendor late' });
    // A retried occurrence decides nothing and raises no second issue.
    const again = await as('owner').post(`${risks}/${riskId}/occurrence`, { occurredOn: today, description: 'Delivery moved to June' }).expect(200);
    expect({ events: again.body.events, issueId: again.body.issueId }).toEqual({ events: [], issueId: null });
    expect((await as('pm').get(`/projects/${projectId}/issues`).expect(200)).body.items).toHaveLength(1);

    const changeRequestId = randomUUID();
    await as('pm').post(`/projects/${projectId}/issues/${occurred.body.issueId}/change-requests`, { changeRequestId }).expect(200);
    await as('pm').post(`/projects/${projectId}/issues/${occurred.body.issueId}/resolution`, { resolution: 'Cut-over moved' }).expect(200);
    expect((await as('pm').get(`/projects/${projectId}/issues/${occurred.body.issueId}`).expect(200)).body).toMatchObject({ status: 'resolved', changeRequestIds: [changeRequestId] });
  });

  it('publishes what it decided on pm.risk.events, each event under its contract, keyed by its stream', async () => {
    const watcher = await watchTenantEvents(['pm.risk.events'], tenantA);
    try {
      const wanted = ['pm.risk.RiskCategoryDefined', 'pm.risk.RiskIdentified', 'pm.risk.RiskAssessed', 'pm.risk.MitigationActionAdded', 'pm.risk.RiskOccurred', 'pm.risk.IssueRaised', 'pm.risk.IssueResolved'];
      await waitFor(async () => wanted.every((t) => watcher.seen.some((e) => e.type === t)), { what: 'the risk events on the topic', timeoutMs: 60_000 });
      const occurred = watcher.seen.find((e) => e.type === 'pm.risk.RiskOccurred');
      expect(occurred?.subject).toBe(`risk:${tenantA}:${String(occurred?.data['riskId'])}`);
    } finally {
      await watcher.stop();
    }
  }, 90_000);

  it('lets a team member act only on a risk they own; managers on any', async () => {
    const riskId = (await as('member').post(risks, { ...statement, ownerId: 'owner-a' }).expect(201)).body.riskId;
    const assess = { inherent: { cost: { probability: 3, impact: 3 } } };
    expectProblem(await as('member').post(`${risks}/${riskId}/assessments`, assess), 403, 'RISK_OWNER_ONLY');
    await as('owner').post(`${risks}/${riskId}/assessments`, assess).expect(200);
    expectProblem(await as('owner').put(`${risks}/${riskId}/owner`, { ownerId: 'member-a' }), 403, 'AUTH_FORBIDDEN');
    await as('pm').put(`${risks}/${riskId}/owner`, { ownerId: 'member-a' }).expect(200);
    await as('member').post(`${risks}/${riskId}/responses`, { responseId: 'r1', strategy: 'accept', description: 'Live with it' }).expect(201);
    expectProblem(await as('owner').post(`${risks}/${riskId}/status`, { to: 'monitoring' }), 403, 'RISK_OWNER_ONLY');
    expectProblem(await as('viewer').post(`${risks}/${riskId}/status`, { to: 'monitoring' }), 403, 'AUTH_FORBIDDEN');
    expectProblem(await as('rm').post(risks, statement), 403, 'AUTH_FORBIDDEN');
  });

  it('answers each broken rule with a problem and a stable code', async () => {
    const riskId = (await as('pm').post(risks, statement).expect(201)).body.riskId;
    const opportunity = (await as('pm').post(risks, { ...statement, kind: 'opportunity' }).expect(201)).body.riskId;
    expectProblem(await as('pm').post(risks, { ...statement, categoryId: 'unknown' }), 404, 'RISK_CATEGORY_NOT_FOUND');
    expectProblem(await as('pm').post(risks, { ...statement, riskId, title: 'Other' }), 409, 'RISK_ALREADY_IDENTIFIED');
    expectProblem(await as('pm').post(`${risks}/${riskId}/responses`, { strategy: 'mitigate', description: 'x' }), 409, 'RISK_NOT_ASSESSED');
    await as('pm').post(`${risks}/${opportunity}/assessments`, { inherent: { scope: { probability: 2, impact: 2 } } }).expect(200);
    expectProblem(await as('pm').post(`${risks}/${opportunity}/responses`, { strategy: 'avoid', description: 'x' }), 422, 'RESPONSE_STRATEGY_DOES_NOT_FIT');
    expectProblem(await as('pm').post(`${risks}/${riskId}/status`, { to: 'closed' }), 422, 'RISK_CLOSURE_REASON_REQUIRED');
    expectProblem(await as('pm').post(`${risks}/${riskId}/status`, { to: 'responding' }), 409, 'RISK_TRANSITION_NOT_ALLOWED');
    expectProblem(await as('pm').put(`${risks}/${riskId}/review`, { reviewOn: '2020-01-01' }), 422, 'RISK_REVIEW_IN_PAST');
    expectProblem(await as('pm').post(`${risks}/${riskId}/responses/nope/actions`, { description: 'x', ownerId: 'o', dueOn: `${nextYear}-01-01` }), 404, 'RESPONSE_NOT_FOUND');
    expectProblem(await as('pm').post(`${risks}/${riskId}/actions/nope/completion`, {}), 404, 'MITIGATION_ACTION_NOT_FOUND');
    expectProblem(await as('pm').post(`${risks}/${riskId}/occurrence`, { occurredOn: `${nextYear}-01-01`, description: 'x' }), 422, 'RISK_OCCURRENCE_IN_FUTURE');
    expectProblem(await as('pm').post(`${risks}/${randomUUID()}/assessments`, { inherent: { cost: { probability: 1, impact: 1 } } }), 404, 'RISK_NOT_FOUND');
    expectProblem(await as('pm').post(`${risks}/${riskId}/assessments`, { inherent: {} }), 422, 'RISK_ASSESSMENT_EMPTY');
    expectProblem(await as('admin').put('/risk-settings/matrix', { thresholds: { medium: 10, high: 5, critical: 20 } }), 422, 'RISK_MATRIX_THRESHOLDS_NOT_ASCENDING');
    expectProblem(await as('pm').post(risks, { ...statement, unknown: 1 }), 400, 'VALIDATION_FAILED');
  });

  it('refuses hostile ids with a 4xx, never a 500', async () => {
    const riskId = (await as('pm').post(risks, statement).expect(201)).body.riskId;
    // Path segments as a client sends them: NUL, and a lone surrogate's WTF-8 bytes.
    for (const [id, encoded] of [['constructor', 'constructor'], ['__proto__', '__proto__'], ['prototype', 'prototype'], ['a\u0000b', 'a%00b'], ['\ud800', '%ED%A0%80']]) {
      for (const res of [
        await as('pm').get(`${risks}/${encoded}`),
        await as('pm').get(`/projects/${encoded}/risks`),
        await as('pm').post(`${risks}/${encoded}/assessments`, { inherent: { cost: { probability: 1, impact: 1 } } }),
        await as('pm').post(`${risks}/${riskId}/actions/${encoded}/completion`, {}),
        await as('pm').post(risks, { ...statement, categoryId: id }),
      ]) {
        expect({ id, status: res.status }).toEqual({ id, status: expect.any(Number) });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
  });

  it('shows another tenant nothing', async () => {
    const riskId = (await as('pm').post(risks, statement).expect(201)).body.riskId;
    expectProblem(await as('other').get(`${risks}/${riskId}`), 404, 'RISK_NOT_FOUND');
    expect((await as('other').get(risks).expect(200)).body.items).toEqual([]);
    expect((await as('other').get(`/projects/${projectId}/risk-matrix`).expect(200)).body.cells).toEqual([]);
    expect((await as('other').get(`/projects/${projectId}/issues`).expect(200)).body.items).toEqual([]);
    expectProblem(await as('other').post(`${risks}/${riskId}/assessments`, { inherent: { cost: { probability: 1, impact: 1 } } }), 404, 'RISK_NOT_FOUND');
    // Tenant B has no category "suppliers": its settings are its own.
    expectProblem(await as('other').post(risks, statement), 404, 'RISK_CATEGORY_NOT_FOUND');
    expect((await as('other').get('/risk-settings').expect(200)).body.categories).toEqual([]);
  });

  it('filters and pages the register, and counts open risks per matrix cell', async () => {
    const project = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = (await as('pm').post(`/projects/${project}/risks`, { ...statement, ownerId: i % 2 ? 'owner-a' : null }).expect(201)).body.riskId;
      ids.push(id);
      if (i < 3) await as('pm').post(`/projects/${project}/risks/${id}/assessments`, { inherent: { schedule: { probability: 5, impact: i + 3 } } }).expect(200);
    }
    const first = await as('viewer').get(`/projects/${project}/risks?limit=2`).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await as('viewer').get(`/projects/${project}/risks?limit=2&after=${first.body.page.next}`).expect(200);
    const third = await as('viewer').get(`/projects/${project}/risks?limit=2&after=${second.body.page.next}`).expect(200);
    expect(third.body.page.next).toBeNull();
    expect([...first.body.items, ...second.body.items, ...third.body.items].map((r: { riskId: string }) => r.riskId)).toEqual([...ids].sort());
    expect((await as('viewer').get(`/projects/${project}/risks?status=identified`).expect(200)).body.items).toHaveLength(2);
    expect((await as('viewer').get(`/projects/${project}/risks?ownerId=owner-a`).expect(200)).body.items).toHaveLength(2);
    expect((await as('viewer').get(`/projects/${project}/risks?rating=critical&kind=threat&categoryId=suppliers`).expect(200)).body.items).toHaveLength(2);
    expect((await as('viewer').get(`/projects/${project}/risk-matrix`).expect(200)).body.cells).toEqual([
      { probability: 5, impact: 3, count: 1 },
      { probability: 5, impact: 4, count: 1 },
      { probability: 5, impact: 5, count: 1 },
    ]);
  });

  it('identifies a secondary risk and links it to its response in one step', async () => {
    const riskId = (await as('pm').post(risks, statement).expect(201)).body.riskId;
    await as('pm').post(`${risks}/${riskId}/assessments`, { inherent: { cost: { probability: 3, impact: 3 } } }).expect(200);
    await as('pm').post(`${risks}/${riskId}/responses`, { responseId: 'second-supplier', strategy: 'mitigate', description: 'Second supplier' }).expect(201);
    const secondary = await as('pm').post(`${risks}/${riskId}/responses/second-supplier/secondary-risks`, { ...statement, title: 'Second supplier quality' }).expect(201);
    expect(secondary.body.events.map((e: { type: string }) => e.type)).toEqual(['RiskIdentified']);
    expect(secondary.body.primary.events.map((e: { type: string }) => e.type)).toEqual(['SecondaryRiskLinked']);
    expect((await as('pm').get(`${risks}/${riskId}`).expect(200)).body.secondaryRisks).toEqual([{ secondaryRiskId: secondary.body.riskId, responseId: 'second-supplier' }]);
    // A refused identification links nothing.
    expectProblem(await as('pm').post(`${risks}/${riskId}/responses/second-supplier/secondary-risks`, { ...statement, categoryId: 'unknown' }), 404, 'RISK_CATEGORY_NOT_FOUND');
    expect((await as('pm').get(`${risks}/${riskId}`).expect(200)).body.secondaryRisks).toHaveLength(1);
  });
});
