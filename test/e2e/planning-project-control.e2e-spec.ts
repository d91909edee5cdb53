import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { eventsMatchTheirContracts } from './planning-contract-check';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/** Project lifecycle, phase gates and change control over HTTP; approval limits come from the service configuration. */
describe('Planning project control API', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const strictTenant = `${tenant}-strict`;
  const tokens: Record<string, string> = {};

  const call = (who: string, method: 'get' | 'post' | 'put' | 'patch', path: string, body?: object) => {
    const req = request(planning.url)[method](path).set('authorization', `Bearer ${tokens[who]}`);
    // Every event a response reports must be valid against its public contract: that is what the relay publishes.
    return (body === undefined ? req : req.send(body)).expect(eventsMatchTheirContracts);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_control');
    planning = await startService(
      'planning-service',
      PlanningApp.register({
        pgUrl: db.url,
        changeApproval: {
          defaults: { costImpactBelow: 10_000, scheduleImpactDaysBelow: 5 },
          byTenant: { [strictTenant]: { costImpactBelow: 100, scheduleImpactDaysBelow: 1 } },
        },
      }),
    );
    tokens['pm'] = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    tokens['admin'] = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'admin-1' });
    tokens['sponsor'] = await signDevToken({ tenant, roles: ['viewer'], sub: 'sponsor-1' });
    tokens['viewer'] = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    tokens['member'] = await signDevToken({ tenant, roles: ['team-member'], sub: 'member-1' });
    tokens['strictPm'] = await signDevToken({ tenant: strictTenant, roles: ['project-manager'], sub: 'pm-2' });
    tokens['outsider'] = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-9' });
  }, 120_000);
  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  describe('lifecycle and phase gates', () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = (await call('pm', 'post', '/projects', { name: 'Payroll', sponsor: 'sponsor-1', startDate: '2026-01-05' }).expect(201)).body.projectId;
    });

    it('advances through a gate only when the sponsor or a pmo-admin approves', async () => {
      const gate = await call('pm', 'post', `/projects/${projectId}/phase-gates`, { note: 'Charter signed' }).expect(201);
      const refused = await call('pm', 'post', `/projects/${projectId}/phase-gates/${gate.body.gateId}/approve`, {}).expect(403);
      expect(refused.body.code).toBe('PHASE_GATE_APPROVER_NOT_ALLOWED');
      const approved = await call('sponsor', 'post', `/projects/${projectId}/phase-gates/${gate.body.gateId}/approve`, { comment: 'Go' }).expect(200);
      expect(approved.body).toMatchObject({ status: 'planning' });
      expect(approved.body.changes.map((e: { type: string }) => e.type)).toEqual(['PhaseGateApproved', 'ProjectPhaseAdvanced']);
    });

    it('goes on hold, resumes to the phase it left and refuses what is not allowed with a named error', async () => {
      expect((await call('pm', 'post', `/projects/${projectId}/hold`, { reason: 'Budget freeze' }).expect(200)).body.status).toBe('on-hold');
      // A repeat changes nothing (no event), rather than failing.
      expect((await call('pm', 'post', `/projects/${projectId}/hold`, { reason: 'Budget freeze' }).expect(200)).body.changes).toEqual([]);
      expect((await call('pm', 'post', `/projects/${projectId}/resume`, {}).expect(200)).body.status).toBe('planning');
      expect((await call('pm', 'post', `/projects/${projectId}/resume`).expect(409)).body.code).toBe('PROJECT_NOT_ON_HOLD');
    });

    it('records the charter: scope, objectives with KPIs, status date, a new name', async () => {
      await call('pm', 'put', `/projects/${projectId}/scope`, { statement: 'Replace the payroll engine', inScope: ['UK payroll'] }).expect(200);
      // The same statement again is a no-op, even though the stored one came back from JSONB with its keys reordered.
      expect((await call('pm', 'put', `/projects/${projectId}/scope`, { statement: 'Replace the payroll engine', inScope: ['UK payroll'] }).expect(200)).body.changes).toEqual([]);
      const objective = await call('pm', 'post', `/projects/${projectId}/objectives`, {
        description: 'Cheaper payroll runs',
        kpis: [{ kpiId: 'cost-per-run', name: 'Cost per run', target: 200, unit: 'EUR' }],
      }).expect(201);
      await call('pm', 'post', `/projects/${projectId}/objectives/${objective.body.objectiveId}/kpis/cost-per-run/actuals`, { actual: 240, measuredOn: '2026-02-01' }).expect(200);
      await call('pm', 'put', `/projects/${projectId}/status-date`, { statusDate: '2026-02-01' }).expect(200);
      const renamed = await call('pm', 'patch', `/projects/${projectId}`, { name: 'Payroll renewal', reason: 'Scope grew' }).expect(200);
      expect(renamed.body.changes[0]).toMatchObject({ type: 'ProjectRenamed', data: { previousName: 'Payroll', name: 'Payroll renewal' } });
    });

    it.each([
      ['hold without a reason', 'post', '/hold', {}],
      ['an unknown field on resume', 'post', '/resume', { force: true }],
      ['a KPI without a unit', 'post', '/objectives', { description: 'x', kpis: [{ name: 'k', target: 1 }] }],
      ['a status date in another format', 'put', '/status-date', { statusDate: '01/02/2026' }],
      ['a blank name', 'patch', '', { name: ' ' }],
    ])('rejects %s with 400 problem+json', async (_label, method, path, body) => {
      const res = await call('pm', method as 'post', `/projects/${projectId}${path}`, body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('viewers cannot change a project, another tenant cannot see it', async () => {
      await call('viewer', 'post', `/projects/${projectId}/hold`, { reason: 'x' }).expect(403);
      await call('member', 'put', `/projects/${projectId}/scope`, { statement: 'x' }).expect(403);
      await call('outsider', 'post', `/projects/${projectId}/cancel`, { reason: 'x' }).expect(404);
    });

    it('cancels from any open state, and then nothing more', async () => {
      expect((await call('admin', 'post', `/projects/${projectId}/cancel`, { reason: 'Merged into HR programme' }).expect(200)).body.status).toBe('cancelled');
      expect((await call('pm', 'post', `/projects/${projectId}/hold`, { reason: 'x' }).expect(409)).body.code).toBe('PROJECT_CANCELLED');
    });
  });

  describe('change requests', () => {
    const setUp = async (who: string) => {
      const projectId: string = (await call(who, 'post', '/projects', { name: 'Intranet', startDate: '2026-03-02' }).expect(201)).body.projectId;
      await call(who, 'post', `/projects/${projectId}/schedule`, {}).expect(201);
      await call(who, 'post', `/projects/${projectId}/schedule/tasks`, { taskId: 'build', name: 'Build', durationDays: 10, costBudget: 20_000 }).expect(201);
      return projectId;
    };
    const smallChange = [
      { type: 'EstimateTaskDuration', data: { taskId: 'build', durationDays: 12 } },
      { type: 'BudgetTaskCost', data: { taskId: 'build', costBudget: 24_000 } },
    ];

    it('shows the computed impact, lets a project manager approve a small change, and applies it to the schedule', async () => {
      const projectId = await setUp('pm');
      const raised = await call('member', 'post', `/projects/${projectId}/change-requests`, { title: 'More testing', description: 'Two more days', proposedChanges: smallChange }).expect(201);
      const crId = raised.body.changeRequestId;
      const impact = await call('viewer', 'get', `/projects/${projectId}/change-requests/${crId}/impact`).expect(200);
      expect(impact.body).toMatchObject({ scheduleImpactDays: 2, costImpact: 4000, currentFinish: '2026-03-13', proposedFinish: '2026-03-17' });
      await call('pm', 'post', `/projects/${projectId}/change-requests/${crId}/assess`, { notes: 'Checked' }).expect(200);
      expect((await call('pm', 'post', `/projects/${projectId}/change-requests/${crId}/approve`, {}).expect(200)).body.status).toBe('approved');
      const applied = await call('pm', 'post', `/projects/${projectId}/change-requests/${crId}/apply`, {}).expect(200);
      expect(applied.body.status).toBe('applied');
      expect(applied.body.schedule.changes.map((e: { type: string }) => e.type)).toEqual(['TaskDurationEstimated', 'TaskCostBudgeted']);
      expect(applied.body.schedule.calculation[0].data).toMatchObject({ taskId: 'build', finish: '2026-03-17' });
      const schedule = await call('viewer', 'get', `/projects/${projectId}/schedule`).expect(200);
      expect(schedule.body.projectFinish).toBe('2026-03-17');
    });

    it('sends a change above the limits to the PMO, and never takes limits from the body', async () => {
      const projectId = await setUp('pm');
      const big = [{ type: 'BudgetTaskCost', data: { taskId: 'build', costBudget: 90_000 } }];
      const crId = (await call('pm', 'post', `/projects/${projectId}/change-requests`, { title: 'Gold plating', description: 'x', proposedChanges: big }).expect(201)).body.changeRequestId;
      await call('pm', 'post', `/projects/${projectId}/change-requests/${crId}/assess`, {}).expect(200);
      expect((await call('pm', 'post', `/projects/${projectId}/change-requests/${crId}/approve`, {}).expect(403)).body.code).toBe('CHANGE_APPROVER_NOT_ALLOWED');
      await call('pm', 'post', `/projects/${projectId}/change-requests/${crId}/approve`, { limits: { costImpactBelow: 1e9, scheduleImpactDaysBelow: 100 } }).expect(400);
      expect((await call('admin', 'post', `/projects/${projectId}/change-requests/${crId}/approve`, {}).expect(200)).body.status).toBe('approved');
    });

    it("applies the tenant's own limits from configuration", async () => {
      const projectId = await setUp('strictPm');
      const crId = (await call('strictPm', 'post', `/projects/${projectId}/change-requests`, { title: 'Small', description: 'x', proposedChanges: smallChange }).expect(201)).body.changeRequestId;
      await call('strictPm', 'post', `/projects/${projectId}/change-requests/${crId}/assess`, {}).expect(200);
      await call('strictPm', 'post', `/projects/${projectId}/change-requests/${crId}/approve`, {}).expect(403);
    });

    it("lists a project's change requests newest first with their status, recorded impact and decision, a page at a time", async () => {
      const projectId = await setUp('pm');
      const raise = async (title: string, proposedChanges: object[]) =>
        (await call('pm', 'post', `/projects/${projectId}/change-requests`, { title, description: 'x', proposedChanges }).expect(201)).body.changeRequestId as string;
      const first = await raise('More testing', smallChange);
      await call('pm', 'post', `/projects/${projectId}/change-requests/${first}/assess`, { notes: 'Checked' }).expect(200);
      await call('pm', 'post', `/projects/${projectId}/change-requests/${first}/approve`, { comment: 'Fine' }).expect(200);
      const second = await raise('Gold plating', [{ type: 'BudgetTaskCost', data: { taskId: 'build', costBudget: 90_000 } }]);
      await call('admin', 'post', `/projects/${projectId}/change-requests/${second}/reject`, { reason: 'Out of scope' }).expect(200);
      const third = await raise('Shorter build', [{ type: 'EstimateTaskDuration', data: { taskId: 'build', durationDays: 8 } }]);
      // Another project's request is not in this project's list.
      const elsewhere = await setUp('pm');
      await call('pm', 'post', `/projects/${elsewhere}/change-requests`, { title: 'Elsewhere', description: 'x', proposedChanges: smallChange }).expect(201);

      const all = await call('viewer', 'get', `/projects/${projectId}/change-requests`).expect(200);
      expect(all.body.items.map((r: { changeRequestId: string }) => r.changeRequestId)).toEqual([third, second, first]);
      expect(all.body.items[0]).toMatchObject({ title: 'Shorter build', status: 'raised', impact: null, proposedChanges: 1, raisedBy: expect.stringContaining('pm-1') });
      expect(all.body.items[1]).toMatchObject({ status: 'rejected', reason: 'Out of scope', impact: null });
      expect(all.body.items[2]).toMatchObject({ status: 'approved', reason: 'Fine', proposedChanges: 2, impact: { scheduleImpactDays: 2, costImpact: 4000, notes: 'Checked' } });
      expect(all.body.page).toEqual({ limit: 20, next: null });

      const page1 = await call('member', 'get', `/projects/${projectId}/change-requests?limit=2`).expect(200);
      expect(page1.body.items).toHaveLength(2);
      const page2 = await call('member', 'get', `/projects/${projectId}/change-requests?limit=2&after=${page1.body.page.next}`).expect(200);
      expect(page2.body.items.map((r: { changeRequestId: string }) => r.changeRequestId)).toEqual([first]);
      expect(page2.body.page.next).toBeNull();
      const pending = await call('viewer', 'get', `/projects/${projectId}/change-requests?status=raised,assessed`).expect(200);
      expect(pending.body.items.map((r: { changeRequestId: string }) => r.changeRequestId)).toEqual([third]);

      // Another tenant, an unknown project and hostile input: problem+json, nothing listed.
      expect((await call('outsider', 'get', `/projects/${projectId}/change-requests`).expect(404)).body.code).toBe('PROJECT_NOT_FOUND');
      await call('viewer', 'get', `/projects/00000000-0000-4000-8000-000000000000/change-requests`).expect(404);
      const hostile = ['/projects/__proto__/change-requests', '/projects/constructor/change-requests', '/projects/%00/change-requests', `/projects/${projectId}/change-requests?limit=0`,
        `/projects/${projectId}/change-requests?limit=__proto__`, `/projects/${projectId}/change-requests?after=__proto__`, `/projects/${projectId}/change-requests?after=%00`,
        `/projects/${projectId}/change-requests?status=pending`, `/projects/${projectId}/change-requests?status=raised&status=applied`, `/projects/${projectId}/change-requests?__proto__=1`,
        `/projects/${projectId}/change-requests?status=${'raised,'.repeat(2000)}`];
      for (const path of hostile) {
        const res = await call('viewer', 'get', path);
        expect([path, res.status]).toEqual([path, 400]);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    });

    it('refuses a proposal the schedule would refuse when it is applied, and bad proposals up front', async () => {
      const projectId = await setUp('pm');
      const ghost = [{ type: 'EstimateTaskDuration', data: { taskId: 'ghost', durationDays: 3 } }];
      const crId = (await call('pm', 'post', `/projects/${projectId}/change-requests`, { title: 'Ghost', description: 'x', proposedChanges: ghost }).expect(201)).body.changeRequestId;
      expect((await call('pm', 'get', `/projects/${projectId}/change-requests/${crId}/impact`).expect(404)).body.code).toBe('TASK_NOT_FOUND');
      for (const proposedChanges of [[], [{ type: 'StartTask', data: { taskId: 'build', actualStart: '2026-03-02' } }], [{ type: 'RenameTask', data: { taskId: 'build' } }]]) {
        const res = await call('pm', 'post', `/projects/${projectId}/change-requests`, { title: 't', description: 'd', proposedChanges }).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      await call('viewer', 'post', `/projects/${projectId}/change-requests`, { title: 't', description: 'd', proposedChanges: smallChange }).expect(403);
      await call('outsider', 'get', `/projects/${projectId}/change-requests/${crId}`).expect(404);
    });
  });
});
