// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';
import { buildWebApp, checkScreen, launchBrowser, openContext, REPO_ROOT, startGateway } from './web-harness';
import type { RunningGateway } from './web-harness';

let topics: { remove(): Promise<void> } | undefined;

/** Microsoft Project's own files (MPXJ test data), read where they lie; the spec skips, saying so, without them. */
const MSPDI = path.resolve(REPO_ROOT, '../shared/testdata/mspdi');
const FILE = path.join(MSPDI, 'task-links-project2010-mspdi.xml');
const SAMPLE = path.join(MSPDI, 'sample.xml');
const present = fs.existsSync(FILE) && fs.existsSync(SAMPLE);
if (!present) process.stderr.write(`web-project e2e SKIPPED: ${FILE} or ${SAMPLE} is absent (the shared MSPDI test data folder ../shared/testdata/mspdi is not there)\n`);

interface TaskRow {
  taskId: string;
  wbsCode: string;
  name: string;
  kind: string;
  start?: string;
  durationDays: number;
  finish?: string;
  totalFloat?: number;
  critical?: boolean;
}

interface LinkRow {
  dependencyId: string;
  predecessorId: string;
  successorId: string;
  type: string;
  lagDays: number;
}

/**
 * The Project screen and the Import screen in a real browser on the real planning and reporting services: import
 * Microsoft Project's task-links file (FS/SS/FF/SF pairs with lags) through the page, see its critical path in the
 * Gantt, lengthen a task with float past its float and see it turn critical and its finish move, a refused duration
 * shown in words with the typed value kept; axe and both widths on each screen.
 */
(present ? describe : describe.skip)('web: Import and the Project Gantt', () => {
  let planningDb: TestDatabase;
  let reportingDb: TestDatabase;
  let planning: RunningService;
  let reporting: RunningService;
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-web-project-'));
  const tenant = `gantt-${randomBytes(4).toString('hex')}`;
  let projectId = '';
  let sampleId = '';

  beforeAll(async () => {
    topics = await ownTopics();
    buildWebApp(webRoot);
    [planningDb, reportingDb] = await Promise.all([createTestDatabase('e2e_webgantt_planning'), createTestDatabase('e2e_webgantt_reporting')]);
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    reporting = await startService('reporting-service', ReportingApp.register({ pgUrl: reportingDb.url, consumerGroupId: `reporting-webgantt-e2e-${randomBytes(4).toString('hex')}` }));
    const closed = new URL('http://127.0.0.1:9');
    gateway = await startGateway({ upstreams: { planning: new URL(planning.url), reporting: new URL(reporting.url), resource: closed, risk: closed, notification: closed }, webRoot });
    browser = await launchBrowser();
    page = await (await openContext(browser, gateway.url)).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await reporting?.close();
    await planning?.close();
    await reportingDb?.drop();
    await planningDb?.drop();
    fs.rmSync(webRoot, { recursive: true, force: true });
    await topics?.remove();
  });


  const scheduleOf = async (id = projectId): Promise<TaskRow[]> => (await readSchedule(id)).tasks;
  const readSchedule = async (id: string): Promise<{ tasks: TaskRow[]; dependencies: LinkRow[] }> => {
    const token = await signDevToken({ tenant, roles: ['viewer'], sub: 'checker' });
    return (await request(planning.url).get(`/projects/${id}/schedule`).set('authorization', `Bearer ${token}`).expect(200)).body;
  };
  const row = (taskId: string) => page.locator(`.gantt-grid [role="row"][data-task-id="${taskId}"]`);

  it('imports a Microsoft Project file through the page and follows the job to the Gantt', async () => {
    await page.goto('/');
    await page.getByLabel('Tenant').fill(tenant);
    await page.getByLabel('Role').selectOption('project-manager');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
    // A newcomer's first screen in an organisation with no project says how to get one (the demo portfolio included).
    await page.getByText('No projects in this organisation yet.').waitFor({ timeout: 30_000 });
    expect(await page.locator('.empty-portfolio').textContent()).toContain('npm start seeds a demo portfolio');
    await checkScreen(page, 'portfolio-empty');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import a Microsoft Project plan' }).waitFor();
    await checkScreen(page, 'import');
    await page.getByLabel('Project name').fill('Task links 2010');
    await page.getByLabel('Microsoft Project XML file').setInputFiles(FILE);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Import succeeded').waitFor({ timeout: 60_000 });
    projectId = new URL(page.url()).searchParams.get('project') ?? '';
    expect(projectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByRole('progressbar', { name: 'Import progress' }).getAttribute('value')).toBe('100');
    const exportHref = await page.getByRole('link', { name: 'Export it back to XML' }).getAttribute('href');
    const exported = await page.request.get(exportHref ?? '');
    expect([exported.status(), exported.headers()['content-type']]).toEqual([200, 'application/xml; charset=utf-8']);
    expect(await exported.text()).toContain('<Project');
    await checkScreen(page, 'import-done');
    await page.getByRole('link', { name: 'Open the project’s Gantt' }).click();
    await page.locator('.gantt-grid [role="row"]').first().waitFor();
  }, 90_000);

  it('marks the critical path, then moves dates and the critical path when a duration changes; a refusal keeps the typed value', async () => {
    const before = await scheduleOf();
    const work = before.filter((t) => t.kind === 'task');
    const critical = work.filter((t) => t.critical);
    // The rows the service calls critical are the rows the page marks, with red bars in the chart.
    expect(critical.length).toBeGreaterThan(0);
    for (const t of critical.slice(0, 3)) {
      await expect(row(t.taskId).getAttribute('data-critical')).resolves.toBe('true');
      await expect(page.locator(`.gantt-chart g[data-task-id="${t.taskId}"] .gantt-bar.critical`).count()).resolves.toBe(1);
    }
    expect(await page.locator('.gantt-link').count()).toBeGreaterThan(0);
    await checkScreen(page, 'project-gantt');

    // A task with float, lengthened by its float plus two days, becomes critical and finishes later.
    const slack = work.find((t) => !t.critical && (t.totalFloat ?? 0) > 0 && t.finish);
    if (!slack) throw new Error('the file should hold a task with float');
    const longer = slack.durationDays + (slack.totalFloat ?? 0) + 2;
    await expect(row(slack.taskId).getAttribute('data-critical')).resolves.toBe('false');
    await row(slack.taskId).getByRole('button', { name: /change the duration of/ }).click();
    const input = row(slack.taskId).getByRole('textbox');
    await input.fill('-3');
    await input.press('Enter');
    const refusal = page.locator('.plan [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/not valid|durationDays/i);
    expect(await input.inputValue()).toBe('-3');
    await input.fill(String(longer));
    await input.press('Enter');
    await page.locator(`.gantt-grid [role="row"][data-task-id="${slack.taskId}"][data-critical="true"]`).waitFor({ timeout: 30_000 });
    const after = (await scheduleOf()).find((t) => t.taskId === slack.taskId);
    expect(after).toMatchObject({ durationDays: longer, critical: true });
    expect(after?.finish && slack.finish && after.finish > slack.finish).toBe(true);
    await expect(row(slack.taskId).locator('[role="cell"]').nth(3).textContent()).resolves.toBe(after?.finish);
    await expect(refusal.count()).resolves.toBe(0);
    await checkScreen(page, 'project-gantt-changed');
  }, 90_000);

  it('draws summary bars, milestones, the four link types, baseline 0 under the current bars and the status date', async () => {
    // MPXJ's sample plan: summaries, a milestone and FS/SS/FF/SF links, imported through the API this time.
    const token = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-sample' });
    const as = (req: request.Test) => req.set('authorization', `Bearer ${token}`);
    sampleId = (await as(request(planning.url).post('/projects')).send({ name: 'MPXJ sample' }).expect(201)).body.projectId as string;
    const job = (await as(request(planning.url).post(`/projects/${sampleId}/schedule/import`)).set('content-type', 'application/xml').send(fs.readFileSync(SAMPLE, 'utf8')).expect(202)).body.id as string;
    await waitFor(async () => (await as(request(planning.url).get(`/projects/${sampleId}/schedule/imports/${job}`)).expect(200)).body.state === 'succeeded' || undefined, {
      timeoutMs: 60_000,
      what: 'the sample plan imported',
    });
    await as(request(planning.url).put(`/projects/${sampleId}/schedule/baselines/0`)).send({}).expect(200);
    const tasks = (await as(request(planning.url).get(`/projects/${sampleId}/schedule`)).expect(200)).body.tasks as TaskRow[];
    const statusDate = tasks.map((t) => t.finish).filter((f): f is string => !!f).sort()[0];
    await as(request(planning.url).put(`/projects/${sampleId}/status-date`)).send({ statusDate }).expect(200);
    // The schedule read is a projection: open the page once it has the status date.
    await waitFor(async () => (await as(request(planning.url).get(`/projects/${sampleId}/schedule`)).expect(200)).body.statusDate === statusDate || undefined, {
      timeoutMs: 15_000,
      what: 'the status date in the schedule read',
    });

    await page.goto(`/projects/${sampleId}`);
    await page.getByText(`status date ${statusDate}`).waitFor({ timeout: 30_000 });
    const chart = page.locator('.gantt-chart');
    await chart.locator('.gantt-baseline').first().waitFor({ timeout: 15_000 });
    const drawn = async (kind: string) => (await chart.locator(`g[data-task-id]:has(.gantt-${kind})`).evaluateAll((gs) => gs.map((g) => g.getAttribute('data-task-id')))).sort();
    const ids = (kind: string) => tasks.filter((t) => t.kind === kind).map((t) => t.taskId).sort();
    expect(ids('summary').length).toBeGreaterThan(0);
    expect(ids('milestone').length).toBeGreaterThan(0);
    expect(await drawn('summary')).toEqual(ids('summary'));
    expect(await drawn('milestone')).toEqual(ids('milestone'));
    expect(new Set(await chart.locator('.gantt-link').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-link-type'))))).toEqual(new Set(['FS', 'SS', 'FF', 'SF']));
    // Baseline 0 was saved from this plan: a grey bar under every dated leaf task.
    expect(await drawn('baseline')).toEqual(expect.arrayContaining(tasks.filter((t) => t.kind === 'task' && t.finish).map((t) => t.taskId)));
    // The status-date line inside the chart, at the same x as its day in the timeline above.
    const [line, head, width] = await Promise.all([
      chart.locator('.gantt-status').getAttribute('x1'),
      page.locator('.gantt-timeline .gantt-status').getAttribute('x1'),
      chart.getAttribute('width'),
    ]);
    expect(Number(line)).toBeGreaterThan(0);
    expect(Number(line)).toBeLessThan(Number(width));
    expect(head).toBe(line);
    await checkScreen(page, 'project-gantt-shapes');
  }, 120_000);

  it("changes a link's lag in place and shows the successor's new dates", async () => {
    const before = await readSchedule(sampleId);
    const byId = new Map(before.tasks.map((t) => [t.taskId, t]));
    // A finish-to-start link between two tasks, the only link into its successor: its lag alone sets that start.
    const link = before.dependencies.find(
      (l) => l.type === 'FS' && byId.get(l.predecessorId)?.kind === 'task' && byId.get(l.successorId)?.kind === 'task' && before.dependencies.filter((o) => o.successorId === l.successorId).length === 1,
    );
    if (!link) throw new Error('the sample plan should hold a finish-to-start link into a task with no other predecessor');
    const [pred, succ] = [byId.get(link.predecessorId)!, byId.get(link.successorId)!];
    await row(succ.taskId).locator('.gantt-name').click();
    await page.getByRole('heading', { name: `${succ.wbsCode} ${succ.name}`, exact: true }).waitFor();
    const item = page.locator('.task-links li', { hasText: `${pred.wbsCode} ${pred.name} → ${succ.wbsCode} ${succ.name}` });
    await item.getByLabel('Lag (working days)').fill(String(link.lagDays + 3));
    await item.getByRole('button', { name: 'Change lag' }).click();
    await item.getByText(`lag ${link.lagDays + 3} d`).waitFor({ timeout: 30_000 });
    const after = (await scheduleOf(sampleId)).find((t) => t.taskId === succ.taskId);
    expect(after?.start && succ.start && after.start > succ.start).toBe(true);
    await expect(row(succ.taskId).locator('[role="cell"]').nth(2).textContent()).resolves.toBe(after?.start);
    await checkScreen(page, 'project-link-changed');
  }, 90_000);

  it('compares with a chosen baseline and saves the current plan as one; saving over a different one asks first', async () => {
    // Baseline 0 was saved before the lag change above: against it, the successor slipped.
    await page.goto(`/projects/${sampleId}`);
    const panel = page.locator('section[aria-labelledby="variance-title"]');
    const slips = panel.getByRole('table', { name: 'Largest finish variance' });
    await slips.waitFor({ timeout: 30_000 });
    const variances = await slips.locator('tbody tr td:last-child').allTextContents();
    expect(variances.some((v) => Number.parseFloat(v) > 0)).toBe(true);

    await panel.getByLabel('Compare with').selectOption('1');
    await waitFor(async () => new URL(page.url()).searchParams.get('baseline') === '1' || undefined, { what: 'the chosen baseline in the address' });
    await panel.getByText('No Baseline 1 saved yet.').waitFor({ timeout: 15_000 });
    await expect(page.locator('.gantt-chart .gantt-baseline').count()).resolves.toBe(0);

    await panel.getByRole('button', { name: 'Save the current plan as Baseline 1' }).click();
    await panel.getByText('Baseline 1 saved.').waitFor({ timeout: 30_000 });
    // Saved from the plan as it is now: no variance against it, and its bars are drawn under the current ones.
    await panel.locator('.figure', { hasText: 'Finish variance' }).getByText('0 d').waitFor({ timeout: 15_000 });
    await page.locator('.gantt-chart .gantt-baseline').first().waitFor({ timeout: 15_000 });

    // Saving over baseline 0, taken before the lag change, is refused in words until the person says to replace it.
    await panel.getByLabel('Compare with').selectOption('0');
    await waitFor(async () => !new URL(page.url()).searchParams.has('baseline') || undefined, { what: 'baseline 0 chosen again' });
    await panel.getByRole('button', { name: 'Save the current plan as Baseline 0' }).click();
    await panel.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await panel.getByRole('alert').textContent()).toMatch(/already saved/i);
    await panel.getByLabel('Replace Baseline 0 if it was saved').check();
    await panel.getByRole('button', { name: 'Save the current plan as Baseline 0' }).click();
    await panel.getByText('Baseline 0 saved.').waitFor({ timeout: 30_000 });
    await expect(panel.getByRole('alert').count()).resolves.toBe(0);
    await waitFor(async () => (await slips.locator('tbody tr td:last-child').allTextContents()).every((v) => Number.parseFloat(v) === 0) || undefined, {
      what: 'no slip against the replaced baseline 0',
    });
    await checkScreen(page, 'project-baselines');
  }, 90_000);

  it("opens an e-mail's link to a task (/projects/p/tasks/t) on the task in its Gantt", async () => {
    const task = (await readSchedule(sampleId)).tasks.find((t) => t.kind === 'task');
    if (!task) throw new Error('the sample plan has tasks');
    await page.goto(`/projects/${encodeURIComponent(sampleId)}/tasks/${encodeURIComponent(task.taskId)}`);
    await page.getByRole('heading', { name: `${task.wbsCode} ${task.name}`, exact: true }).waitFor({ timeout: 30_000 });
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('task')]).toEqual([`/projects/${sampleId}`, task.taskId]);
  }, 60_000);
});
