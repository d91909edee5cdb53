// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';
import { buildWebApp, checkScreen, launchBrowser, openContext, rawRequest, SCREENSHOTS, startGateway } from './web-harness';
import type { RunningGateway } from './web-harness';

let topics: { remove(): Promise<void> } | undefined;

/**
 * The dashboard in a real browser (Debian's Chromium, headless) on the real planning and reporting services, the
 * broker and the gateway: one origin, the dev sign-in, the portfolio now and as of a past instant, a project page,
 * refusals and errors in words, a lost connection; axe and two widths on every screen.
 */
describe('web dashboard through the gateway', () => {
  let planningDb: TestDatabase;
  let reportingDb: TestDatabase;
  let planning: RunningService;
  let reporting: RunningService;
  let gateway: RunningGateway;
  let productionLike: RunningGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-web-'));
  const tenant = `web-${randomBytes(4).toString('hex')}`;
  let pm: string;
  const created: Record<string, string> = {};
  let beforeHold = '';

  const createProject = async (name: string, extra: object = {}) => {
    const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name, ...extra }).expect(201);
    return res.body.projectId as string;
  };
  /**
   * Two 5-day tasks of 5,000 each, baselined; the first finished a day late at a cost of 6,000; status date Tuesday
   * 10 March. By then the plan had the survey and two days of cabling: PV 7,000, EV 5,000, AC 6,000, so
   * SPI 5,000 / 7,000 = 0.714 (red below 0.85) and CPI 5,000 / 6,000 = 0.833 (the same figures as
   * planning-earned-value-events.e2e-spec.ts).
   */
  const behindAndOverBudget = async (projectId: string) => {
    const call = (method: 'post' | 'put', url: string, body: object, status: number) => request(planning.url)[method](url).set('authorization', `Bearer ${pm}`).send(body).expect(status);
    const schedule = `/projects/${projectId}/schedule`;
    await call('post', schedule, {}, 201);
    await call('post', `${schedule}/tasks`, { taskId: 'survey', name: 'Site survey', durationDays: 5, costBudget: 5000 }, 201);
    await call('post', `${schedule}/tasks`, { taskId: 'cabling', name: 'Cabling', durationDays: 5, costBudget: 5000 }, 201);
    await call('post', `${schedule}/dependencies`, { predecessorId: 'survey', successorId: 'cabling' }, 201);
    await call('put', `${schedule}/baselines/0`, {}, 200);
    await call('post', `${schedule}/tasks/survey/finish`, { actualStart: '2026-03-02', actualFinish: '2026-03-09' }, 200);
    await call('post', `${schedule}/tasks/survey/actual-cost`, { actualCost: 6000, asOf: '2026-03-09' }, 200);
    await call('put', `/projects/${projectId}/status-date`, { statusDate: '2026-03-10' }, 200);
  };

  beforeAll(async () => {
    topics = await ownTopics();
    buildWebApp(webRoot);
    [planningDb, reportingDb] = await Promise.all([createTestDatabase('e2e_web_planning'), createTestDatabase('e2e_web_reporting')]);
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    reporting = await startService('reporting-service', ReportingApp.register({ pgUrl: reportingDb.url, consumerGroupId: `reporting-web-e2e-${randomBytes(4).toString('hex')}` }));
    const closed = 'http://127.0.0.1:9'; // nothing listens on discard: the services this spec does not start
    const upstreams = { planning: new URL(planning.url), reporting: new URL(reporting.url), resource: new URL(closed), risk: new URL(closed), notification: new URL(closed) };
    gateway = await startGateway({ upstreams, webRoot });
    productionLike = await startGateway({ upstreams, webRoot, devSignIn: false });
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });

    // History: Alpha created; a moment later (the instant the page will go back to); then Alpha through its first gate and Beta created.
    created.alpha = await createProject('Alpha ERP');
    await new Promise((r) => setTimeout(r, 1200));
    beforeHold = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1200));
    const gate = await request(planning.url).post(`/projects/${created.alpha}/phase-gates`).set('authorization', `Bearer ${pm}`).send({ note: 'Charter signed' }).expect(201);
    const admin = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'admin-1' });
    await request(planning.url).post(`/projects/${created.alpha}/phase-gates/${gate.body.gateId}/approve`).set('authorization', `Bearer ${admin}`).send({ comment: 'Go' }).expect(200);
    created.beta = await createProject('Beta CRM', { startDate: '2026-03-02' });
    await behindAndOverBudget(created.beta);

    browser = await launchBrowser();
    context = await openContext(browser, gateway.url);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await productionLike?.close();
    await reporting?.close();
    await planning?.close();
    await reportingDb?.drop();
    await planningDb?.drop();
    fs.rmSync(webRoot, { recursive: true, force: true });
    await topics?.remove();
  });


  describe('the gateway at its edge', () => {
    it('refuses hostile paths, unknown services, oversize heads and bodies, and cross-site writes with a 4xx problem', async () => {
      const cases: [string, string, number, string][] = [
        ['GET', '/api/../auth/session', 400, 'PATH_INVALID'],
        ['GET', '/api/planning/%2e%2e/%2e%2e/etc/passwd', 400, 'PATH_INVALID'],
        ['GET', '/api/planning/projects%2f..%2fx', 400, 'PATH_INVALID'],
        ['GET', '/api/planning/a%5c..', 400, 'PATH_INVALID'],
        ['GET', '/api/planning/%00', 400, 'PATH_INVALID'],
        ['GET', '/api/planning/%E0%A4%A', 400, 'PATH_INVALID'],
        ['GET', '/api/planning/projects/%ED%A0%80', 400, 'PATH_INVALID'],
        ['GET', '/api/constructor/projects', 404, 'SERVICE_UNKNOWN'],
        ['GET', '/api/__proto__/projects', 404, 'SERVICE_UNKNOWN'],
        ['GET', '/api/', 404, 'SERVICE_UNKNOWN'],
        ['GET', '/api/reporting/portfolio', 401, 'SESSION_REQUIRED'],
        ['POST', '/api/planning/projects', 403, 'CSRF_REFUSED'],
        ['POST', '/auth/dev-sign-in', 403, 'CSRF_REFUSED'],
        ['DELETE', '/', 405, 'METHOD_NOT_ALLOWED'],
      ];
      for (const [method, rawPath, status, code] of cases) {
        const res = await rawRequest(gateway.url, rawPath, { method });
        expect([method, rawPath, res.status, res.headers['content-type'], JSON.parse(res.body).code]).toEqual([method, rawPath, status, 'application/problem+json', code]);
      }
      const huge = await rawRequest(gateway.url, '/', { headers: { 'x-filler': 'a'.repeat(20_000) } });
      expect([huge.status, JSON.parse(huge.body).code]).toEqual([431, 'REQUEST_HEADERS_TOO_LARGE']);
      const foreign = await rawRequest(gateway.url, '/auth/dev-sign-in', { method: 'POST', headers: { 'x-requested-with': 'pm-web', origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
      expect([foreign.status, JSON.parse(foreign.body).code]).toEqual([403, 'CSRF_REFUSED']);
    });

    it('signs in for development only when the flag is set, keeps the token out of the browser, and forwards it as a bearer', async () => {
      const own = { 'x-requested-with': 'pm-web', 'content-type': 'application/json' };
      const signIn = (base: string, body: string) => rawRequest(base, '/auth/dev-sign-in', { method: 'POST', headers: { ...own, origin: base }, body });
      expect((await rawRequest(productionLike.url, '/auth/dev-sign-in')).status).toBe(404);
      expect((await signIn(productionLike.url, JSON.stringify({ tenant, role: 'viewer' }))).status).toBe(404);
      for (const body of ['{"tenant":"__proto__","role":"viewer"}', '{"tenant":"demo","role":"root"}', `{"tenant":"${'a'.repeat(100)}","role":"viewer"}`, '{"tenant":"de\\u0000mo","role":"viewer"}', '{"tenant":"\\ud800","role":"viewer"}', '{"tenant":"demo","role":"viewer","sub":"constructor\\u0000"}', '[]', 'not json']) {
        const res = await signIn(gateway.url, body);
        expect([body, res.status]).toEqual([body, 400]);
      }
      const big = await signIn(gateway.url, JSON.stringify({ tenant: 'x'.repeat(40_000), role: 'viewer' }));
      expect([big.status, JSON.parse(big.body).code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

      const ok = await signIn(gateway.url, JSON.stringify({ tenant, role: 'viewer' }));
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ tenant, roles: ['viewer'], sub: `viewer@${tenant}` });
      expect(ok.body).not.toMatch(/eyJ/);
      const cookie = String(ok.headers['set-cookie']);
      expect(cookie).toMatch(/^pm_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
      expect(cookie).not.toMatch(/eyJ/); // sealed: not even the JWT's header is readable
      const session = cookie.split(';')[0];

      const portfolio = await rawRequest(gateway.url, '/api/reporting/portfolio', { headers: { cookie: session } });
      expect(portfolio.status).toBe(200);
      expect(portfolio.headers['set-cookie']).toBeUndefined();
      // A cookie sealed under another gateway's key is no session here.
      expect((await rawRequest(productionLike.url, '/api/reporting/portfolio', { headers: { cookie: session } })).status).toBe(401);
      const refused = await rawRequest(gateway.url, '/api/planning/projects', { method: 'POST', headers: { ...own, origin: gateway.url, cookie: session }, body: JSON.stringify({ name: 'Not mine to create' }) });
      expect([refused.status, JSON.parse(refused.body).code]).toEqual([403, 'AUTH_FORBIDDEN']);
      const tooBig = await rawRequest(gateway.url, '/api/planning/projects', { method: 'POST', headers: { ...own, origin: gateway.url, cookie: session }, body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
      expect([tooBig.status, JSON.parse(tooBig.body).code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      const down = await rawRequest(gateway.url, '/api/risk/risks', { headers: { cookie: session } });
      expect([down.status, JSON.parse(down.body).code]).toEqual([502, 'UPSTREAM_UNAVAILABLE']);
    });
  });

  describe('in the browser', () => {
    it('signs in through the development sign-in page and shows the projects created through the planning API', async () => {
      await page.goto('/');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await checkScreen(page, 'sign-in');
      await page.getByLabel('Tenant').fill(tenant);
      await page.getByLabel('Role').selectOption('project-manager');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
      expect(await page.locator('.app-header .tenant').textContent()).toBe(tenant);
      // The read model catches up through the broker; the page polls while it shows the present.
      // A new consumer group reads the planning topic from offset 0: in a full run that is every spec's events first.
      await page.getByRole('link', { name: 'Beta CRM' }).waitFor({ timeout: 100_000 });
      const alphaRow = page.getByRole('row', { name: /Alpha ERP/ });
      await alphaRow.getByText('planning', { exact: true }).waitFor({ timeout: 30_000 });
      expect(await page.locator('table.portfolio').getByRole('row').count()).toBe(3); // header + 2 projects
      const betaRow = page.getByRole('row', { name: /Beta CRM/ });
      await betaRow.getByText('SPI 0.714 is below 0.85').waitFor({ timeout: 30_000 });
      expect(await betaRow.locator('td[data-label="Schedule"]').textContent()).toBe('Red');
      expect(await betaRow.locator('td[data-label="SPI"]').textContent()).toBe('0.71');
      expect(await betaRow.locator('td[data-label="CPI"]').textContent()).toBe('0.83');
      expect(await alphaRow.locator('td[data-label="Overall"]').textContent()).toBe('No data');
      expect(await page.evaluate<string>('document.cookie')).toBe(''); // the session cookie is HttpOnly
      await checkScreen(page, 'portfolio');
    }, 150_000);

    it('filters by status and health, sorts worst first, and goes back to a past instant, where Alpha was still initiating and Beta did not exist', async () => {
      await page.getByLabel('Status', { exact: true }).selectOption('planning');
      await page.waitForURL(/status=planning/);
      await page.getByRole('link', { name: 'Beta CRM' }).waitFor({ state: 'detached' });
      expect(await page.getByRole('link', { name: 'Alpha ERP' }).count()).toBe(1);
      await page.getByLabel('Status', { exact: true }).selectOption('');
      await page.getByLabel('Health', { exact: true }).selectOption('red');
      await page.getByRole('link', { name: 'Alpha ERP' }).waitFor({ state: 'detached' });
      expect(await page.getByRole('link', { name: 'Beta CRM' }).count()).toBe(1);
      await page.getByLabel('Health', { exact: true }).selectOption('');
      const order = () => page.locator('tbody th[scope="row"] a').allTextContents();
      await page.getByRole('link', { name: 'Alpha ERP' }).waitFor();
      expect(await order()).toEqual(['Alpha ERP', 'Beta CRM']);
      await page.getByLabel('Sort by').selectOption('health');
      await page.waitForURL(/sort=health/);
      await waitFor(async () => (await order())[0] === 'Beta CRM', { timeoutMs: 10_000, what: 'the worst health first' });

      await page.getByLabel('As of').fill(beforeHold.slice(0, 19));
      await page.waitForURL(/asOf=/);
      await page.getByRole('link', { name: 'Beta CRM' }).waitFor({ state: 'detached' });
      await page.getByRole('row', { name: /Alpha ERP/ }).getByText('initiating').waitFor();
      expect(await page.getByText(/As it stood on/).count()).toBe(1);
      await checkScreen(page, 'portfolio-as-of');
    });

    it('opens a project page with its figures, as of the same instant and now', async () => {
      await page.getByRole('link', { name: 'Alpha ERP' }).click();
      await page.waitForURL(new RegExp(`/projects/${created.alpha}\\?asOf=`));
      await page.getByRole('heading', { name: 'Alpha ERP' }).waitFor();
      await page.locator('.figure', { hasText: 'Status' }).getByText('initiating').waitFor();
      await page.getByRole('button', { name: 'Back to now' }).click();
      await page.locator('.figure', { hasText: 'Status' }).getByText('planning', { exact: true }).waitFor();
      await checkScreen(page, 'project');
    });

    it("shows a project's earned value, S-curve and baseline variance; its next phase gate requested, refused to the project manager in words and approved by the PMO", async () => {
      await page.goto(`/projects/${created.beta}`);
      await page.getByRole('heading', { name: 'Beta CRM' }).waitFor();
      // Earned value at the status date against baseline 0 (figures as in the portfolio: SPI 0.71, CPI 0.83).
      await page.getByRole('heading', { name: 'Earned value at 2026-03-10' }).waitFor({ timeout: 30_000 });
      const panel = (title: string) => page.locator(`section[aria-labelledby="${title}-title"]`);
      const figureIn = (section: string) => (label: string) => panel(section).locator('.figure', { has: page.getByText(label, { exact: true }) }).locator('dd');
      const evm = figureIn('evm');
      await evm('SPI').waitFor({ timeout: 30_000 });
      expect(await Promise.all(['BAC', 'PV', 'EV', 'AC', 'SPI', 'CPI'].map((l) => evm(l).textContent()))).toEqual(['10,000', '7,000', '5,000', '6,000', '0.71', '0.83']);
      // The S-curve reporting keeps from the baseline on, drawn on a canvas.
      await page.locator('.s-curve canvas').waitFor({ timeout: 30_000 });
      // Hovering it shows the figures of a period with nothing the page's CSP refuses (no style attributes: echarts'
      // HTML tooltip writes them, so the tooltip draws on the canvas as the other charts' do).
      const refused: string[] = [];
      const onConsole = (m: ConsoleMessage) => void (/Content Security Policy|Refused to apply inline style/i.test(m.text()) && refused.push(m.text()));
      page.on('console', onConsole);
      // A string, as the spec's other page scripts: this tsconfig has no DOM types.
      await page.evaluate("window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.sample))");
      await page.locator('.s-curve').scrollIntoViewIfNeeded();
      const before = await page.locator('.s-curve').screenshot();
      const curveBox = await page.locator('.s-curve canvas').first().boundingBox();
      if (!curveBox) throw new Error('the S-curve has no box');
      for (const x of [0.25, 0.5, 0.75]) {
        await page.mouse.move(curveBox.x + curveBox.width * x, curveBox.y + curveBox.height * 0.55, { steps: 4 });
        await page.waitForTimeout(300);
      }
      expect(Buffer.compare(before, await page.locator('.s-curve').screenshot())).not.toBe(0); // the axis pointer and tooltip drawn
      await page.screenshot({ path: path.join(SCREENSHOTS, 'project-s-curve-tooltip-1280.png') });
      page.off('console', onConsole);
      expect([refused, await page.evaluate<string[]>('window.cspViolations')]).toEqual([[], []]);
      await page.mouse.move(0, 0);
      // The survey finished a working day late, and the cabling after it: baseline 0 against the plan now.
      expect(await figureIn('variance')('Finish variance').textContent()).toBe('1 d');
      expect(await panel('variance').locator('table.compact tbody tr', { hasText: 'Cabling' }).textContent()).toContain('1 d');
      // Phase gates: Beta has none pending; request one with a note, and the panel says it awaits a decision.
      expect(await figureIn('governance')('Gate to the next phase').textContent()).toBe('none pending');
      await page.getByLabel('Gate note').fill('Design signed off');
      await page.getByRole('button', { name: 'Request the gate to the next phase' }).click();
      await page.locator('.figure', { hasText: 'Gate to the next phase' }).getByText('requested, awaiting decision').waitFor({ timeout: 15_000 });
      // The project manager may not decide it: refused in words, and the comment typed stays.
      const decision = page.getByRole('form', { name: 'Decide the pending gate' });
      const comment = decision.getByLabel('Comment, or the reason for rejecting');
      await comment.fill('Ready to build');
      await decision.getByRole('button', { name: 'Approve the gate' }).click();
      await decision.getByText(/Only a pmo-admin or the project sponsor may decide a phase gate/).waitFor({ timeout: 15_000 });
      expect(await comment.inputValue()).toBe('Ready to build');
      await checkScreen(page, 'project-evm-gate');

      // A PMO administrator, in a browser of their own, approves it: the project moves to its next phase.
      const pmo = await openContext(browser, gateway.url);
      try {
        const admin = await pmo.newPage();
        await admin.goto('/');
        await admin.getByLabel('Tenant').fill(tenant);
        await admin.getByLabel('Role').selectOption('pmo-admin');
        await admin.getByRole('button', { name: 'Sign in' }).click();
        await admin.getByRole('heading', { name: 'Portfolio' }).waitFor();
        await admin.goto(`/projects/${created.beta}`);
        const governance = admin.locator('section[aria-labelledby="governance-title"]');
        const approve = governance.getByRole('form', { name: 'Decide the pending gate' });
        await approve.getByLabel('Comment, or the reason for rejecting').fill('Design reviewed, go');
        await approve.getByRole('button', { name: 'Approve the gate' }).click();
        await governance.locator('.figure', { hasText: 'Gate to the next phase' }).getByText('none pending').waitFor({ timeout: 15_000 });
        expect(await governance.locator('.figure', { has: admin.getByText('Phase', { exact: true }) }).locator('dd').textContent()).toBe('planning');
      } finally {
        await pmo.close();
      }
    }, 120_000);

    it('shows an API error and a refused command in words, and keeps what was typed', async () => {
      await page.goto(`/projects/${randomUUID()}`);
      await page.getByText('This project does not exist, or it is not in your organisation.').waitFor();
      await checkScreen(page, 'project-not-found');

      await page.goto('/portfolio');
      const name = `Too long ${'x'.repeat(200)}`;
      await page.getByRole('textbox', { name: 'Project name' }).fill(name);
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByText('Some of what was sent is not valid.').waitFor();
      expect(await page.locator('.new-project .problem-fields').textContent()).toMatch(/name/);
      expect(await page.getByRole('textbox', { name: 'Project name' }).inputValue()).toBe(name);
      await checkScreen(page, 'portfolio-refused');
    });

    it('keeps what was typed when a command gets no answer or the session ends, and sends it once the page is back', async () => {
      await page.goto('/portfolio');
      await page.getByRole('link', { name: 'Beta CRM' }).waitFor();
      const box = page.getByRole('textbox', { name: 'Project name' });
      // The command gets no answer at all: the banner and the form say so, the text stays, the page recovers by itself.
      await page.route('**/api/planning/projects', (route) => route.abort('connectionrefused'));
      await box.fill('Delta warehouse');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByText(/The server is not answering/).waitFor();
      await page.locator('.new-project').getByText('The connection to the server is lost.').waitFor();
      expect(await box.inputValue()).toBe('Delta warehouse');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'command-unanswered-1280.png'), fullPage: true });
      await page.unroute('**/api/planning/projects');
      await page.getByText(/The server is not answering/).waitFor({ state: 'detached', timeout: 15_000 });

      // The session ends mid-use (its cookie is gone): the screen stays under a sign-in box, with the text in it.
      await context.clearCookies();
      await page.getByRole('heading', { name: 'Your session has ended' }).waitFor({ timeout: 20_000 });
      expect(await box.inputValue()).toBe('Delta warehouse');
      await checkScreen(page, 'session-ended');
      // Tenant and role come filled in from the session that ended.
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Your session has ended' }).waitFor({ state: 'detached' });
      expect(await page.locator('.app-header .tenant').textContent()).toBe(tenant);
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByText('Created “Delta warehouse”').waitFor();
    }, 90_000);

    it('shows a lost connection and recovers when it is back, with what happened meanwhile', async () => {
      await page.goto('/portfolio');
      await page.getByRole('link', { name: 'Beta CRM' }).waitFor();
      await context.setOffline(true);
      await page.getByText(/You are offline/).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'offline-1280.png') });
      const gamma = await createProject('Gamma data centre exit');
      await waitFor(
        async () => {
          const res = await request(reporting.url).get(`/projects/${gamma}`).set('authorization', `Bearer ${pm}`);
          return res.status === 200;
        },
        { timeoutMs: 30_000, what: 'Gamma in the read model' },
      );
      expect(await page.getByRole('link', { name: 'Gamma data centre exit' }).count()).toBe(0);
      await context.setOffline(false);
      await page.getByText(/You are offline/).waitFor({ state: 'detached' });
      await page.getByRole('link', { name: 'Gamma data centre exit' }).waitFor({ timeout: 15_000 });
    });
  });
});
