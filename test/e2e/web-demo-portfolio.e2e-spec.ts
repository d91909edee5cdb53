// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { seedDemoPortfolioIfEmpty } from '../../bench/portfolio-seed/demo-portfolio';
import { defaultStatusDate } from '../../bench/portfolio-seed/seeder';
import type { SeedOptions } from '../../bench/portfolio-seed/seeder';
import { ownConsumerGroups, startService } from './service-harness';
import type { RunningService } from './service-harness';
import { buildWebApp, launchBrowser, openContext, REPO_ROOT, SCREENSHOTS, startGateway } from './web-harness';
import type { RunningGateway } from './web-harness';

let topics: { remove(): Promise<void> } | undefined;

/**
 * The newcomer's first screen (issue 14 point 1, ADR 0505 amendment): `npm start`'s demo portfolio, seeded by the same
 * function and script, small (2 projects of 10 tasks), through the real planning, resource, risk and reporting services
 * and the broker, then seen with its RAG on the Portfolio screen after the development sign-in; a later start (the
 * script with --if-empty, as npm start runs it) finds the projects there and sends nothing.
 *
 * The tenant is a fresh one, not `demo` itself: reporting's new consumer group reads the topics from offset 0, so on a
 * broker that outlives a run (the one npm test shares) an earlier run's `demo` projects would already be there.
 */
describe("npm start's demo portfolio on the dashboard's first screen", () => {
  const dbs: TestDatabase[] = [];
  const services: RunningService[] = [];
  let urls: SeedOptions['urls'];
  let reportingUrl = '';
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-web-demo-'));
  const tenant = `demo-${randomBytes(4).toString('hex')}`;
  const logged: string[] = [];
  const options = (): SeedOptions => ({
    urls,
    tenants: [tenant],
    projects: 2,
    tasks: 10,
    seed: 1,
    concurrency: 2,
    statusDate: defaultStatusDate(),
    progressBar: false,
    log: (msg) => logged.push(msg),
  });

  beforeAll(async () => {
    topics = await ownTopics();
    buildWebApp(webRoot);
    for (const name of ['e2e_webdemo_planning', 'e2e_webdemo_resource', 'e2e_webdemo_risk', 'e2e_webdemo_reporting']) dbs.push(await createTestDatabase(name));
    const group = (service: string) => ownConsumerGroups(service).consumerGroupId;
    services.push(await startService('planning-service', PlanningApp.register({ pgUrl: dbs[0].url, consumerGroupId: group('planning') })));
    services.push(await startService('resource-service', ResourceApp.register({ pgUrl: dbs[1].url, consumerGroupId: group('resource') })));
    services.push(await startService('risk-service', RiskApp.register({ pgUrl: dbs[2].url, ...ownConsumerGroups('risk') })));
    services.push(await startService('reporting-service', ReportingApp.register({ pgUrl: dbs[3].url, consumerGroupId: group('reporting') })));
    const [planning, resource, risk, reporting] = services;
    urls = { planning: planning.url, resource: resource.url, risk: risk.url };
    reportingUrl = reporting.url;
    const closed = new URL('http://127.0.0.1:9'); // the notification service is not needed for the first screen
    gateway = await startGateway({ upstreams: { planning: new URL(planning.url), resource: new URL(resource.url), risk: new URL(risk.url), reporting: new URL(reporting.url), notification: closed }, webRoot });
    browser = await launchBrowser();
    page = await (await openContext(browser, gateway.url)).newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    for (const s of services.reverse()) await s.close();
    for (const db of dbs) await db.drop();
    fs.rmSync(webRoot, { recursive: true, force: true });
    await topics?.remove();
  });

  const portfolioItems = async (): Promise<{ name: string }[]> => {
    const token = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    return (await request(reportingUrl).get('/portfolio').set('authorization', `Bearer ${token}`).expect(200)).body.items;
  };

  it('seeds the empty tenant through the APIs, and after the development sign-in the Portfolio shows both projects with their RAG', async () => {
    const outcome = await seedDemoPortfolioIfEmpty({ ...options(), reportingUrl });
    expect(outcome.state).toBe('seeded');
    if (outcome.state !== 'seeded') return;
    expect([outcome.result.seeded, outcome.result.skipped, outcome.result.importWarnings]).toEqual([2, 0, 0]);
    expect(outcome.result.assignments).toBeGreaterThan(0);

    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The page offers tenant demo; this run types its own (see above) and keeps the role offered.
    expect(await page.getByLabel('Tenant').inputValue()).toBe('demo');
    await page.getByLabel('Tenant').fill(tenant);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
    // The seeder names project i "<system> <kind> i+1": ERP … 1 and CRM … 2.
    const rows = page.locator('table.portfolio tbody tr');
    await page.getByRole('link', { name: /^ERP \w+ 1$/ }).waitFor({ timeout: 100_000 });
    await page.getByRole('link', { name: /^CRM \w+ 2$/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.empty-portfolio').count()).toBe(0);
    // Pass 2's status date reaches reporting last: then each project has a schedule RAG from its SPI, not "No data".
    const rag = (label: string) => rows.locator(`td[data-label="${label}"]`).allTextContents();
    const deadline = Date.now() + 60_000;
    while ((await rag('Schedule')).some((r) => r === 'No data') && Date.now() < deadline) await page.waitForTimeout(1000);
    expect(await rows.count()).toBe(2);
    for (const label of ['Schedule', 'Overall']) for (const value of await rag(label)) expect([label, ['Green', 'Amber', 'Red'].includes(value)]).toEqual([label, true]);
    for (const spi of await rows.locator('td[data-label="SPI"]').allTextContents()) expect(spi).toMatch(/^\d\.\d\d$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'portfolio-demo-1280.png'), fullPage: true });
  }, 300_000);

  it('a later start (the script with --if-empty, as npm start runs it) finds the projects there and seeds nothing', async () => {
    const run = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'scripts/seed-portfolio.ts', '--if-empty', '--tenant', tenant, '--projects', '3', '--tasks', '10', '--seed', '2'],
      { cwd: REPO_ROOT, env: { ...process.env, PLANNING_URL: urls.planning, RESOURCE_URL: urls.resource, RISK_URL: urls.risk, REPORTING_URL: reportingUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
    expect([code, stderr.trim()]).toEqual([3, `[seed:portfolio] tenant ${tenant} already has projects in its portfolio: left as it is, nothing seeded`]);
    // Another seed would have made other projects: there are still the two.
    expect((await portfolioItems()).length).toBe(2);
  }, 120_000);
});
