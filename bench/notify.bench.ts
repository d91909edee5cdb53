/*
 * `npm run bench:notify`: from an event stored in another service to the notification in the recipients' inboxes
 * (issue 12 point 2: "p99 under 1 s at 200 events/s"), against a floor measured in the same run at the same rate.
 *
 * - risk-service and notification-service run as child processes, as `npm start` runs them, each on a fresh database
 *   and consumer groups of their own, on Kafka topics of their own (bench/rig/bench-topics.preload.ts), all removed at
 *   the end.
 * - Setup (not timed): BENCH_TENANTS tenants, each with a risk category and BENCH_RECIPIENTS people who subscribed to
 *   the tenant's `pm.risk.RiskAssessed` of severity high and above (`POST /subscriptions`); BENCH_RATE × BENCH_SECONDS
 *   risks identified, spread over the tenants and a few projects each; then the bench waits until the notification
 *   service's consumer has caught up with the risk topic.
 * - Load, BENCH_RATE a second for BENCH_SECONDS, one per risk, in an open loop. BENCH_PRODUCER=store (default): the
 *   bench appends a RiskAssessed rated critical (5 × 5; a copy of one the risk service wrote for a warm-up assessment,
 *   with the risk's ids) to the risk's stream in the risk service's store, as the service's write path does, and the
 *   service's relay publishes it: the measured path starts where the issue starts it ("from the event being
 *   stored"), and the machine's 2 cores are not also spent on the risk service's HTTP commands (which, on these 2
 *   cores, cannot themselves reach 200/s beside everything else: about 120–145/s were measured). BENCH_PRODUCER=http:
 *   `POST /projects/{p}/risks/{r}/assessments`, which appends RiskAssessed (and the project's exposure event) and
 *   answers after its commit. Either way the notification consumer classifies, routes to every subscriber and appends
 *   one NotificationCreated per recipient with its inbox row, in the consumer's transaction.
 * - Measured: from the append's commit (store) or the command's answer (http; its commit happened before) to the first
 *   recipient's inbox row, found by one indexed query per tenant every BENCH_POLL_MS (rows after the last `seq` seen).
 *   Also from the due time of the command (what a caller waits in all, the risk service's queueing included). At the
 *   end: every recipient has exactly one notification per assessment (no loss, no duplicate).
 * - Floor at the same rate in the same open loop (bench/e2e-floor.ts): one INSERT committed on its own (raw pg), one
 *   acknowledged send (acks=all) and its fetch by a raw kafkajs consumer — what a notification needs at least, before
 *   its own commit.
 *
 * - The recipients' tokens carry an e-mail address and an SMTP sink in the bench's process accepts the mail, so the
 *   notification service does all its work (e-mail timers and sends, the webhook consumer reading the same topics).
 *
 * Env: BENCH_PRODUCER (store or http, default store), BENCH_RATE (default 200), BENCH_SECONDS (default 20), BENCH_TENANTS (4), BENCH_RECIPIENTS (3),
 * BENCH_POLL_MS (5), BENCH_MAX_OUTSTANDING (400), BENCH_STATEMENT_ROWS (12, rows of the statement tables), BENCH_LOG_LEVEL (services' LOG_LEVEL, default warn), PG_URL and
 * KAFKA_BROKERS (set by scripts/bench.mjs --postgres --kafka).
 */
import fs from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Client, Pool } from 'pg';
import { signDevToken } from '@pm/platform/auth';
import { PgEventStore } from '@pm/platform/event-store';
import { riskStreamId } from '@pm/risk/domain';
import { FLOOR_TABLE, floorLevel } from './e2e-floor';
import { createDatabase, dbUrl, serverVersion } from './rig/bench-pg';
import { call, expectJson } from './rig/http-client';
import { openLoop } from './rig/open-loop';
import { caughtUp, observeTopic } from './rig/kafka-observer';
import { startSmtpSink } from './rig/smtp-sink';
import { runBench } from './rig/run-scope';
import type { RunScope } from './rig/run-scope';
import { startService, waitReady } from './rig/service-process';
import type { ServiceProcess } from './rig/service-process';
import { printStatements, statementCounts } from './rig/pg-statements';
import { consumerMetrics, printConsumerMetrics } from './rig/consumer-metrics';
import { ms, ratio, summarise } from './rig/stats';
import type { Summary } from './rig/stats';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number ≥ 1, not ${raw}`);
  return value;
};
const PRODUCER = process.env.BENCH_PRODUCER ?? 'store';
if (PRODUCER !== 'store' && PRODUCER !== 'http') throw new Error(`BENCH_PRODUCER must be store or http, not ${PRODUCER}`);
const RATE = num('BENCH_RATE', 200);
const SECONDS = num('BENCH_SECONDS', 20);
const TENANTS = num('BENCH_TENANTS', 4);
const RECIPIENTS = num('BENCH_RECIPIENTS', 3);
const POLL_MS = num('BENCH_POLL_MS', 5);
const MAX_OUTSTANDING = num('BENCH_MAX_OUTSTANDING', 400);
const PROJECTS_PER_TENANT = 5;
const DRAIN_MS = 60_000;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const STATEMENT_ROWS = num('BENCH_STATEMENT_ROWS', 12);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const RUN = randomBytes(4).toString('hex');
const TOPIC_PREFIX = `bench-notify-${RUN}.`;
const CONTEXT_TOPICS = ['planning', 'resource', 'risk', 'notification'].map((c) => `${TOPIC_PREFIX}pm.${c}.events`);
const RISK_TOPIC = `${TOPIC_PREFIX}pm.risk.events`;
const FLOOR_TOPIC = `${TOPIC_PREFIX}floor`;
const DB = { risk: `bench_notify_${RUN}_risk`, notification: `bench_notify_${RUN}_notification`, floor: `bench_notify_${RUN}_floor` };
const GROUPS = {
  risk: `bench-notify-${RUN}-risk`,
  riskPlan: `bench-notify-${RUN}-risk-plan`,
  notification: `bench-notify-${RUN}-notification`,
  floor: `bench-notify-${RUN}-floor`,
  observer: `bench-notify-${RUN}-observer`,
  webhooks: `bench-notify-${RUN}-webhooks`,
};

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const log = (msg: string) => process.stderr.write(`[bench:notify] ${msg}\n`);

interface Tenant {
  readonly id: string;
  readonly admin: string;
  readonly recipients: ReadonlyArray<{ sub: string; token: string }>;
  readonly projects: readonly string[];
  /** The first recipient's last inbox `seq` seen by the poller. */
  lastSeq: number;
}

interface Assessment {
  readonly tenant: Tenant;
  readonly projectId: string;
  readonly riskId: string;
  due?: number;
  answered?: number;
  /** When a raw consumer of the risk topic fetched its RiskAssessed. */
  onBroker?: number;
  failed?: string;
  visible?: number;
}

async function setUpTenant(agent: http.Agent, risk: ServiceProcess, notify: ServiceProcess, index: number): Promise<Tenant> {
  const id = `bench-notify-${RUN}-t${index}`;
  const admin = await signDevToken({ tenant: id, sub: `admin-${index}`, roles: ['pmo-admin'] });
  expectJson(await call({ port: risk.port, method: 'POST', path: '/risk-settings/categories', token: admin, agent, json: { categoryId: 'delivery', name: 'Delivery' } }), 201, 'category');
  const recipients: Array<{ sub: string; token: string }> = [];
  for (let r = 0; r < RECIPIENTS; r++) {
    const sub = `pm-${index}-${r}`;
    // With an address, as people have: each notification also goes out as an e-mail (the defaults send critical risks
    // immediately) to the bench's SMTP sink, so the service carries its whole load, not the inbox alone.
    const token = await signDevToken({ tenant: id, sub, roles: ['project-manager'], email: `${sub}@bench.example` });
    const json = { subscriptionId: 'critical-risks', scope: { kind: 'tenant' }, eventTypes: ['pm.risk.RiskAssessed'], minSeverity: 'high' };
    expectJson(await call({ port: notify.port, method: 'POST', path: '/subscriptions', token, agent, json }), [200, 201], 'subscription');
    recipients.push({ sub, token });
  }
  return { id, admin, recipients, projects: Array.from({ length: PROJECTS_PER_TENANT }, () => randomUUID()), lastSeq: 0 };
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>, aborted: () => boolean): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length && !aborted()) await work(items[next++]);
    }),
  );
}

/** Polls the first recipient's inbox of every tenant for rows after the last `seq` seen; stamps their assessments. */
function startPoller(readModel: Client, tenants: readonly Tenant[], byRisk: Map<string, Assessment>): { stop: () => Promise<void>; queryMs: number[] } {
  let running = true;
  const queryMs: number[] = [];
  const done = (async () => {
    while (running) {
      for (const tenant of tenants) {
        const started = performance.now();
        const { rows } = await readModel.query<{ seq: string; risk_id: string }>(
          `SELECT seq, subject->>'id' AS risk_id FROM notification_inbox WHERE tenant_id = $1 AND recipient_id = $2 AND seq > $3 ORDER BY seq`,
          [tenant.id, tenant.recipients[0].sub, tenant.lastSeq],
        );
        const now = performance.now();
        queryMs.push(now - started);
        for (const row of rows) {
          tenant.lastSeq = Math.max(tenant.lastSeq, Number(row.seq));
          const assessment = byRisk.get(row.risk_id);
          if (assessment && assessment.visible === undefined) assessment.visible = now;
        }
      }
      await sleep(POLL_MS);
    }
  })();
  return {
    queryMs,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

interface Counts {
  expected: number;
  delivered: number;
  duplicates: number;
}

/** Every recipient should have exactly one in-app notification per assessed risk. */
async function countDeliveries(readModel: Client, tenants: readonly Tenant[], assessments: readonly Assessment[]): Promise<Counts> {
  const ok = assessments.filter((a) => a.answered !== undefined);
  let delivered = 0;
  let duplicates = 0;
  for (const tenant of tenants) {
    const risks = ok.filter((a) => a.tenant === tenant).map((a) => a.riskId);
    const { rows } = await readModel.query<{ n: number; distinct_n: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (recipient_id, subject->>'id'))::int AS distinct_n
         FROM notification_inbox WHERE tenant_id = $1 AND subject->>'id' = ANY($2::text[])`,
      [tenant.id, risks],
    );
    delivered += rows[0].distinct_n;
    duplicates += rows[0].n - rows[0].distinct_n;
  }
  return { expected: ok.length * RECIPIENTS, delivered, duplicates };
}

function report(o: { assessments: Assessment[]; floor: Awaited<ReturnType<typeof floorLevel>>; counts: Counts; queryMs: number[]; pg: string; load: string; achieved: number }): void {
  const answered = o.assessments.filter((a) => a.answered !== undefined);
  const seen = answered.filter((a) => a.visible !== undefined);
  const rows: Array<[string, Summary]> = [
    [PRODUCER === 'store' ? 'event stored (append committed) → in the inbox' : 'event stored (command answered) → in the inbox', summarise(answered.map((a) => (a.visible === undefined ? Infinity : a.visible - a.answered!)))],
    ['  of which: stored → RiskAssessed fetchable from the broker', summarise(seen.filter((a) => a.onBroker !== undefined).map((a) => a.onBroker! - a.answered!))],
    ['  of which: broker → inbox row committed', summarise(seen.filter((a) => a.onBroker !== undefined).map((a) => a.visible! - a.onBroker!))],
    [`${PRODUCER === 'store' ? 'append' : 'command'} due → in the inbox (producer queueing included)`, summarise(seen.map((a) => a.visible! - a.due!))],
    [`${PRODUCER === 'store' ? 'append' : 'command'} due → stored`, summarise(answered.map((a) => a.answered! - a.due!))],
    ['floor: pg commit + acked produce + fetch, same rate', o.floor.fetched],
    ['poll query (one tenant)', summarise(o.queryMs)],
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(`\nbench:notify, run ${RUN}: ${RATE} events/s for ${SECONDS} s, stored by ${PRODUCER === 'store' ? 'appends to the risk service\'s store' : 'the risk service\'s HTTP commands'}, over ${TENANTS} tenants, ${RECIPIENTS} recipients each; PostgreSQL ${o.pg}, Node ${process.version}, ${os.cpus().length} cores, load ${o.load}\n`);
  console.log(line(['measure', 'n', 'p50', 'p95', 'p99', 'max']));
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const [name, s] of rows) console.log(line([name, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)]));
  const failed = o.assessments.filter((a) => a.failed);
  console.log(`\nassessments stored: ${answered.length} of ${o.assessments.length} (${failed.length} failed${failed[0] ? `, first: ${failed[0].failed}` : ''}); achieved ${o.achieved.toFixed(0)} stored/s in the window`);
  console.log(`notifications: ${o.counts.delivered} of ${o.counts.expected} expected in the inboxes, ${o.counts.duplicates} duplicates`);
  const whole = rows[0][1];
  console.log(`\nnotify / floor: p50 ${ratio(whole.p50, o.floor.fetched.p50)}, p99 ${ratio(whole.p99, o.floor.fetched.p99)}; goal: p99 under 1 s at ${RATE} events/s (${whole.p99 < 1000 && o.counts.delivered === o.counts.expected ? 'met' : 'NOT met'})`);
}

async function main(scope: RunScope): Promise<void> {
  const kafka = new Kafka({ clientId: `bench-notify-${RUN}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  scope.defer('disconnecting the admin client', () => admin.disconnect());
  await admin.connect();
  scope.defer(`deleting topics ${TOPIC_PREFIX}* and consumer groups bench-notify-${RUN}-*`, async () => {
    await admin.deleteTopics({ topics: [...CONTEXT_TOPICS, FLOOR_TOPIC], timeout: 30_000 }).catch((e: Error) => log(`deleting topics failed: ${e.message}`));
    await admin.deleteGroups(Object.values(GROUPS)).catch(() => undefined);
  });
  await admin.createTopics({ waitForLeaders: true, topics: [...CONTEXT_TOPICS, FLOOR_TOPIC].map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })) });
  for (const name of Object.values(DB)) await createDatabase(scope, name);

  const mailbox = await startSmtpSink(scope);
  log('starting risk-service and notification-service as child processes (as npm start does)');
  const options = (env: Record<string, string>) => ({ runLabel: `bench-notify-${RUN}`, topicPrefix: TOPIC_PREFIX, brokers: BROKERS, logLevel: LOG_LEVEL, env });
  const statementsFile = path.join(os.tmpdir(), `bench-notify-${RUN}-statements.json`);
  const riskStatementsFile = path.join(os.tmpdir(), `bench-notify-${RUN}-risk-statements.json`);
  scope.defer('removing the statement counts', () => [statementsFile, riskStatementsFile].forEach((f) => fs.rmSync(f, { force: true })));
  const risk = await startService(scope, 'risk-service', {
    ...options({ PG_URL: dbUrl(DB.risk), RISK_CONSUMER_GROUP: GROUPS.risk, RISK_PLAN_CONSUMER_GROUP: GROUPS.riskPlan }),
    statementsFile: riskStatementsFile,
  });
  const notify = await startService(scope, 'notification-service', { ...options({ PG_URL: dbUrl(DB.notification), NOTIFICATION_CONSUMER_GROUP: GROUPS.notification, WEBHOOK_CONSUMER_GROUP: GROUPS.webhooks, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mailbox.port) }), statementsFile });
  await Promise.all([waitReady(risk), waitReady(notify)]);
  const pg = await serverVersion();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  scope.defer('closing the HTTP agent', () => agent.destroy());

  const tenants: Tenant[] = [];
  for (let t = 0; t < TENANTS; t++) tenants.push(await setUpTenant(agent, risk, notify, t));
  const assessments: Assessment[] = Array.from({ length: RATE * SECONDS }, (_, i) => {
    const tenant = tenants[i % TENANTS];
    return { tenant, projectId: tenant.projects[Math.floor(i / TENANTS) % PROJECTS_PER_TENANT], riskId: randomUUID() };
  });
  log(`identifying ${assessments.length} risks (not timed)`);
  await inParallel(assessments, 16, async (a) => {
    const json = { riskId: a.riskId, kind: 'threat', title: 'Vendor may slip', cause: 'Single supplier', event: 'Late delivery', effect: 'Go-live moves', categoryId: 'delivery' };
    expectJson(await call({ port: risk.port, method: 'POST', path: `/projects/${a.projectId}/risks`, token: a.tenant.admin, agent, json }), 201, 'identify');
  }, () => scope.aborted);
  if (scope.aborted) return;
  const producer = PRODUCER === 'http' ? httpProducer(risk, agent) : await storeProducer(scope, risk, agent, tenants[0]);
  log('waiting for the notification service to catch up with the risk topic');
  await caughtUp(kafka, GROUPS.notification, RISK_TOPIC, () => scope.aborted);

  const readModel = new Client({ connectionString: dbUrl(DB.notification) });
  scope.defer('closing the read-model client', () => readModel.end());
  await readModel.connect();
  const byRisk = new Map(assessments.map((a) => [a.riskId, a]));
  await observeTopic(scope, kafka, GROUPS.observer, RISK_TOPIC, (message) => {
    if (message.headers?.['ce_type']?.toString() !== 'pm.risk.RiskAssessed') return;
    const assessment = byRisk.get((JSON.parse(message.value!.toString()) as { data: { riskId: string } }).data.riskId);
    if (assessment && assessment.onBroker === undefined) assessment.onBroker = performance.now();
  });
  const poller = startPoller(readModel, tenants, byRisk);
  scope.defer('stopping the poller', () => poller.stop());

  const [statementsBefore, riskStatementsBefore] = [await statementCounts(statementsFile), await statementCounts(riskStatementsFile)];
  const consumersBefore = await consumerMetrics(notify.port);
  log(`${RATE} assessments/s for ${SECONDS} s (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  // CPU profiles (BENCH_CPU_PROF_DIR) stamp samples with the machine's monotonic clock in µs: this window is the load's.
  const monotonicUs = () => process.hrtime.bigint() / 1000n;
  const loadStartUs = monotonicUs();
  let unanswered = 0;
  const loop = await openLoop({
    rate: RATE,
    seconds: SECONDS,
    maxOutstanding: MAX_OUTSTANDING,
    drainMs: DRAIN_MS,
    requestTimeoutMs: 30_000,
    aborted: () => scope.aborted,
    settled: () => unanswered === 0 && assessments.every((a) => a.failed !== undefined || a.due === undefined || a.visible !== undefined),
    start: async (i, due) => {
      const a = assessments[i];
      a.due = due;
      unanswered++;
      try {
        const failure = await producer(a);
        if (failure !== null) a.failed = failure;
        else a.answered = performance.now();
      } catch (e) {
        a.failed = (e as Error).message;
      }
      unanswered--;
    },
  });
  await poller.stop();
  log(`load and drain window, monotonic µs (for CPU profiles): ${loadStartUs} ${monotonicUs()}`);
  if (scope.aborted) return;
  const achieved = assessments.filter((a) => a.answered !== undefined && a.answered <= loop.windowEnd).length / SECONDS;
  const counts = await countDeliveries(readModel, tenants, assessments);
  const [statementsAfter, riskStatementsAfter] = [await statementCounts(statementsFile), await statementCounts(riskStatementsFile)];
  const consumersAfter = await consumerMetrics(notify.port);
  log(`floor at ${RATE}/s for ${SECONDS} s`);
  const floor = await measureFloor(scope, kafka);
  if (scope.aborted) return;
  report({ assessments, floor, counts, queryMs: poller.queryMs, pg, load: os.loadavg().map((l) => l.toFixed(2)).join(' '), achieved });
  console.log(`e-mails received by the SMTP sink by the end: ${mailbox.received()} (one per notification that had its e-mail sent immediately)`);
  printStatements('risk service', riskStatementsBefore, riskStatementsAfter, assessments.filter((a) => a.answered !== undefined).length, 'assessment answered', STATEMENT_ROWS);
  printStatements('notification service', statementsBefore, statementsAfter, counts.delivered / RECIPIENTS, 'assessment delivered', STATEMENT_ROWS);
  printConsumerMetrics('notification service', consumersBefore, consumersAfter);
  scope.succeeded = true;
}

/** Stores one assessment's RiskAssessed; null when stored, else why not. */
type Producer = (a: Assessment) => Promise<string | null>;

const ASSESSMENT = { inherent: { schedule: { probability: 5, impact: 5 } } };

function httpProducer(risk: ServiceProcess, agent: http.Agent): Producer {
  return async (a) => {
    const answer = await call({ port: risk.port, method: 'POST', path: `/projects/${a.projectId}/risks/${a.riskId}/assessments`, token: a.tenant.admin, agent, json: ASSESSMENT, timeoutMs: 30_000 });
    return answer.status === 200 ? null : `HTTP ${answer.status} ${answer.body.toString('utf8').slice(0, 200)}`;
  };
}

/**
 * Appends straight to the risk service's store: a warm-up risk is assessed once over HTTP (not measured), and each
 * assessment of the load appends a copy of the RiskAssessed the service wrote for it, with the assessed risk's ids
 * and fresh event ids, after the risk's RiskIdentified. The service's relay is woken by the store's NOTIFY as after
 * its own commits.
 */
async function storeProducer(scope: RunScope, risk: ServiceProcess, agent: http.Agent, tenant: Tenant): Promise<Producer> {
  const warmUp = { tenant, projectId: tenant.projects[0], riskId: randomUUID() };
  const json = { riskId: warmUp.riskId, kind: 'threat', title: 'Warm-up', cause: 'Bench', event: 'Warm-up', effect: 'None', categoryId: 'delivery' };
  expectJson(await call({ port: risk.port, method: 'POST', path: `/projects/${warmUp.projectId}/risks`, token: tenant.admin, agent, json }), 201, 'warm-up identify');
  const answer = await call({ port: risk.port, method: 'POST', path: `/projects/${warmUp.projectId}/risks/${warmUp.riskId}/assessments`, token: tenant.admin, agent, json: ASSESSMENT });
  if (answer.status !== 200) throw new Error(`warm-up assessment: HTTP ${answer.status} ${answer.body.toString('utf8').slice(0, 200)}`);
  const pool = new Pool({ connectionString: dbUrl(DB.risk), max: 16 });
  scope.defer('closing the risk store pool', () => pool.end());
  const store = new PgEventStore(pool);
  const template = (await store.readStream(riskStreamId(tenant.id, warmUp.riskId))).find((e) => e.type === 'RiskAssessed');
  if (!template) throw new Error('the warm-up assessment stored no RiskAssessed');
  return async (a) => {
    const metadata = { eventId: randomUUID(), tenantId: a.tenant.id, actor: template.metadata.actor, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() };
    const data = { ...(template.data as Record<string, unknown>), riskId: a.riskId, projectId: a.projectId, assessedAt: metadata.occurredAt };
    await store.append(riskStreamId(a.tenant.id, a.riskId), [{ type: template.type, schemaVersion: template.schemaVersion, data, metadata }], 'stream-exists');
    return null;
  };
}

async function measureFloor(scope: RunScope, kafka: Kafka): Promise<Awaited<ReturnType<typeof floorLevel>>> {
  const pool = new Pool({ connectionString: dbUrl(DB.floor), max: 16 });
  scope.defer('closing the floor pool', () => pool.end());
  await pool.query(FLOOR_TABLE);
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  scope.defer('disconnecting the floor producer', () => producer.disconnect());
  await producer.connect();
  const fetchedAt = new Map<string, number>();
  await observeTopic(scope, kafka, GROUPS.floor, FLOOR_TOPIC, (message) => void fetchedAt.set(message.key!.toString(), performance.now()));
  return floorLevel(RATE, SECONDS, {
    pool,
    producer,
    fetchedAt,
    run: RUN,
    topic: FLOOR_TOPIC,
    maxOutstanding: MAX_OUTSTANDING,
    aborted: () => scope.aborted,
    openLoop: (o) => openLoop({ ...o, drainMs: DRAIN_MS, requestTimeoutMs: 30_000 }),
  });
}

runBench(log, main);
