/*
 * `npm run bench:web-gantt` (issue 14 point 3): a 2,000-task plan in the Project screen's Gantt, in Debian's Chromium.
 *
 * - Sets itself up: a fresh planning database, Kafka topics of its own, the planning service as a child process (as
 *   `npm start` runs it), the web app built fresh with Vite and served by the gateway (apps/gateway) on a free port;
 *   everything is removed at the end. Only planning runs: the Gantt reads planning alone (the screen's reporting
 *   figures answer 502 in words here; they are not what is measured).
 * - The plan: a file of ../shared/testdata/mspdi with at least BENCH_TASKS tasks if there is one (read in place,
 *   never copied); there is none that large today (the biggest holds about a hundred), so the bench generates one with
 *   bench/plan-mspdi.ts (stages, phases, chains, fan-in and fan-out links: a real programme's shape) and says so.
 * - Imported over HTTP (POST .../schedule/import, the job followed to the end), then the schedule read once (warm).
 * - Open: BENCH_OPENS fresh pages (default 3) go to /projects/{id}; the time to first render of the rows is the
 *   `gantt:rows-rendered` performance mark the Gantt sets when its first rows are in the DOM, from the navigation's
 *   start (performance.timeOrigin): the app's scripts, the session check, the schedule's first page read through the
 *   gateway, React's render. Goal: under 1 s. `gantt:whole-plan-rendered` (all 2,000 rows scrollable, the whole
 *   schedule read) is printed beside it.
 * - Scroll: on the last page, the Gantt scrolled from top to bottom, BENCH_SCROLL_STEP px (default 140 px = 5 rows)
 *   per animation frame, as a fast wheel or a dragged scrollbar does; long tasks (PerformanceObserver 'longtask',
 *   registered before the page's scripts run) during the scroll. Goal: none over 50 ms. The most rows in the DOM at
 *   any frame is printed too (it stays near a screenful: the rows are virtualised).
 *
 * Env: BENCH_TASKS (default 2000), BENCH_OPENS (default 3), BENCH_SCROLL_STEP (default 140), BENCH_LOG_LEVEL,
 * CHROMIUM_PATH (default /usr/bin/chromium), PG_URL and KAFKA_BROKERS (set by scripts/bench.mjs --postgres --kafka).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { signDevToken } from '@pm/platform/auth';
import { buildWebApp, chromiumOrExplain, startGateway } from '../test/e2e/web-harness';
import { writePlanFile } from './plan-mspdi';
import { createDatabase, dbUrl } from './rig/bench-pg';
import { call, expectJson } from './rig/http-client';
import { runBench } from './rig/run-scope';
import type { RunScope } from './rig/run-scope';
import { startService, waitReady } from './rig/service-process';
import { ms } from './rig/stats';

const positive = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
};
const TASKS = positive('BENCH_TASKS', 2000);
const OPENS = positive('BENCH_OPENS', 3);
const SCROLL_STEP = positive('BENCH_SCROLL_STEP', 140);
const OPEN_GOAL_MS = 1000;
const LONG_TASK_GOAL_MS = 50;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const RUN = randomBytes(4).toString('hex');
const TOPIC_PREFIX = `bench-web-gantt-${RUN}.`;
const TOPICS = ['planning', 'resource', 'risk', 'notification'].map((c) => `${TOPIC_PREFIX}pm.${c}.events`);
const DB = `bench_web_gantt_${RUN}`;
const TESTDATA = path.resolve(process.cwd(), '../shared/testdata/mspdi');
const TENANT = `bench-gantt-${RUN}`;

const log = (msg: string) => process.stderr.write(`[bench:web-gantt] ${msg}\n`);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** A file of the shared test data with at least `tasks` Task elements, read where it lies; else a generated plan. */
function planFile(tmp: string): { file: string; tasks: number; source: string } {
  if (!fs.existsSync(TESTDATA)) {
    log(`${TESTDATA} is absent: generating the plan`);
  } else {
    const sizes = fs
      .readdirSync(TESTDATA)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => ({ file: path.join(TESTDATA, f), tasks: (fs.readFileSync(path.join(TESTDATA, f), 'utf8').match(/<Task>/g) ?? []).length }))
      .sort((a, b) => b.tasks - a.tasks);
    const big = sizes.find((s) => s.tasks >= TASKS);
    if (big) return { ...big, source: `${path.relative(process.cwd(), big.file)} (shared test data, read in place)` };
    log(`no file of ${TESTDATA} has ${TASKS} tasks (the largest, ${path.basename(sizes[0]?.file ?? '-')}, has ${sizes[0]?.tasks ?? 0}): generating the plan`);
  }
  const file = path.join(tmp, `plan-${TASKS}.xml`);
  const plan = writePlanFile(file, TASKS);
  return { file, tasks: plan.tasks, source: `generated by bench/plan-mspdi.ts (${plan.summaries} summaries, ${plan.links} links)` };
}

// The in-page code is text: the bench's TypeScript has no DOM types (Node's lib only), and the page runs it as is.

/** Registered before any script of the page runs, so no long task escapes it. */
const OBSERVE_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });`;

interface OpenFigures {
  readonly rowsRenderedMs: number;
  readonly wholePlanMs: number;
  readonly rowsInDom: number;
  readonly longTasksWhileOpening: number[];
}

async function openGantt(page: Page, projectId: string): Promise<OpenFigures> {
  await page.goto(`/projects/${projectId}`);
  // Polled with evaluate: waitForFunction compiles its text with eval, which the page's CSP (no 'unsafe-eval') refuses.
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate<boolean>(`performance.getEntriesByName('gantt:whole-plan-rendered').length > 0`))) {
    if (Date.now() > deadline) throw new Error('the Gantt did not render the whole plan within 60 s');
    await sleep(20);
  }
  return page.evaluate<OpenFigures>(`(() => {
    const mark = performance.getEntriesByName('gantt:rows-rendered')[0];
    const whole = performance.getEntriesByName('gantt:whole-plan-rendered')[0];
    return {
      rowsRenderedMs: mark.startTime,
      wholePlanMs: whole.startTime,
      rowsInDom: document.querySelectorAll('.gantt-grid [role="row"]').length,
      longTasksWhileOpening: window.__longTasks.filter((t) => t.start <= whole.startTime).map((t) => t.duration),
    };
  })()`);
}

interface ScrollFigures {
  readonly ms: number;
  readonly frames: number;
  readonly maxRows: number;
  readonly longTasks: number[];
}

/** Top to bottom, one step per animation frame; the long tasks that started during it, and the most rows in the DOM. */
async function scrollThrough(page: Page): Promise<ScrollFigures> {
  await page.waitForTimeout(500); // let the opening settle: what is measured is the scroll
  return page.evaluate<ScrollFigures>(`(async (step) => {
    const el = document.querySelector('.gantt-scroll');
    if (!el) throw new Error('no Gantt on the page');
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    el.scrollTop = 0;
    await frame();
    const start = performance.now();
    let frames = 0;
    let maxRows = 0;
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
      el.scrollTop += step;
      await frame();
      frames++;
      maxRows = Math.max(maxRows, el.querySelectorAll('.gantt-grid [role="row"]').length);
    }
    await frame();
    await new Promise((r) => setTimeout(r, 300)); // a long task is reported once it has ended
    const end = performance.now();
    return { ms: end - start, frames, maxRows, longTasks: window.__longTasks.filter((t) => t.start >= start && t.start <= end).map((t) => t.duration) };
  })(${SCROLL_STEP})`);
}

/**
 * The floor: the same scroll, same step and frames, over a page with no script at all (a tall empty scroller), in
 * the same browser at the same moment. Long tasks there are the machine's (other processes on the shared cores),
 * not the Gantt's: the Gantt's figures are read against it.
 */
async function scrollFloor(page: Page, height: number): Promise<ScrollFigures> {
  await page.goto('about:blank');
  await page.setContent(`<div class="gantt-scroll" style="height:700px;overflow:auto"><div style="height:${height}px;background:linear-gradient(#fff,#ccc)"></div></div>`);
  await page.evaluate(OBSERVE_LONG_TASKS);
  return scrollThrough(page);
}

async function main(scope: RunScope): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-web-gantt-'));
  scope.defer('removing the temp folder', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const plan = planFile(tmp);
  log(`plan: ${plan.tasks} tasks, ${plan.source}`);

  const kafka = new Kafka({ clientId: `bench-web-gantt-${RUN}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  scope.defer('disconnecting the admin client', () => admin.disconnect());
  await admin.connect();
  scope.defer(`deleting topics ${TOPIC_PREFIX}*`, async () => {
    await admin.deleteTopics({ topics: TOPICS, timeout: 30_000 }).catch((e: Error) => log(`deleting topics failed: ${e.message}`));
  });
  await admin.createTopics({ waitForLeaders: true, topics: TOPICS.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })) });
  await createDatabase(scope, DB);

  log('building the web app and starting planning (a child process, as npm start runs it)');
  const webRoot = path.join(tmp, 'web');
  buildWebApp(webRoot);
  const planning = await startService(scope, 'planning-service', {
    runLabel: `bench-web-gantt-${RUN}`,
    topicPrefix: TOPIC_PREFIX,
    brokers: BROKERS,
    logLevel: LOG_LEVEL,
    env: { PG_URL: dbUrl(DB), PLANNING_CONSUMER_GROUP: `bench-web-gantt-${RUN}` },
  });
  await waitReady(planning);
  const closed = new URL('http://127.0.0.1:9');
  const gateway = await startGateway({ upstreams: { planning: new URL(`http://127.0.0.1:${planning.port}`), reporting: closed, resource: closed, risk: closed, notification: closed }, webRoot, bodyLimitBytes: 100 * 1024 * 1024 });
  scope.defer('closing the gateway', () => gateway.close());

  const token = await signDevToken({ tenant: TENANT, roles: ['project-manager'], sub: 'bench' });
  const agent = new http.Agent({ keepAlive: true });
  scope.defer('closing the HTTP agent', () => agent.destroy());
  const port = planning.port;
  const { projectId } = expectJson<{ projectId: string }>(await call({ port, agent, token, method: 'POST', path: '/projects', json: { name: `Gantt bench ${plan.tasks} tasks` } }), 201, 'create project');
  const accepted = await call({ port, agent, token, method: 'POST', path: `/projects/${projectId}/schedule/import`, file: { path: plan.file, contentType: 'application/xml' }, timeoutMs: 600_000 });
  let job = expectJson<{ id: string; state: string; error: unknown }>(accepted, 202, 'import');
  const importStarted = Date.now();
  while (job.state === 'queued' || job.state === 'running') {
    await sleep(250);
    job = expectJson(await call({ port, agent, token, method: 'GET', path: `/projects/${projectId}/schedule/imports/${job.id}` }), 200, 'import job');
  }
  if (job.state !== 'succeeded') throw new Error(`import ${job.state}: ${JSON.stringify(job.error)}`);
  log(`imported in ${((Date.now() - importStarted) / 1000).toFixed(1)} s`);
  let read = await call({ port, agent, token, method: 'GET', path: `/projects/${projectId}/schedule` });
  while (read.status === 404) {
    await sleep(250);
    read = await call({ port, agent, token, method: 'GET', path: `/projects/${projectId}/schedule` });
  }
  const schedule = expectJson<{ tasks: Array<{ critical?: boolean }> }>(read, 200, 'schedule');
  log(`schedule: ${schedule.tasks.length} tasks, ${schedule.tasks.filter((t) => t.critical).length} critical, ${(read.body.length / 1024).toFixed(0)} KiB, ${ms(read.ms)} from planning directly`);

  const browser = await chromium.launch({ executablePath: chromiumOrExplain(), headless: true, chromiumSandbox: false });
  scope.defer('closing Chromium', () => browser.close());
  const context = await browser.newContext({ baseURL: gateway.url, viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' });
  await context.addInitScript({ content: OBSERVE_LONG_TASKS });
  const signIn = await context.request.post('/auth/dev-sign-in', { headers: { 'x-requested-with': 'pm-web', origin: gateway.url }, data: { tenant: TENANT, role: 'project-manager' } });
  if (!signIn.ok()) throw new Error(`dev sign-in: HTTP ${signIn.status()} ${await signIn.text()}`);

  const opens: OpenFigures[] = [];
  let page: Page | undefined;
  for (let i = 0; i < OPENS; i++) {
    await page?.close();
    page = await context.newPage();
    opens.push(await openGantt(page, projectId));
  }
  if (!page) throw new Error('BENCH_OPENS must be at least 1');
  const scroll = await scrollThrough(page);
  const floor = await scrollFloor(page, schedule.tasks.length * 28);

  const sorted = opens.map((o) => o.rowsRenderedMs).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const worstLong = Math.max(0, ...scroll.longTasks);
  const openLong = opens.flatMap((o) => o.longTasksWhileOpening);
  console.log(`\nbench:web-gantt: ${plan.tasks} tasks (${plan.source}); Chromium ${browser.version()}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
  console.log(`open /projects/{id} → first rows rendered: ${opens.map((o) => ms(o.rowsRenderedMs)).join(', ')} (first page cold, then warm); median ${ms(median)}; goal < ${OPEN_GOAL_MS} ms: ${median < OPEN_GOAL_MS ? 'met' : 'NOT met'}`);
  console.log(`whole plan (${plan.tasks} rows scrollable) rendered: ${opens.map((o) => ms(o.wholePlanMs)).join(', ')}`);
  console.log(`rows in the DOM after opening: ${opens[opens.length - 1].rowsInDom} of ${schedule.tasks.length}; long tasks until the whole plan is in: ${openLong.length ? openLong.map((d) => ms(d)).join(', ') : 'none'}`);
  console.log(`scroll top→bottom: ${scroll.frames} frames of ${SCROLL_STEP} px in ${ms(scroll.ms)} (${(scroll.frames / (scroll.ms / 1000)).toFixed(0)} frames/s), at most ${scroll.maxRows} rows in the DOM`);
  console.log(`long tasks during the scroll: ${scroll.longTasks.length} (${scroll.longTasks.map((d) => ms(d)).join(', ') || 'none'}); worst ${ms(worstLong)}; goal none over ${LONG_TASK_GOAL_MS} ms: ${worstLong <= LONG_TASK_GOAL_MS ? 'met' : 'NOT met'}`);
  const floorWorst = Math.max(0, ...floor.longTasks);
  console.log(`floor (the same scroll over a page without script, same browser, same moment): ${floor.frames} frames in ${ms(floor.ms)}; long tasks ${floor.longTasks.length}, worst ${ms(floorWorst)}`);
  scope.succeeded = true;
}

runBench(log, main);
