// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import type { Pool } from 'pg';
import { signDevToken } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ownConsumerGroups, startService } from './service-harness';
import type { RunningService } from './service-harness';
import { buildWebApp, checkScreen, launchBrowser, openContext, SCREENSHOTS, startGateway, thisMonday } from './web-harness';
import type { RunningGateway } from './web-harness';

let topics: { remove(): Promise<void> } | undefined;

const hex = () => randomBytes(4).toString('hex');

/**
 * The Resources, Risk and Inbox screens in a real browser on the real planning, resource, risk and notification
 * services and the broker, through the gateway: an over-allocation and its levelling proposal (refused while stale,
 * with what was typed kept, then accepted); a critical risk in the matrix, filtered by its cell, commented with a
 * mention that reaches the person mentioned; a Monte Carlo run drawn; a notification arriving over Server-Sent
 * Events without a reload, the unread count following; a lost stream shown and recovered.
 */
describe('web screens: resources, risk and inbox', () => {
  const dbs: TestDatabase[] = [];
  let planning: RunningService;
  let resource: RunningService;
  let risk: RunningService;
  let notification: RunningService;
  let gateway: RunningGateway | undefined;
  let directory: Pool | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-web-screens-'));
  const tenant = `webs-${hex()}`;
  const me = `project-manager@${tenant}`; // the dev sign-in's subject for this role
  const start = thisMonday();
  let pm: string;
  let admin: string;
  let projectId: string;
  /** The second assignment, made by the first test while the pages are open: it over-allocates Ada. */
  let assignBuild: () => request.Test;

  const call = (service: () => RunningService, token: () => string) => ({
    get: (url: string) => request(service().url).get(url).set('authorization', `Bearer ${token()}`),
    post: (url: string, body: object = {}) => request(service().url).post(url).set('authorization', `Bearer ${token()}`).send(body),
    patch: (url: string, body: object) => request(service().url).patch(url).set('authorization', `Bearer ${token()}`).send(body),
  });
  const planner = call(() => planning, () => pm);
  const manager = call(() => resource, () => admin);
  const riskAdmin = call(() => risk, () => admin);

  async function criticalRisk(title: string): Promise<string> {
    const risks = `/projects/${projectId}/risks`;
    const riskId = (await riskAdmin.post(risks, { kind: 'threat', title, cause: 'c', event: 'e', effect: 'f', categoryId: 'suppliers', ownerId: 'owner-a' }).expect(201)).body.riskId as string;
    await riskAdmin.post(`${risks}/${riskId}/assessments`, { inherent: { schedule: { probability: 5, impact: 5 } } }).expect(200);
    return riskId;
  }

  beforeAll(async () => {
    topics = await ownTopics();
    buildWebApp(webRoot);
    for (const name of ['e2e_webs_planning', 'e2e_webs_resource', 'e2e_webs_risk', 'e2e_webs_notify']) dbs.push(await createTestDatabase(name));
    // One after the other. The topics are this spec's own (own-topics): each new consumer group reads only this spec's
    // events from offset 0; on the shared topics the notification service needed minutes on a loaded machine to reach
    // this tenant's ProjectCreated. The waits below still allow for a loaded machine.
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: dbs[0].url, consumerGroupId: `planning-webs-${hex()}` }));
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: dbs[1].url, consumerGroupId: `resource-webs-${hex()}` }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: me });
    admin = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'admin-1' });

    // Two parallel 5-day tasks with three-point estimates, both on one full-time person: she is over-allocated.
    projectId = (await planner.post('/projects', { name: 'Screens roll-out', startDate: start, managerId: me }).expect(201)).body.projectId;
    const schedule = `/projects/${projectId}/schedule`;
    await planner.post(schedule).expect(201);
    for (const [taskId, name] of [['design', 'Design'], ['build', 'Build']]) {
      await planner.post(`${schedule}/tasks`, { taskId, name, durationDays: 5 }).expect(201);
      await planner.patch(`${schedule}/tasks/${taskId}`, { threePoint: { optimisticDays: 4, mostLikelyDays: 5, pessimisticDays: 9 } }).expect(200);
    }
    risk = await startService('risk-service', RiskApp.register({ pgUrl: dbs[2].url, ...ownConsumerGroups('risk') }));
    notification = await startService('notification-service', NotificationApp.register({ pgUrl: dbs[3].url, consumerGroupId: `notification-webs-${hex()}`, streamPollMs: 200 }));
    const ada = (await manager.post('/resources/people', { name: 'Ada Lovelace', role: 'Developer', department: 'IT' }).expect(201)).body.resourceId as string;
    const assign = (taskId: string) => manager.post('/assignments', { resourceId: ada, projectId, taskId, load: { kind: 'units', percent: 100 } });
    let last = '';
    await waitFor(
      async () => {
        const res = await assign('design');
        last = `${res.status} ${res.body?.code ?? ''}`;
        return res.status === 201;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: 'the plan known to the resource service' },
    ).catch((e: Error) => Promise.reject(new Error(`${e.message}; last answer ${last}`)));
    assignBuild = () => assign('build');
    const closed = new URL('http://127.0.0.1:9'); // reporting is not started: so the project picker says its list is not available
    gateway = await startGateway({
      upstreams: { planning: new URL(planning.url), resource: new URL(resource.url), risk: new URL(risk.url), notification: new URL(notification.url), reporting: closed },
      webRoot,
    });
    await riskAdmin.post('/risk-settings/categories', { categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
    // The manager is someone the notification service knows once it has read planning's ProjectCreated.
    const known = createPgPool(dbs[3].url, { max: 1 });
    directory = known;
    await waitFor(async () => ((await known.query('SELECT 1 FROM notification_directory WHERE tenant_id = $1 AND user_id = $2', [tenant, me])).rowCount ? true : undefined), {
      timeoutMs: 240_000,
      intervalMs: 500,
      what: 'the manager in the notification directory',
    });

    browser = await launchBrowser();
    context = await openContext(browser, gateway.url);
    page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Tenant').fill(tenant);
    await page.getByLabel('Role').selectOption('project-manager');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await directory?.end();
    for (const service of [notification, risk, resource, planning]) await service?.close();
    for (const db of dbs) await db.drop();
    fs.rmSync(webRoot, { recursive: true, force: true });
    await topics?.remove();
  });

  let step = 0;
  afterEach(async () => {
    step += 1;
    await page?.screenshot({ path: path.join(SCREENSHOTS, `web-screens-after-${step}.png`), fullPage: true }).catch(() => undefined);
  });


  it("shows a new automatic risk and its notification arrive without a reload when a critical task's person is over-allocated", async () => {
    // The Risk screen in this tab, the Inbox in a second one, both open before anything happens.
    await page.goto(`/risk?project=${projectId}`);
    await page.getByText('No rule has raised a risk on this project.').waitFor({ timeout: 30_000 });
    const inbox = await context.newPage();
    try {
      await inbox.goto('/inbox');
      await inbox.getByText('Live: new notifications appear here as they arrive.').waitFor({ timeout: 15_000 });
      const navigations: string[] = [];
      for (const tab of [page, inbox]) tab.on('framenavigated', (f) => navigations.push(f.url()));
      // The header's unread count, on the Risk screen's tab.
      const unread = async () => Number((await page.locator('a.unread').getAttribute('aria-label'))?.match(/^Inbox, (\d+) unread$/)?.[1] ?? Number.NaN);
      const unreadBefore = await waitFor(async () => ((n) => (Number.isNaN(n) ? undefined : { n }))(await unread()), { timeoutMs: 15_000, what: 'the unread count in the header' });

      // Ada, already on Design full time, goes on Build too: two critical tasks in one week on one person.
      await assignBuild().expect(201);
      const raised = page.locator('ul.automatic li', { hasText: 'Resource over-allocated on a critical task' }).first();
      await raised.waitFor({ timeout: 90_000 });
      // With its evidence: the rule, what was measured against which threshold, and the events it came from.
      const evidence = await raised.locator('dl.evidence').textContent();
      expect(evidence).toContain('overallocated-critical-task');
      expect(evidence).toMatch(/minutesOver/);
      // Design and Build are both critical: two risks of the one rule, with one title. Each says whom and which task it
      // is about, by name, in the register's row and in the list of automatic risks.
      const subjects = async (where: string) => (await page.locator(`${where} .risk-subject`).allTextContents()).sort();
      let seen: string[] = [];
      await waitFor(async () => ((seen = await subjects('table.register tbody th')).join(' | ') === 'Ada Lovelace on Build | Ada Lovelace on Design' || undefined), {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: 'both automatic risks in the register, each with its person and task',
      }).catch((e: Error) => Promise.reject(new Error(`${e.message}; the rows said ${JSON.stringify(seen)}`)));
      expect(await page.locator('table.register tbody th button', { hasText: 'Resource over-allocated on a critical task' }).count()).toBe(2);
      expect(await subjects('ul.automatic li')).toEqual(['Ada Lovelace on Build', 'Ada Lovelace on Design']);
      const told = inbox.locator('.notifications li', { hasText: 'New risk raised automatically: Resource over-allocated on a critical task' }).first();
      await told.waitFor({ timeout: 60_000 });
      expect(await told.getAttribute('class')).toBe('unread');
      // The Risk screen's header follows the same stream: its count goes up within seconds, not at the next poll.
      await waitFor(async () => (await unread()) > unreadBefore.n || undefined, { timeoutMs: 10_000, what: 'the header count on the Risk screen to follow the arrival' });
      expect(navigations).toEqual([]);
      await inbox.screenshot({ path: path.join(SCREENSHOTS, 'inbox-automatic-risk-1280.png'), fullPage: true });
      await checkScreen(page, 'risk-automatic');
    } finally {
      await inbox.close();
    }
  }, 180_000);

  it('shows the over-allocation, refuses a stale levelling proposal in words keeping the typed reason, then accepts it and the over-allocation clears', async () => {
    await page.goto(`/resources?project=${projectId}`);
    const over = page.locator('.over-allocations li', { hasText: 'Ada Lovelace' });
    await over.waitFor({ timeout: 30_000 });
    // Two full-time tasks in one 5-day week: 80 h of demand on 40 h of capacity.
    expect(await over.textContent()).toContain(`week of ${start}: 80 h of 40 h`);
    await page.getByRole('button', { name: 'Propose levelling' }).click();
    const proposal = page.locator('.proposal').first();
    await proposal.getByText('Proposed: every move still applies.').waitFor({ timeout: 30_000 });
    expect(await proposal.locator('table.moves tbody tr').count()).toBe(1);

    // The plan moves under the proposal: accepting is refused, in words, and the reason typed for a rejection stays.
    // The plan moves under the proposal (its task starts a day later): accepting is refused, in words, and the reason
    // typed for a rejection stays.
    const moved = (await planner.get(`/projects/${projectId}/levelling-proposals`).expect(200)).body.proposals[0].moves[0].taskId as string;
    await planner.patch(`/projects/${projectId}/schedule/tasks/${moved}`, { constraint: { type: 'SNET', date: addDays(start, 1) } }).expect(200);
    await proposal.getByText(/the plan has moved since/).waitFor({ timeout: 10_000 });
    await proposal.getByLabel('Reason for rejecting').fill('Ask the team first');
    await proposal.getByRole('button', { name: 'Accept' }).click();
    await proposal.getByRole('alert').waitFor();
    expect(await proposal.getByRole('alert').textContent()).toContain(moved);
    expect(await proposal.getByLabel('Reason for rejecting').inputValue()).toBe('Ask the team first');
    await checkScreen(page, 'resources-refused');

    await planner.patch(`/projects/${projectId}/schedule/tasks/${moved}`, { constraint: { type: 'ASAP' } }).expect(200);
    await proposal.getByText('Proposed: every move still applies.').waitFor({ timeout: 15_000 });
    await proposal.getByRole('button', { name: 'Accept' }).click();
    await proposal.getByText('Accepted: the plan follows it.').waitFor({ timeout: 15_000 });
    await page.getByText('Nobody is over-allocated in these weeks.').waitFor({ timeout: 30_000 });
    await page.getByLabel('Rows', { exact: true }).selectOption('role');
    await page.locator('.echart[aria-label*="1 rows; 0 over-allocated"]').waitFor();
    await checkScreen(page, 'resources');
  }, 120_000);

  it('puts a notification in the inbox without a reload as a risk is rated critical, and the unread count follows', async () => {
    await page.goto('/inbox');
    await page.getByText('Live: new notifications appear here as they arrive.').waitFor({ timeout: 15_000 });
    // What the levelling told this manager already is there; read it all first, so the count starts at zero.
    await page.locator('.notifications li').first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByRole('link', { name: 'Inbox, 0 unread' }).waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const riskId = await criticalRisk('Vendor bankrupt');
    // The title is the notification service's ("Risk rated critical (score 25)"); the link leads to the risk.
    const item = page.locator(`.notifications li:has(a[href$="risk=${riskId}"])`);
    await item.waitFor({ timeout: 45_000 });
    expect(navigations).toEqual([]);
    expect(await item.getAttribute('class')).toBe('unread');
    expect(await item.textContent()).toContain('Risk rated critical (score 25)');
    await page.getByRole('link', { name: 'Inbox, 1 unread' }).waitFor();
    await checkScreen(page, 'inbox');

    await item.getByRole('button', { name: /^Mark read/ }).click();
    await page.getByRole('link', { name: 'Inbox, 0 unread' }).waitFor();
    expect(await item.getAttribute('class')).toBe('read');
    expect(await item.getByRole('link').getAttribute('href')).toBe(`/risk?project=${projectId}&risk=${riskId}`);
  }, 90_000);

  it('shows a lost live connection and catches up with what arrived meanwhile when it is back', async () => {
    // The gateway goes away (a deploy, a network cut): the open stream breaks, the page says so and keeps trying.
    await gateway!.close();
    await page.getByText(/Live updates are interrupted/).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-stream-lost-1280.png') });
    const flooded = await criticalRisk('Data centre flooded');
    await waitFor(
      async () => {
        const items = (await request(notification.url).get('/inbox').set('authorization', `Bearer ${pm}`).expect(200)).body.items as Array<{ subject: { id: string } }>;
        return items.some((n) => n.subject.id === flooded);
      },
      { timeoutMs: 45_000, what: 'the second critical risk in the inbox while the page is cut off' },
    );
    gateway = await gateway!.reopen();
    await page.getByText('Live: new notifications appear here as they arrive.').waitFor({ timeout: 40_000 });
    await page.locator(`.notifications li:has(a[href$="risk=${flooded}"])`).waitFor({ timeout: 15_000 });
    const first = page.locator('.notifications li', { hasText: 'Risk rated critical' }).last();
    const firstHref = await first.getByRole('link').getAttribute('href');
    await first.getByRole('button', { name: /^Archive/ }).click();
    await page.locator(`.notifications li:has(a[href="${firstHref}"])`).waitFor({ state: 'detached' });
  }, 90_000);

  it('shows the critical risks in the matrix, filters the register by a cell, takes a comment that tells the person mentioned, and draws a Monte Carlo run', async () => {
    await page.goto(`/risk?project=${projectId}`);
    const cell = page.getByRole('button', { name: 'Probability 5, impact 5: 2 risks' });
    await cell.waitFor({ timeout: 20_000 });
    const low = (await riskAdmin.post(`/projects/${projectId}/risks`, { kind: 'threat', title: 'Printer jams', cause: 'c', event: 'e', effect: 'f', categoryId: 'suppliers' }).expect(201)).body.riskId as string;
    await riskAdmin.post(`/projects/${projectId}/risks/${low}/assessments`, { inherent: { schedule: { probability: 1, impact: 2 } } }).expect(200);
    await page.getByRole('button', { name: 'Probability 1, impact 2: 1 risk' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Printer jams' }).waitFor();
    await cell.click();
    await page.waitForURL(/p=5&i=5/);
    await page.getByRole('button', { name: 'Printer jams' }).waitFor({ state: 'detached' });
    expect((await page.locator('table.register tbody th').allTextContents()).sort()).toEqual(['Data centre flooded', 'Vendor bankrupt']);
    await page.getByLabel('Rating').selectOption('critical');
    await page.waitForURL(/rating=critical/);

    await page.getByRole('button', { name: 'Vendor bankrupt' }).click();
    await page.getByRole('heading', { name: /Comments on “Vendor bankrupt”/ }).waitFor();
    await page.getByLabel(/Add a comment/).fill('Second supplier quoted; @admin-1 please approve.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.comment-list li', { hasText: 'Second supplier quoted' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.comment-list .mention').textContent()).toBe('@admin-1');
    const told = await waitFor(
      async () => {
        const items = (await request(notification.url).get('/inbox').set('authorization', `Bearer ${admin}`).expect(200)).body.items as Array<{ reason: { kind: string } }>;
        return items.find((n) => n.reason?.kind === 'mention');
      },
      { timeoutMs: 30_000, what: 'the mention in admin-1’s inbox' },
    );
    expect(told).toBeDefined();

    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.waitForURL(/simulation=/);
    const p50 = page.locator('.figure', { hasText: 'P50 finish' }).locator('dd');
    await p50.waitFor({ timeout: 60_000 });
    const [planned, p50Date, p80Date] = await Promise.all([
      page.locator('.figure', { has: page.getByText('Planned finish', { exact: true }) }).locator('dd').textContent(),
      p50.textContent(),
      page.locator('.figure', { hasText: 'P80 finish' }).locator('dd').textContent(),
    ]);
    // Estimates of 4/5/9 days skew late: P50 at or after the planned finish, P80 at or after P50.
    expect(planned! <= p50Date! && p50Date! <= p80Date!).toBe(true);
    expect(await page.locator('.echart[aria-label^="Cumulative probability"]').getAttribute('aria-label')).toContain(`P80 ${p80Date}`);
    expect(await page.locator('.echart canvas').count()).toBeGreaterThanOrEqual(3);
    await checkScreen(page, 'risk');
  }, 120_000);

  it("opens a task from the Gantt with its comments, tells the person a comment mentions, lists the project's change requests with their impact, and decides them on the page", async () => {
    const requests = `/projects/${projectId}/change-requests`;
    const raise = async (title: string, durationDays: number) =>
      (await planner.post(requests, { title, description: 'x', proposedChanges: [{ type: 'EstimateTaskDuration', data: { taskId: 'build', durationDays } }] }).expect(201)).body.changeRequestId as string;
    const assessed = await raise('Longer build', 8);
    await planner.post(`${requests}/${assessed}/assess`, { notes: 'Reviewed' }).expect(200);
    const fresh = await raise('Shorter build', 4);
    const recorded = (await planner.get(requests).expect(200)).body.items.find((r: { changeRequestId: string }) => r.changeRequestId === assessed).impact as { scheduleImpactDays: number };

    await page.goto(`/projects/${projectId}`);
    await page.locator('.gantt-grid [role="row"][data-task-id="build"] .gantt-name').click();
    // The plan starts this week: the today line is inside the chart, at today's day.
    const [todayX, chartWidth] = await Promise.all([page.locator('.gantt-chart .gantt-today').getAttribute('x1'), page.locator('.gantt-chart').getAttribute('width')]);
    expect(Number(todayX)).toBeGreaterThan(0);
    expect(Number(todayX)).toBeLessThan(Number(chartWidth));
    await page.waitForURL(/task=build/);
    await page.getByRole('heading', { name: /Comments on “.*Build”/ }).waitFor();
    await page.getByText('No comments yet.').waitFor({ timeout: 15_000 });
    await page.getByLabel(/Add a comment/).fill('Build needs a second reviewer, @admin-1 can you find one?');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.comment-list li', { hasText: 'Build needs a second reviewer' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.comment-list .mention').textContent()).toBe('@admin-1');
    const thread = await request(notification.url).get(`/projects/${projectId}/comments?kind=task&id=build`).set('authorization', `Bearer ${pm}`).expect(200);
    const commentId = thread.body.items[0].commentId as string;
    await waitFor(
      async () => {
        const items = (await request(notification.url).get('/inbox').set('authorization', `Bearer ${admin}`).expect(200)).body.items as Array<{ reason: { kind: string }; subject: { id: string } }>;
        return items.find((n) => n.reason?.kind === 'mention' && n.subject.id === commentId);
      },
      { timeoutMs: 30_000, what: 'the task comment’s mention in admin-1’s inbox' },
    );

    const rows = page.locator('table.change-requests tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-change-request-id')))).toEqual([fresh, assessed]);
    const days = recorded.scheduleImpactDays;
    const signed = `${days > 0 ? '+' : days < 0 ? '−' : '±'}${Math.abs(days)}`;
    expect(await rows.nth(1).textContent()).toContain(`finish ${signed} working days, cost ±0 (Reviewed)`);
    expect(await rows.nth(1).textContent()).toContain('assessed, awaiting a decision');
    await rows.nth(0).getByRole('button', { name: 'Compute the impact of Shorter build' }).click();
    await rows.nth(0).getByText(/computed now, not recorded/).waitFor({ timeout: 15_000 });
    await checkScreen(page, 'project-task-comments');

    // Decided on the page with planning's commands: the raised one assessed, then rejected (a reason is required).
    const shorter = page.locator(`tr[data-change-request-id="${fresh}"]`);
    await shorter.getByRole('button', { name: 'Record the impact: Shorter build' }).click();
    await shorter.getByText('assessed, awaiting a decision').waitFor({ timeout: 15_000 });
    await shorter.getByRole('button', { name: 'Reject: Shorter build' }).click();
    await shorter.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await shorter.getByRole('alert').textContent()).toMatch(/not valid|reason/i);
    await shorter.getByLabel('Reason or comment on Shorter build').fill('Not needed this release');
    await shorter.getByRole('button', { name: 'Reject: Shorter build' }).click();
    await shorter.getByText(/^rejected$/).waitFor({ timeout: 15_000 });
    expect(await shorter.textContent()).toContain(': Not needed this release');
    // The assessed one approved, within a project manager's limits or refused in words beyond them.
    const longer = page.locator(`tr[data-change-request-id="${assessed}"]`);
    await longer.getByRole('button', { name: 'Approve: Longer build' }).click();
    if (Math.abs(days) < 5) {
      await longer.getByText('approved, not applied yet').waitFor({ timeout: 15_000 });
      await longer.getByRole('button', { name: 'Apply to the schedule: Longer build' }).click();
      await longer.getByText('applied to the schedule').waitFor({ timeout: 15_000 });
      await waitFor(async () => ((await planner.get(`/projects/${projectId}/schedule`).expect(200)).body.tasks as Array<{ taskId: string; durationDays: number }>).find((t) => t.taskId === 'build')?.durationDays === 8 || undefined, {
        what: 'the applied change in the schedule',
      });
    } else {
      await longer.getByRole('alert').waitFor({ timeout: 15_000 });
      expect(await longer.textContent()).toContain('assessed, awaiting a decision');
    }
    await checkScreen(page, 'project-change-decisions');
  }, 120_000);
});

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
