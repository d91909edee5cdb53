/*
 * `npm run bench:portfolio` (issue 13 point 6): seeds a portfolio through the services' HTTP APIs, waits until the
 * reporting read model has every project, then measures the portfolio reads against a floor measured in the same run.
 *
 * - planning, resource, risk and reporting services run as child processes, as `npm start` runs them, each on a fresh
 *   database and a consumer group of its own, on Kafka topics of their own (bench/rig), all removed at the end.
 * - Seeding: bench/portfolio-seed/seeder.ts (ADR 0505): BENCH_PROJECTS projects (default 1,000) of BENCH_TASKS tasks
 *   (default 200) over BENCH_TENANTS tenants (default 3; the first holds half the projects), imported as Microsoft
 *   Project XML with baseline, progress and status date, people, assignments, risks with assessments; then a second
 *   pass (assignments, a week's progress and the next status date). Rate: projects/s and requests/s.
 * - Visible: reporting's `portfolio_project_facts` has every project current, `portfolio_schedule_facts` every one at
 *   the second status date, and `portfolio_risk_facts` every one (raw pg on its database, once a second).
 * - Reads (of the first, largest tenant): BENCH_READS sequential requests per route (default 200) after 10 warm-up
 *   ones; p50 / p99. Routes: GET /portfolio, ?sort=health, GET /projects/{id} (over the projects in turn), GET
 *   /portfolio?asOf=<the instant between the seeder's passes>, and the heat map / S-curve routes where the service has
 *   them (a route that answers 404 is skipped with a line saying so). `asOf` is not "a month back": commands cannot
 *   back-date recorded time and the seeding takes minutes, so the instant is inside the seeding window, where every
 *   project exists with its first status date's figures (older rows than the current ones: the asOf path of ADR 0500).
 * - Floor: the same rows read with one raw pg query on the reporting database (the current, or valid-at, rows of the
 *   project, schedule and risk fact tables of the tenant, joined per project), the same number of times.
 *
 * Env: BENCH_PROJECTS, BENCH_TASKS, BENCH_TENANTS, BENCH_SEED (default 1), BENCH_SEED_CONCURRENCY (default 4),
 * BENCH_READS (default 200), BENCH_VISIBLE_TIMEOUT_SECONDS (default 900), BENCH_LOG_LEVEL (services', default warn),
 * BENCH_SAVE_DUMP / BENCH_FROM_DUMP (save the seeded reporting database; measure the reads only on a saved one), PG_URL and KAFKA_BROKERS (set by scripts/bench.mjs --postgres --kafka).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { signDevToken } from '@pm/platform/auth';
import { createDatabase, dbUrl, serverVersion } from './rig/bench-pg';
import { call } from './rig/http-client';
import { runBench } from './rig/run-scope';
import type { RunScope } from './rig/run-scope';
import { startService, waitReady } from './rig/service-process';
import type { ServiceProcess } from './rig/service-process';
import { ms, ratio, summarise } from './rig/stats';
import type { Summary } from './rig/stats';
import { addDays } from './portfolio-seed/seed-plan';
import { defaultStatusDate, seedPortfolio } from './portfolio-seed/seeder';
import type { SeedResult } from './portfolio-seed/seeder';

const positive = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
};
const PROJECTS = positive('BENCH_PROJECTS', 1000);
const TASKS = positive('BENCH_TASKS', 200);
const TENANTS = positive('BENCH_TENANTS', 3);
const SEED = positive('BENCH_SEED', 1);
const CONCURRENCY = positive('BENCH_SEED_CONCURRENCY', 4);
const READS = positive('BENCH_READS', 200);
const VISIBLE_TIMEOUT_MS = positive('BENCH_VISIBLE_TIMEOUT_SECONDS', 900) * 1000;
const WARM_UP = 10;
const GOAL_MS = 100;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
/**
 * BENCH_SAVE_DUMP=<file>: after seeding, the reporting database is saved there (pg_dump, without the inbox) with a
 * `<file>.json` of what the reads need. BENCH_FROM_DUMP=<file>: no seeding and no other service; the reporting
 * service starts on that database restored, and the reads are measured: a change to the read side is measured
 * again in minutes on the same 1,000 projects instead of after the hour the seeding takes.
 */
const SAVE_DUMP = process.env.BENCH_SAVE_DUMP || undefined;
const FROM_DUMP = process.env.BENCH_FROM_DUMP || undefined;
if (TASKS < 3) throw new Error('BENCH_TASKS must be at least 3');

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const RUN = randomBytes(4).toString('hex');
const TOPIC_PREFIX = `bench-portfolio-${RUN}.`;
const CONTEXT_TOPICS = ['planning', 'resource', 'risk', 'notification'].map((c) => `${TOPIC_PREFIX}pm.${c}.events`);
const SERVICES = ['planning', 'resource', 'risk', 'reporting'] as const;
type ServiceName = (typeof SERVICES)[number];
const DB = Object.fromEntries(SERVICES.map((s) => [s, `bench_portfolio_${RUN}_${s}`])) as Record<ServiceName, string>;
const GROUP_ENV: Record<ServiceName, string> = { planning: 'PLANNING_CONSUMER_GROUP', resource: 'RESOURCE_CONSUMER_GROUP', risk: 'RISK_CONSUMER_GROUP', reporting: 'REPORTING_CONSUMER_GROUP' };
const group = (s: ServiceName) => `bench-portfolio-${RUN}-${s}`;

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const log = (msg: string) => process.stderr.write(`[bench:portfolio] ${msg}\n`);

/** The rows a portfolio answer is made of, read raw: current rows, or those valid at $3 when it is set. */
const FLOOR_SQL = `
  SELECT p.*, s.*, r.* FROM portfolio_project_facts p
  LEFT JOIN portfolio_schedule_facts s ON s.tenant_id = p.tenant_id AND s.project_id = p.project_id
    AND (CASE WHEN $3::timestamptz IS NULL THEN s.valid_to = 'infinity' ELSE s.valid_from <= $3 AND $3 < s.valid_to END)
  LEFT JOIN portfolio_risk_facts r ON r.tenant_id = p.tenant_id AND r.project_id = p.project_id
    AND (CASE WHEN $3::timestamptz IS NULL THEN r.valid_to = 'infinity' ELSE r.valid_from <= $3 AND $3 < r.valid_to END)
  WHERE p.tenant_id = $1 AND ($2::uuid IS NULL OR p.project_id = $2)
    AND (CASE WHEN $3::timestamptz IS NULL THEN p.valid_to = 'infinity' ELSE p.valid_from <= $3 AND $3 < p.valid_to END)`;

interface Route {
  readonly name: string;
  /** The i-th request's path. */
  readonly path: (i: number) => string;
  /** The floor's rows: one project (its id for the i-th read) or the whole tenant, now or as of the instant. */
  readonly floor: ((i: number) => { projectId: string | null; asOf: Date | null }) | null;
}

function routes(projectIds: readonly string[], asOf: Date, statusDate: string): Route[] {
  const id = (i: number) => projectIds[i % projectIds.length];
  const whole = () => ({ projectId: null, asOf: null });
  const asOfParam = encodeURIComponent(asOf.toISOString());
  // The half year a PMO looks at: 12 weeks back and 14 ahead of the status date.
  const window = `from=${addDays(statusDate, -88)}&to=${addDays(statusDate, 93)}`;
  return [
    { name: 'GET /portfolio (first page)', path: () => '/portfolio', floor: whole },
    { name: 'GET /portfolio?sort=health', path: () => '/portfolio?sort=health', floor: whole },
    { name: 'GET /projects/{id}', path: (i) => `/projects/${id(i)}`, floor: (i) => ({ projectId: id(i), asOf: null }) },
    { name: 'GET /portfolio?asOf=<between the passes>', path: () => `/portfolio?asOf=${asOfParam}`, floor: () => ({ projectId: null, asOf }) },
    { name: 'GET /projects/{id}?asOf=<between the passes>', path: (i) => `/projects/${id(i)}?asOf=${asOfParam}`, floor: (i) => ({ projectId: id(i), asOf }) },
    // The views of issue 13 point 2, measured where the service has them (a route that answers 404 is skipped).
    { name: 'GET /portfolio/utilisation-heat-map (by resource, 26 weeks)', path: () => `/portfolio/utilisation-heat-map?${window}`, floor: null },
    { name: 'GET /portfolio/utilisation-heat-map (by role, months)', path: () => `/portfolio/utilisation-heat-map?by=role&interval=month&${window}`, floor: null },
    { name: 'GET /portfolio/risk-heat-map', path: () => '/portfolio/risk-heat-map', floor: null },
    { name: 'GET /portfolio/risk-heat-map?asOf=<between the passes>', path: () => `/portfolio/risk-heat-map?asOf=${asOfParam}`, floor: null },
    { name: "GET /portfolio/risks (a cell's click-through)", path: () => '/portfolio/risks?probability=2&impact=2', floor: null },
    { name: 'GET /portfolio/s-curve', path: () => '/portfolio/s-curve', floor: null },
    { name: 'GET /projects/{id}/s-curve', path: (i) => `/projects/${id(i)}/s-curve`, floor: null },
    { name: 'GET /projects/{id}/milestone-trend', path: (i) => `/projects/${id(i)}/milestone-trend`, floor: null },
  ];
}

async function waitVisible(pool: Pool, tenants: readonly string[], expected: number, statusDate: string, aborted: () => boolean): Promise<number> {
  const started = performance.now();
  let last = '';
  for (;;) {
    const { rows } = await pool.query<{ projects: number; scheduled: number; risks: number }>(
      `SELECT (SELECT count(*)::int FROM portfolio_project_facts WHERE tenant_id = ANY($1) AND valid_to = 'infinity') AS projects,
              (SELECT count(*)::int FROM portfolio_schedule_facts WHERE tenant_id = ANY($1) AND valid_to = 'infinity' AND status_date = $2::date) AS scheduled,
              (SELECT count(*)::int FROM portfolio_risk_facts WHERE tenant_id = ANY($1) AND valid_to = 'infinity') AS risks`,
      [tenants, statusDate],
    );
    const { projects, scheduled, risks } = rows[0];
    if (projects >= expected && scheduled >= expected && risks >= expected) return performance.now() - started;
    const now = `${projects}/${expected} projects, ${scheduled}/${expected} at status date ${statusDate}, ${risks}/${expected} with risk exposure`;
    if (now !== last) log(`read model: ${now}`);
    last = now;
    if (aborted()) throw new Error('interrupted');
    if (performance.now() - started > VISIBLE_TIMEOUT_MS) {
      log(`read model incomplete after ${VISIBLE_TIMEOUT_MS / 1000} s (${now}); measuring what it has`);
      return Infinity;
    }
    await sleep(1000);
  }
}

interface Measured {
  readonly route: Route;
  readonly skipped?: string;
  readonly api?: Summary;
  readonly floor?: Summary;
  readonly bytes?: number;
  readonly items?: number;
}

async function measure(route: Route, o: { port: number; token: string; agent: http.Agent; pool: Pool; tenant: string; aborted: () => boolean }): Promise<Measured> {
  const probe = await call({ port: o.port, agent: o.agent, method: 'GET', path: route.path(0), token: o.token });
  // The portfolio and project pages exist (a 404 there is a failure); a view that answers 404 is not on this branch.
  if (probe.status === 404 && route.floor === null) {
    return { route, skipped: `answers 404 (${(JSON.parse(probe.body.toString('utf8') || '{}') as { code?: string }).code ?? 'no such route'}): not on this branch yet` };
  }
  if (probe.status !== 200) throw new Error(`${route.name}: HTTP ${probe.status} ${probe.body.toString('utf8').slice(0, 300)}`);
  const body = JSON.parse(probe.body.toString('utf8')) as { items?: unknown[] };
  const api: number[] = [];
  for (let i = 0; i < WARM_UP + READS && !o.aborted(); i++) {
    const answer = await call({ port: o.port, agent: o.agent, method: 'GET', path: route.path(i), token: o.token });
    if (answer.status !== 200) throw new Error(`${route.name}: HTTP ${answer.status}`);
    if (i >= WARM_UP) api.push(answer.ms);
  }
  let floor: Summary | undefined;
  if (route.floor) {
    const samples: number[] = [];
    for (let i = 0; i < WARM_UP + READS && !o.aborted(); i++) {
      const { projectId, asOf } = route.floor(i);
      const started = performance.now();
      await o.pool.query(FLOOR_SQL, [o.tenant, projectId, asOf]);
      if (i >= WARM_UP) samples.push(performance.now() - started);
    }
    floor = summarise(samples);
  }
  return { route, api: summarise(api), floor, bytes: probe.body.length, items: Array.isArray(body.items) ? body.items.length : undefined };
}

/**
 * What the seeded portfolio looks like (a check that it is a portfolio worth measuring): overall health, SPI range,
 * the reasons, and how many projects have schedule and risk figures; now or as of an instant.
 */
async function healthOf(port: number, token: string, agent: http.Agent, asOf: Date | null = null): Promise<string> {
  const counts = new Map<string, number>();
  const spis: number[] = [];
  const reasons = new Map<string, number>();
  let withSchedule = 0;
  let withRisk = 0;
  let cursor: string | null = null;
  do {
    const query = `limit=200${cursor ? `&cursor=${cursor}` : ''}${asOf ? `&asOf=${encodeURIComponent(asOf.toISOString())}` : ''}`;
    const answer = await call({ port, agent, method: 'GET', path: `/portfolio?${query}`, token });
    const page = JSON.parse(answer.body.toString('utf8')) as { items: Array<{ health: { overall: string; reasons: Array<{ code: string }> }; spi: number | null; schedule: unknown; risk: unknown }>; next: string | null };
    for (const item of page.items) {
      counts.set(item.health.overall, (counts.get(item.health.overall) ?? 0) + 1);
      for (const { code } of item.health.reasons) reasons.set(code, (reasons.get(code) ?? 0) + 1);
      if (typeof item.spi === 'number') spis.push(item.spi);
      if (item.schedule) withSchedule++;
      if (item.risk) withRisk++;
    }
    cursor = page.next;
  } while (cursor);
  const spi = spis.length ? `SPI ${Math.min(...spis).toFixed(2)} to ${Math.max(...spis).toFixed(2)}` : 'no SPI';
  return `${[...counts].map(([h, n]) => `${n} ${h}`).join(', ')}; ${withSchedule} with schedule figures, ${withRisk} with risk figures; ${spi}; reasons: ${[...reasons].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`;
}

function printReads(measured: readonly Measured[], tenant: string, tenantProjects: number): void {
  console.log(`reads of tenant ${tenant} (${tenantProjects} projects), ${READS} sequential requests each after ${WARM_UP} warm-up; floor: the same rows by one raw pg query\n`);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(line(['route', 'items', 'bytes', 'p50', 'p99', 'floor p50', 'floor p99', 'p99 / floor', `p99 ≤ ${GOAL_MS} ms`]));
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
  for (const m of measured) {
    if (m.skipped || !m.api) continue;
    const f = m.floor;
    console.log(line([m.route.name, m.items === undefined ? '' : String(m.items), String(m.bytes), ms(m.api.p50), ms(m.api.p99), f ? ms(f.p50) : 'n/a', f ? ms(f.p99) : 'n/a', f ? ratio(m.api.p99, f.p99) : 'n/a', m.api.p99 <= GOAL_MS ? 'met' : 'NOT met']));
  }
  for (const m of measured) if (m.skipped) console.log(`skipped: ${m.route.name}: ${m.skipped}`);
}

function report(seed: SeedResult, visibleMs: number, measured: readonly Measured[], context: { pg: string; load: string; tenant: string; tenantProjects: number; health: string; healthThen: string }): void {
  const seconds = (seed.pass1Ms + seed.pass2Ms) / 1000;
  const perProject = seconds / Math.max(1, seed.seeded);
  console.log(`\nbench:portfolio, run ${RUN}: ${PROJECTS} projects of ${TASKS} tasks over ${TENANTS} tenant(s), seed ${SEED}, ${CONCURRENCY} at a time; PostgreSQL ${context.pg}, Node ${process.version}, ${os.cpus().length} cores, load ${context.load}\n`);
  console.log(`seeding: ${seed.seeded} projects (${seed.tasks} tasks, ${seed.risks} risks, ${seed.assignments} assignments), ${seed.requests} requests, ${seed.importWarnings} import warnings`);
  console.log(`  pass 1 (project, import, status date, risks): ${(seed.pass1Ms / 1000).toFixed(1)} s, ${((seed.seeded * 1000) / seed.pass1Ms).toFixed(2)} projects/s`);
  console.log(`  pass 2 (assignments, progress, next status date): ${(seed.pass2Ms / 1000).toFixed(1)} s`);
  console.log(`  in all ${seconds.toFixed(1)} s: ${(seed.seeded / seconds).toFixed(2)} projects/s, ${(seed.requests / seconds).toFixed(1)} requests/s, ${((seed.tasks / seconds) | 0)} tasks/s`);
  console.log(`  at this rate 1,000 projects of ${TASKS} tasks take ~${((perProject * 1000) / 60).toFixed(0)} min (the import's share grows with the tasks per project)`);
  console.log(`  seeding done → every project visible in reporting: ${ms(visibleMs)}\n`);
  console.log(`portfolio of ${context.tenant} now: ${context.health}`);
  console.log(`  as of ${seed.betweenPasses.toISOString()} (between the passes): ${context.healthThen}\n`);
  printReads(measured, context.tenant, context.tenantProjects);
  console.log(`\nasOf instant: ${seed.betweenPasses.toISOString()}, between the seeder's two passes (commands cannot back-date recorded time, so not a month back)`);
}

/** What a reads-only run needs besides the reporting database: the tenant measured, its projects, the instants. */
interface DumpFacts {
  readonly run: string;
  readonly seeded: string;
  readonly tenant: string;
  readonly projectIds: readonly string[];
  readonly statusDate: string;
  readonly betweenPasses: string;
}

function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): void {
  const res = spawnSync(tool, args, { encoding: 'utf8', env: { ...process.env, PGUSER: process.env.PGUSER ?? 'postgres' } });
  if (res.status !== 0) throw new Error(`${tool} failed (${res.status ?? res.signal}): ${(res.stderr || res.stdout || String(res.error)).slice(0, 500)}`);
}

function saveDump(file: string, facts: DumpFacts): void {
  pgTool('pg_dump', ['-Fc', '-Z1', '--exclude-table-data=inbox', '-f', file, '-d', dbUrl(DB.reporting)]);
  fs.writeFileSync(`${file}.json`, JSON.stringify(facts, null, 2));
  log(`reporting database saved to ${file} (reads only, later: BENCH_FROM_DUMP=${file})`);
}

/** Reads only: the reporting service on the reporting database an earlier run saved. */
async function readsFromDump(scope: RunScope, file: string): Promise<void> {
  const facts = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as DumpFacts;
  await createDatabase(scope, DB.reporting);
  log(`restoring the reporting database of run ${facts.run} (${facts.seeded}) from ${file}`);
  pgTool('pg_restore', ['--no-owner', '-d', dbUrl(DB.reporting), file]);
  const kafka = new Kafka({ clientId: `bench-portfolio-${RUN}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  scope.defer('disconnecting the admin client', () => admin.disconnect());
  await admin.connect();
  scope.defer(`deleting topics ${TOPIC_PREFIX}*`, async () => {
    await admin.deleteTopics({ topics: CONTEXT_TOPICS, timeout: 30_000 }).catch((e: Error) => log(`deleting topics failed: ${e.message}`));
    await admin.deleteGroups([group('reporting')]).catch(() => undefined);
  });
  await admin.createTopics({ waitForLeaders: true, topics: CONTEXT_TOPICS.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })) });
  const reporting = await startService(scope, 'reporting-service', {
    runLabel: `bench-portfolio-${RUN}`,
    topicPrefix: TOPIC_PREFIX,
    brokers: BROKERS,
    logLevel: LOG_LEVEL,
    env: { PG_URL: dbUrl(DB.reporting), [GROUP_ENV.reporting]: group('reporting') },
  });
  await waitReady(reporting);
  const pool = new Pool({ connectionString: dbUrl(DB.reporting), max: 2 });
  scope.defer('closing the reporting pool', () => pool.end());
  // A restore leaves no table analyzed; the service analyzes its tables at start (ADR 0020). Reads begin after that,
  // as they would some seconds after a restore in production; the wait is printed.
  const analyzeStarted = performance.now();
  while (!scope.aborted && performance.now() - analyzeStarted < 120_000) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_user_tables WHERE relname = 'portfolio_project_facts' AND last_analyze IS NOT NULL");
    if (rows[0].n > 0) break;
    await sleep(250);
  }
  log(`the service analyzed its restored tables ${ms(performance.now() - analyzeStarted)} after it was ready`);
  const token = await signDevToken({ tenant: facts.tenant, sub: 'bench-viewer', roles: ['viewer'] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  scope.defer('closing the HTTP agent', () => agent.destroy());
  const betweenPasses = new Date(facts.betweenPasses);
  const measured: Measured[] = [];
  for (const route of routes(facts.projectIds, betweenPasses, facts.statusDate)) {
    if (scope.aborted) return;
    log(`measuring ${route.name}`);
    measured.push(await measure(route, { port: reporting.port, token, agent, pool, tenant: facts.tenant, aborted: () => scope.aborted }));
  }
  const pg = await serverVersion();
  console.log(`\nbench:portfolio, run ${RUN}, reads only: the reporting database of run ${facts.run} (${facts.seeded}) restored from ${file}; PostgreSQL ${pg}, Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log(`portfolio of ${facts.tenant} now: ${await healthOf(reporting.port, token, agent)}\n`);
  printReads(measured, facts.tenant, facts.projectIds.length);
  console.log(`\nasOf instant: ${facts.betweenPasses}, between the seeder's two passes`);
  scope.succeeded = true;
}

async function main(scope: RunScope): Promise<void> {
  if (FROM_DUMP) return readsFromDump(scope, FROM_DUMP);
  const kafka = new Kafka({ clientId: `bench-portfolio-${RUN}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  scope.defer('disconnecting the admin client', () => admin.disconnect());
  await admin.connect();
  scope.defer(`deleting topics ${TOPIC_PREFIX}* and consumer groups bench-portfolio-${RUN}-*`, async () => {
    await admin.deleteTopics({ topics: CONTEXT_TOPICS, timeout: 30_000 }).catch((e: Error) => log(`deleting topics failed: ${e.message}`));
    await admin.deleteGroups(SERVICES.map(group)).catch(() => undefined);
  });
  await admin.createTopics({ waitForLeaders: true, topics: CONTEXT_TOPICS.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })) });
  for (const name of Object.values(DB)) await createDatabase(scope, name);

  log('starting planning, resource, risk and reporting services as child processes (as npm start does)');
  const started = {} as Record<ServiceName, ServiceProcess>;
  for (const s of SERVICES) {
    started[s] = await startService(scope, `${s}-service`, {
      runLabel: `bench-portfolio-${RUN}`,
      topicPrefix: TOPIC_PREFIX,
      brokers: BROKERS,
      logLevel: LOG_LEVEL,
      env: { PG_URL: dbUrl(DB[s]), [GROUP_ENV[s]]: group(s) },
    });
  }
  await Promise.all(SERVICES.map((s) => waitReady(started[s])));
  const pg = await serverVersion();
  const url = (s: ServiceName) => `http://127.0.0.1:${started[s].port}`;

  const tenants = Array.from({ length: TENANTS }, (_, i) => `bench-portfolio-${RUN}-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? i : ''}`);
  const statusDate = defaultStatusDate();
  const pool = new Pool({ connectionString: dbUrl(DB.reporting), max: 2 });
  scope.defer('closing the reporting pool', () => pool.end());
  const seed = await seedPortfolio({
    urls: { planning: url('planning'), resource: url('resource'), risk: url('risk') },
    tenants,
    projects: PROJECTS,
    tasks: TASKS,
    seed: SEED,
    concurrency: CONCURRENCY,
    statusDate,
    progressBar: Boolean(process.stderr.isTTY),
    log,
    aborted: () => scope.aborted,
    afterPass1: async (created) => {
      log('waiting until the reporting read model shows pass 1 (the asOf instant is taken after it)');
      await waitVisible(pool, tenants, created, addDays(statusDate, -7), () => scope.aborted);
    },
  });
  if (scope.aborted) return;

  log('waiting until the reporting read model has every project');
  const visibleMs = await waitVisible(pool, tenants, seed.seeded, statusDate, () => scope.aborted);

  const tenant = tenants[0];
  const projectIds = seed.projectsByTenant.get(tenant)!;
  if (SAVE_DUMP) {
    saveDump(SAVE_DUMP, { run: RUN, seeded: `${PROJECTS} projects of ${TASKS} tasks over ${TENANTS} tenant(s), seed ${SEED}, ${new Date().toISOString()}`, tenant, projectIds, statusDate, betweenPasses: seed.betweenPasses.toISOString() });
  }
  const token = await signDevToken({ tenant, sub: 'bench-viewer', roles: ['viewer'] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  scope.defer('closing the HTTP agent', () => agent.destroy());
  const measured: Measured[] = [];
  for (const route of routes(projectIds, seed.betweenPasses, statusDate)) {
    if (scope.aborted) return;
    log(`measuring ${route.name}`);
    measured.push(await measure(route, { port: started.reporting.port, token, agent, pool, tenant, aborted: () => scope.aborted }));
  }
  const health = await healthOf(started.reporting.port, token, agent);
  const healthThen = await healthOf(started.reporting.port, token, agent, seed.betweenPasses);
  report(seed, visibleMs, measured, { health, healthThen, pg, load: os.loadavg().map((l) => l.toFixed(2)).join(' '), tenant, tenantProjects: projectIds.length });
  scope.succeeded = true;
}

runBench(log, main);
