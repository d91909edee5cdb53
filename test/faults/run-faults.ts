/*
 * `npm run test:faults` (ADR 0014): the real services under a mixed HTTP load while their processes, their Kafka broker
 * and their PostgreSQL server are killed with SIGKILL and restarted; then proofs that nothing acknowledged was lost or
 * doubled. Everything runs on servers of the suite's own (test/faults/infra.ts), never the shared :5432 / :9092.
 *
 * Env: FAULTS_COMMANDS (logical commands, default 1500; 300 with FAULTS_SHORT=1), FAULTS_SHORT=1 (kill one service and
 * the broker once), FAULTS_RATE (commands started per second, default 20), FAULTS_RECOVERY_LIMIT_S (after a broker or
 * database fault, default 30), FAULTS_START_LIMIT_S (after a service kill, default 60), FAULTS_CONCURRENCY (in flight, default 12),
 * FAULTS_DOWN_MS (how long a killed process stays down, default 3000), FAULTS_PG_PORT and
 * FAULTS_KAFKA_PORT (controller: +1) (default: free ports), FAULTS_KEEP=1 keeps the temp directory.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { signDevToken } from '@pm/platform/auth';
import { FaultKafka, FaultPostgres } from './infra';
import { FaultService } from './services';

const { ensureTopics, EVENT_TOPICS } = require('../../scripts/lib/infra.mjs') as {
  ensureTopics: (o: { brokers: string }) => Promise<unknown>;
  EVENT_TOPICS: Record<string, string>;
};

const SHORT = process.env.FAULTS_SHORT === '1';
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
const COMMANDS = int('FAULTS_COMMANDS', SHORT ? 300 : 1500);
const RATE = int('FAULTS_RATE', 20);
const CONCURRENCY = int('FAULTS_CONCURRENCY', 12);
const DOWN_MS = int('FAULTS_DOWN_MS', 3000);
const portFromEnv = (name: string): number | null => (process.env[name] ? int(name, 1) : null);
const REQUEST_TIMEOUT_MS = 15_000;
const SETTLE_TIMEOUT_MS = 120_000;
/** Issue 15: every service ready within 30 s of its dependencies (broker, database) returning. */
const RECOVERY_LIMIT_MS = int('FAULTS_RECOVERY_LIMIT_S', 30) * 1000;
/** A killed service's own cold start (swc compile, Nest boot, migrations, consumer join) on a shared 2-core machine. */
const START_LIMIT_MS = int('FAULTS_START_LIMIT_S', 60) * 1000;

/** A port nothing listens on now (the kernel's pick), kept for the whole run: services restart on the same one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (m: string) => process.stderr.write(`[faults ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}\n`);

type Ctx = 'planning' | 'resource' | 'risk' | 'notification';
const SERVICE_OF: Record<Ctx | 'reporting', string> = { planning: 'planning-service', resource: 'resource-service', risk: 'risk-service', notification: 'notification-service', reporting: 'reporting-service' };
const DB_OF: Record<Ctx | 'reporting', string> = { planning: 'pm_planning', resource: 'pm_resource', risk: 'pm_risk', notification: 'pm_notification', reporting: 'pm_reporting' };

interface Attempt {
  at: number;
  status: number | string;
  code?: string;
  retryAfter?: string;
  problemJson?: boolean;
  pgDown: boolean;
  kafkaDown: boolean;
  serviceDown: boolean;
}
interface Command {
  ctx: Ctx;
  correlationId: string;
  entityId: string;
  attempts: Attempt[];
  /** 2xx, or a 409 "already exists" after an attempt whose outcome was not heard. */
  outcome?: 'ok' | 'ok-on-retry' | 'failed';
  version?: number;
}
interface Fault {
  name: string;
  targets: string[];
  killedAt: number;
  restartedAt: number;
  /** From the restart until every service answered /health/ready. */
  /** From the restart of the killed processes (servers already back) until every service answered /health/ready. */
  recoveryMs: number;
  readyAt: number;
  /** How long the killed broker / database took to answer again (kafka.sh start, postgres crash recovery). */
  serverBootMs: number;
  slowest: string;
}

const state = { pgDown: false, kafkaDown: false, down: new Set<string>() };

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-faults-'));
  fs.chmodSync(dir, 0o755);
  log(`${COMMANDS} commands at ${RATE}/s, ${SHORT ? 'short form' : 'full form'}; servers in ${dir}`);
  // Free ports unless given: two runs at once (two worktrees) must not share, let alone kill, each other's servers.
  const pgPort = portFromEnv('FAULTS_PG_PORT') ?? (await freePort());
  const kafkaPort = portFromEnv('FAULTS_KAFKA_PORT') ?? (await freePort());
  const pg = new FaultPostgres(dir, pgPort);
  const kafka = new FaultKafka(dir, kafkaPort, portFromEnv('FAULTS_KAFKA_PORT') ? kafkaPort + 1 : await freePort());
  const services = new Map<string, FaultService>();
  let ok = false;
  try {
    await pg.init();
    await pg.start();
    await pg.createDatabases(Object.values(DB_OF));
    log(`PostgreSQL up on 127.0.0.1:${pgPort}`);
    await kafka.start();
    await ensureTopics({ brokers: kafka.brokers });
    log(`Kafka up on ${kafka.brokers}`);
    for (const [ctx, name] of Object.entries(SERVICE_OF)) {
      services.set(name, new FaultService(name, await freePort(), { PG_URL: pg.serverUrl(DB_OF[ctx as Ctx]), KAFKA_BROKERS: kafka.brokers }, dir));
    }
    for (const s of services.values()) s.start();
    for (const s of services.values()) await s.waitReady();
    log('services ready');
    ok = await run(dir, pg, kafka, services);
    return ok ? 0 : 1;
  } finally {
    for (const s of services.values()) await s.stop().catch(() => undefined);
    await kafka.stop().catch(() => undefined);
    await pg.stop().catch(() => undefined);
    if (ok && !process.env.FAULTS_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir} (service, broker and server logs)`);
  }
}

// ---------------------------------------------------------------- the load

const TENANT = `faults-${randomUUID().slice(0, 8)}`;

async function post(port: number, urlPath: string, token: string, body: unknown, correlationId: string): Promise<{ status: number; headers: Headers; json: Record<string, unknown> | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-correlation-id': correlationId },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json };
}

async function run(dir: string, pg: FaultPostgres, kafka: FaultKafka, services: Map<string, FaultService>): Promise<boolean> {
  const token = await signDevToken({ tenant: TENANT, roles: ['pmo-admin', 'project-manager', 'resource-manager'], sub: 'faults' });
  const svc = (ctx: Ctx | 'reporting') => services.get(SERVICE_OF[ctx])!;
  const setup = await post(svc('risk').port, '/risk-settings/categories', token, { categoryId: 'faults', name: 'Faults' }, randomUUID());
  if (setup.status !== 201) throw new Error(`risk category setup: HTTP ${setup.status} ${JSON.stringify(setup.json)}`);
  const projects: string[] = [];
  const body = (c: Command): [string, unknown] => {
    switch (c.ctx) {
      case 'planning':
        return ['/projects', { projectId: c.entityId, name: `Fault project ${c.entityId.slice(0, 8)}` }];
      case 'resource':
        return ['/resources/generic', { resourceId: c.entityId, name: `Role ${c.entityId.slice(0, 8)}`, role: 'Engineer' }];
      case 'risk': {
        const p = projects[Math.floor(Math.random() * projects.length)] ?? randomUUID();
        return [`/projects/${p}/risks`, { riskId: c.entityId, kind: 'threat', title: 'Vendor late', cause: 'One factory', event: 'Parts arrive late', effect: 'Cut-over slips', categoryId: 'faults' }];
      }
      case 'notification': {
        const p = projects[Math.floor(Math.random() * projects.length)] ?? randomUUID();
        return [`/projects/${p}/comments`, { commentId: c.entityId, on: { kind: 'project', id: p }, body: `Status note ${c.entityId.slice(0, 8)}` }];
      }
    }
  };
  const order: Ctx[] = ['planning', 'resource', 'risk', 'notification'];
  const commands: Command[] = [];
  let loadDone = false;

  const execute = async (c: Command): Promise<void> => {
    const [urlPath, payload] = body(c);
    const service = svc(c.ctx);
    const giveUp = Date.now() + 120_000;
    for (let attempt = 0; Date.now() < giveUp; attempt++) {
      const a: Attempt = { at: Date.now(), status: 'pending', pgDown: state.pgDown, kafkaDown: state.kafkaDown, serviceDown: state.down.has(service.name) };
      c.attempts.push(a);
      let retryMs = 500;
      try {
        const r = await post(service.port, urlPath, token, payload, c.correlationId);
        a.status = r.status;
        a.code = typeof r.json?.code === 'string' ? r.json.code : undefined;
        a.retryAfter = r.headers.get('retry-after') ?? undefined;
        a.problemJson = (r.headers.get('content-type') ?? '').startsWith('application/problem+json');
        if (r.status >= 200 && r.status < 300) {
          c.outcome = attempt === 0 ? 'ok' : 'ok-on-retry';
          c.version = typeof r.json?.version === 'number' ? r.json.version : undefined;
          if (c.ctx === 'planning') projects.push(c.entityId);
          return;
        }
        // A retry of a create whose first outcome was not heard: the client-chosen id already exists.
        if (r.status === 409 && attempt > 0) {
          c.outcome = 'ok-on-retry';
          if (c.ctx === 'planning') projects.push(c.entityId);
          return;
        }
        if (r.status === 503) retryMs = Number(a.retryAfter ?? 1) * 1000;
        else if (r.status < 500 || r.status === 500) {
          c.outcome = 'failed';
          return;
        }
      } catch (e) {
        a.status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'refused';
      }
      await sleep(retryMs);
    }
    c.outcome = 'failed';
  };

  const inFlight = new Set<Promise<void>>();
  const load = (async () => {
    const started = Date.now();
    // At RATE until COMMANDS were started and every fault was injected and recovered from.
    for (let i = 0; i < COMMANDS || !loadDone; i++) {
      await sleep(Math.max(0, started + (i * 1000) / RATE - Date.now()));
      while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
      const ctx = i < 8 ? 'planning' : order[i % order.length];
      const c: Command = { ctx, correlationId: randomUUID(), entityId: randomUUID(), attempts: [] };
      commands.push(c);
      const p = execute(c).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  })();

  // ---------------------------------------------------------------- the faults
  const faults: Fault[] = [];
  /** Every service's /health/ready, polled together: ms until each answered 200. */
  const allReady = async (): Promise<Map<string, number>> => {
    const entries = await Promise.all([...services.values()].map(async (s) => [s.name, await s.waitReady(180_000)] as const));
    return new Map(entries);
  };
  const inject = async (name: string, targets: Array<'postgres' | 'kafka' | string>): Promise<void> => {
    await sleep(4000);
    log(`SIGKILL ${targets.join(' + ')}`);
    const killedAt = Date.now();
    for (const t of targets) {
      if (t === 'postgres') {
        state.pgDown = true;
        await pg.kill();
      } else if (t === 'kafka') {
        state.kafkaDown = true;
        await kafka.kill();
      } else {
        state.down.add(t);
        await services.get(t)!.kill();
      }
    }
    await sleep(DOWN_MS);
    // Servers first (their own boot is not the services' recovery), then the killed services.
    const serversAt = Date.now();
    if (targets.includes('postgres')) await pg.start();
    if (targets.includes('kafka')) await kafka.start();
    state.pgDown = false;
    state.kafkaDown = false;
    const restartedAt = Date.now();
    for (const t of targets) if (services.has(t)) services.get(t)!.start();
    const ready = await allReady();
    const recoveryMs = Date.now() - restartedAt;
    for (const t of targets) state.down.delete(t);
    const [slowest, slowestMs] = [...ready].sort((a, b) => b[1] - a[1])[0];
    faults.push({ name, targets, killedAt, restartedAt, recoveryMs, readyAt: Date.now(), serverBootMs: restartedAt - serversAt, slowest: `${slowest} ${(slowestMs / 1000).toFixed(1)} s` });
    log(`  ${name}: servers back in ${((restartedAt - serversAt) / 1000).toFixed(1)} s; every service ready ${(recoveryMs / 1000).toFixed(1)} s later (slowest ${slowest})`);
  };
  const plan: Array<[string, string[]]> = SHORT
    ? [['kill planning-service', ['planning-service']], ['kill the broker', ['kafka']]]
    : [
        ...[...services.keys()].map((s): [string, string[]] => [`kill ${s}`, [s]]),
        ['kill the broker', ['kafka']],
        ['kill PostgreSQL', ['postgres']],
        ['kill reporting-service + the broker', ['reporting-service', 'kafka']],
        ['kill planning-service + PostgreSQL', ['planning-service', 'postgres']],
      ];
  await sleep(3000);
  for (const [name, targets] of plan) await inject(name, targets);
  loadDone = true;
  await load;
  log(`load done: ${commands.length} commands`);

  return verify(dir, pg, kafka, services, commands, faults);
}

// ---------------------------------------------------------------- the proofs

async function withDb<T>(pg: FaultPostgres, db: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: pg.serverUrl(db) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function readTopics(kafka: FaultKafka): Promise<Map<string, number>> {
  const client = new Kafka({ clientId: 'faults-reader', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  const admin = client.admin();
  await admin.connect();
  const copies = new Map<string, number>();
  try {
    for (const topic of Object.values(EVENT_TOPICS)) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const pending = new Map(offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]));
      if (!pending.size) continue;
      const consumer = client.consumer({ groupId: `faults-reader-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const id = (JSON.parse(message.value?.toString() ?? '{}') as { id?: string }).id;
          if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
          if (Number(message.offset) + 1 >= (pending.get(partition) ?? Infinity)) pending.delete(partition);
          if (!pending.size) done();
        },
      });
      await Promise.race([finished, sleep(60_000)]);
      await consumer.disconnect();
    }
  } finally {
    await admin.disconnect();
  }
  return copies;
}

interface Row {
  check: string;
  count: number | string;
  bad: number;
  detail: string;
}

async function verify(dir: string, pg: FaultPostgres, kafka: FaultKafka, services: Map<string, FaultService>, commands: Command[], faults: Fault[]): Promise<boolean> {
  const rows: Row[] = [];
  const verifyStarted = Date.now();
  const acked = commands.filter((c) => c.outcome === 'ok' || c.outcome === 'ok-on-retry');
  const attempts = commands.flatMap((c) => c.attempts.map((a) => ({ ...a, ctx: c.ctx })));
  const statusCounts = new Map<string, number>();
  for (const a of attempts) statusCounts.set(String(a.status), (statusCounts.get(String(a.status)) ?? 0) + 1);
  log(`statuses: ${[...statusCounts].map(([s, n]) => `${s}×${n}`).join(', ')}`);

  // Stored exactly once: each acknowledged command's events, found by its correlation id, in its service's store.
  const stored = new Map<string, Array<{ event_id: string; event_type: string; stream_id: string; stream_version: string }>>();
  const storeEventIds = new Map<Ctx, Set<string>>();
  for (const ctx of ['planning', 'resource', 'risk', 'notification'] as Ctx[]) {
    const ids = acked.filter((c) => c.ctx === ctx).map((c) => c.correlationId);
    const found = await withDb(pg, DB_OF[ctx], (c) =>
      c.query<{ corr: string; event_id: string; event_type: string; stream_id: string; stream_version: string }>(
        `SELECT metadata->>'correlationId' AS corr, event_id::text, event_type, stream_id, stream_version::text FROM es_events WHERE metadata->>'correlationId' = ANY($1::text[])`,
        [ids],
      ),
    );
    for (const r of found.rows) stored.set(r.corr, [...(stored.get(r.corr) ?? []), r]);
    const all = await withDb(pg, DB_OF[ctx], (c) => c.query<{ event_id: string }>('SELECT event_id::text FROM es_events'));
    storeEventIds.set(ctx, new Set(all.rows.map((r) => r.event_id)));
  }
  const lost = acked.filter((c) => !stored.has(c.correlationId));
  const doubled = acked.filter((c) => {
    const evs = stored.get(c.correlationId) ?? [];
    const types = new Map<string, number>();
    for (const e of evs) types.set(`${e.stream_id}|${e.event_type}`, (types.get(`${e.stream_id}|${e.event_type}`) ?? 0) + 1);
    return [...types.values()].some((n) => n > 1);
  });
  rows.push({ check: 'commands answered 2xx (or 409 on a retry)', count: acked.length, bad: 0, detail: `${acked.filter((c) => c.outcome === 'ok-on-retry').length} after a retry; ${commands.length - acked.length} not acknowledged` });
  rows.push({ check: 'acknowledged, stored: missing', count: acked.length, bad: lost.length, detail: lost.slice(0, 5).map((c) => `${c.ctx} ${c.entityId}`).join(', ') });
  rows.push({ check: 'acknowledged, stored: doubled', count: stored.size, bad: doubled.length, detail: doubled.slice(0, 5).map((c) => `${c.ctx} ${c.entityId}`).join(', ') });

  // Published at least once: every stored event, in its topic from offset 0.
  const storeIds = [...storeEventIds.values()].flatMap((s) => [...s]);
  let copies = new Map<string, number>();
  let unpublished: string[] = [];
  const settleDeadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    copies = await readTopics(kafka);
    unpublished = storeIds.filter((id) => !copies.has(id));
    if (!unpublished.length || Date.now() > settleDeadline) break;
    log(`  ${unpublished.length} stored events not on Kafka yet; waiting for the relays`);
    await sleep(3000);
  }
  const republished = [...copies.values()].filter((n) => n > 1);
  rows.push({ check: 'stored events published (topics read from 0)', count: storeIds.length, bad: unpublished.length, detail: unpublished.slice(0, 5).join(', ') });
  rows.push({ check: 'republished copies on Kafka (allowed)', count: republished.reduce((s, n) => s + n - 1, 0), bad: 0, detail: `${republished.length} events published more than once` });

  // Applied exactly once: inbox rows per (consumer, event id), and reporting's project read model.
  let inboxDup = 0;
  let inboxRows = 0;
  const inboxDetail: string[] = [];
  for (const db of Object.values(DB_OF)) {
    await withDb(pg, db, async (c) => {
      const exists = await c.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'inbox'`);
      if (!exists.rowCount) return;
      const n = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM inbox');
      inboxRows += Number(n.rows[0].n);
      const d = await c.query<{ consumer: string; event_id: string; n: string }>('SELECT consumer, event_id::text, count(*)::text AS n FROM inbox GROUP BY 1, 2 HAVING count(*) > 1');
      inboxDup += d.rowCount ?? 0;
      for (const r of d.rows.slice(0, 3)) inboxDetail.push(`${db} ${r.consumer} ${r.event_id}×${r.n}`);
    });
  }
  rows.push({ check: 'inbox rows applied twice (consumer, event id)', count: inboxRows, bad: inboxDup, detail: inboxDetail.join(', ') });

  const projects = acked.filter((c) => c.ctx === 'planning').map((c) => c.entityId);
  let missingProjects: string[] = [];
  let dupProjects = 0;
  for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; ;) {
    const r = await withDb(pg, DB_OF.reporting, (c) =>
      c.query<{ project_id: string; n: string }>('SELECT project_id::text, count(*)::text AS n FROM project_summaries WHERE tenant_id = $1 GROUP BY 1', [TENANT]),
    );
    const seen = new Map(r.rows.map((x) => [x.project_id, Number(x.n)]));
    missingProjects = projects.filter((p) => !seen.has(p));
    dupProjects = [...seen.values()].filter((n) => n > 1).length;
    if (!missingProjects.length || Date.now() > deadline) break;
    await sleep(2000);
  }
  const settleMs = Date.now() - verifyStarted;
  rows.push({ check: 'reporting project_summaries: missing', count: projects.length, bad: missingProjects.length, detail: missingProjects.slice(0, 5).join(', ') });
  rows.push({ check: 'reporting project_summaries: doubled', count: projects.length, bad: dupProjects, detail: '' });

  // Statuses: no 500, no hang; 503 problem+json with Retry-After while PostgreSQL was down.
  const fiveHundreds = attempts.filter((a) => a.status === 500);
  const hangs = attempts.filter((a) => a.status === 'timeout');
  const bad503 = attempts.filter((a) => a.status === 503 && (!a.problemJson || !a.retryAfter));
  const during503 = attempts.filter((a) => a.status === 503 && a.code === 'DATABASE_UNAVAILABLE');
  const otherFailures = attempts.filter((a) => typeof a.status === 'number' && a.status >= 400 && a.status !== 503 && a.status !== 409);
  const brokerRefused = attempts.filter((a) => a.kafkaDown && !a.pgDown && !a.serviceDown && a.status !== 'pending' && (typeof a.status !== 'number' || a.status >= 400));
  rows.push({ check: 'HTTP 500 answers', count: attempts.length, bad: fiveHundreds.length, detail: fiveHundreds.slice(0, 3).map((a) => `${a.ctx} ${a.code}`).join(', ') });
  rows.push({ check: 'requests with no answer in 15 s (hang)', count: attempts.length, bad: hangs.length, detail: hangs.slice(0, 3).map((a) => a.ctx).join(', ') });
  rows.push({ check: '503 without problem+json + Retry-After', count: attempts.filter((a) => a.status === 503).length, bad: bad503.length, detail: `${during503.length} DATABASE_UNAVAILABLE` });
  rows.push({ check: 'commands refused while only the broker was down', count: attempts.filter((a) => a.kafkaDown && !a.pgDown && !a.serviceDown).length, bad: brokerRefused.length, detail: brokerRefused.slice(0, 3).map((a) => `${a.ctx} ${a.status}`).join(', ') });
  rows.push({ check: 'other 4xx answers', count: attempts.length, bad: otherFailures.length, detail: otherFailures.slice(0, 3).map((a) => `${a.ctx} ${a.status} ${a.code}`).join(', ') });
  for (const f of faults) {
    const during = new Map<string, number>();
    for (const a of attempts) if (a.at >= f.killedAt && a.at <= f.readyAt) during.set(String(a.status), (during.get(String(a.status)) ?? 0) + 1);
    const limit = f.targets.some((t) => services.has(t)) ? START_LIMIT_MS : RECOVERY_LIMIT_MS;
    rows.push({
      check: `recovery: ${f.name}`,
      count: `${(f.recoveryMs / 1000).toFixed(1)} s`,
      bad: f.recoveryMs > limit ? 1 : 0,
      detail: `${f.serverBootMs ? `server back in ${(f.serverBootMs / 1000).toFixed(1)} s, then ` : ''}all /health/ready (limit ${limit / 1000} s; slowest ${f.slowest}); answers meanwhile: ${[...during].map(([s, n]) => `${s}×${n}`).join(' ') || 'none'}`,
    });
  }
  rows.push({ check: 'settle: load end → all published and projected', count: `${(settleMs / 1000).toFixed(1)} s`, bad: 0, detail: '' });

  const w = [Math.max(...rows.map((r) => r.check.length)), 10, 5];
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c.padStart(w[2])}  ${d}`;
  const out = [line('check', 'count', 'bad', 'detail'), line('-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '------'), ...rows.map((r) => line(r.check, String(r.count), String(r.bad), r.detail))];
  const pass = rows.every((r) => r.bad === 0);
  process.stdout.write(`\nFault suite: ${commands.length} commands, ${attempts.length} requests, ${faults.length} faults, statuses ${[...statusCounts].map(([s, n]) => `${s}×${n}`).join(' ')}\n${out.join('\n')}\n\n${pass ? 'PASS' : 'FAIL'}: ${pass ? 'nothing acknowledged was lost or doubled' : 'see the rows with bad > 0'}\n`);
  fs.writeFileSync(path.join(dir, 'result.txt'), out.join('\n'));
  return pass;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`error: ${(e as Error).stack ?? String(e)}`);
    process.exit(2);
  },
);
