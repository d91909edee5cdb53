/*
 * `npm run bench:risk-signal`: how long a plan's signal takes to become an automatic risk in the register (issue 11
 * point 4: "within a second of the event that shows it"), against a floor measured in the same run.
 *
 * - planning-service and risk-service run as child processes, as `npm start` runs them, each on a fresh database and
 *   a consumer group of its own, on Kafka topics of their own (bench/rig/bench-topics.preload.ts), all removed at the end.
 * - Setup per signal (not timed): a project with two 5-day tasks of 5,000 each, a milestone, finish-to-start links and
 *   baseline 0, no progress: no earned value is published yet (no data date).
 * - Signal: `PUT /projects/{p}/status-date` (10 March, one week in: PV 7,000, EV 0, SPI 0). Planning appends the status
 *   date and ProjectEarnedValueCalculated in one transaction and answers after its commit; the relay publishes; the
 *   risk service's consumer maps the event to a fact, reads the tenant's rules and the project's signal book, and
 *   appends AutomaticRiskRaised with its register row. Measured from the command's answer (its store commit has
 *   happened; the answer's trip back is well under a millisecond here) to the row in `risk_register` (one SELECT per
 *   BENCH_POLL_MS for the outstanding projects). One signal at a time (BENCH_SIGNALS of them, default 120): latency
 *   without queueing. A kafkajs observer of the planning topic splits it into "planning → broker" and "risk service".
 * - Floor, same count, one at a time: one INSERT committed on its own (raw pg), one acknowledged send (acks=all) of a
 *   message of the same size, and its fetch by a raw kafkajs consumer. The signal needs at least that: planning's commit,
 *   the relay's send, the risk consumer's fetch and its commit (two commits and one produce/fetch).
 *
 * Env: BENCH_SIGNALS (default 120), BENCH_POLL_MS (default 2), BENCH_LOG_LEVEL (services' LOG_LEVEL, default warn),
 * PG_URL and KAFKA_BROKERS (set by scripts/bench.mjs --postgres --kafka).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Client, Pool } from 'pg';
import { signDevToken } from '@pm/platform/auth';
import { createDatabase, dbUrl, serverVersion } from './rig/bench-pg';
import { observeTopic } from './rig/kafka-observer';
import { runBench } from './rig/run-scope';
import type { RunScope } from './rig/run-scope';
import { startService, waitReady } from './rig/service-process';
import type { ServiceProcess } from './rig/service-process';
import { ms, ratio, summarise } from './rig/stats';
import type { Summary } from './rig/stats';

const SIGNALS = Number(process.env.BENCH_SIGNALS ?? 120);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 2);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
if (!Number.isInteger(SIGNALS) || SIGNALS < 1 || !(POLL_MS > 0)) throw new Error('BENCH_SIGNALS must be a whole number ≥ 1 and BENCH_POLL_MS positive');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const RUN = randomBytes(4).toString('hex');
const TOPIC_PREFIX = `bench-risk-${RUN}.`;
const CONTEXT_TOPICS = ['planning', 'resource', 'risk', 'notification'].map((c) => `${TOPIC_PREFIX}pm.${c}.events`);
const FLOOR_TOPIC = `${TOPIC_PREFIX}floor`;
const DB = { planning: `bench_risk_${RUN}_planning`, risk: `bench_risk_${RUN}_risk`, floor: `bench_risk_${RUN}_floor` };
const GROUPS = { planning: `bench-risk-${RUN}-planning`, risk: `bench-risk-${RUN}-risk`, floor: `bench-risk-${RUN}-floor`, observer: `bench-risk-${RUN}-observer` };
const TIMEOUT_MS = 30_000;

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const log = (msg: string) => process.stderr.write(`[bench:risk-signal] ${msg}\n`);

async function http(port: number, token: string, method: 'POST' | 'PUT', path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function setUpProject(port: number, token: string): Promise<string> {
  const projectId = randomUUID();
  await http(port, token, 'POST', '/projects', { projectId, name: `Signal ${projectId.slice(0, 8)}`, startDate: '2026-03-02' });
  const schedule = `/projects/${projectId}/schedule`;
  await http(port, token, 'POST', schedule);
  await http(port, token, 'POST', `${schedule}/tasks`, { taskId: 'survey', name: 'Site survey', durationDays: 5, costBudget: 5000 });
  await http(port, token, 'POST', `${schedule}/tasks`, { taskId: 'cabling', name: 'Cabling', durationDays: 5, costBudget: 5000 });
  await http(port, token, 'POST', `${schedule}/tasks`, { taskId: 'live', name: 'Network live', kind: 'milestone' });
  await http(port, token, 'POST', `${schedule}/dependencies`, { predecessorId: 'survey', successorId: 'cabling' });
  await http(port, token, 'POST', `${schedule}/dependencies`, { predecessorId: 'cabling', successorId: 'live' });
  await http(port, token, 'PUT', `${schedule}/baselines/0`);
  return projectId;
}

async function waitUntil<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = performance.now() + TIMEOUT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

interface Sample {
  readonly toRegister: number;
  readonly toBroker: number;
  readonly answerMs: number;
}

async function measureSignals(rig: { planning: ServiceProcess; token: string; tenant: string; readModel: Client; onBroker: Map<string, number>; aborted: () => boolean }): Promise<Sample[]> {
  const projects: string[] = [];
  log(`setting up ${SIGNALS} baselined plans`);
  for (let i = 0; i < SIGNALS && !rig.aborted(); i++) projects.push(await setUpProject(rig.planning.port, rig.token));
  log('signals, one at a time');
  const samples: Sample[] = [];
  for (const projectId of projects) {
    if (rig.aborted()) break;
    const sent = performance.now();
    await http(rig.planning.port, rig.token, 'PUT', `/projects/${projectId}/status-date`, { statusDate: '2026-03-10' });
    const committed = performance.now();
    const visible = await waitUntil(async () => {
      const { rowCount } = await rig.readModel.query(`SELECT 1 FROM risk_register WHERE tenant_id = $1 AND project_id = $2 AND origin = 'automatic' AND rule_id = 'spi-below'`, [rig.tenant, projectId]);
      return rowCount ? performance.now() : undefined;
    }, `automatic risk of project ${projectId}`);
    const onBroker = rig.onBroker.get(projectId) ?? NaN;
    samples.push({ toRegister: visible - committed, toBroker: onBroker - committed, answerMs: committed - sent });
  }
  return samples;
}

async function measureFloor(pool: Pool, kafka: Kafka, fetchedAt: Map<string, number>, aborted: () => boolean): Promise<number[]> {
  await pool.query('CREATE TABLE IF NOT EXISTS floor_rows (id uuid PRIMARY KEY, body jsonb NOT NULL)');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = JSON.stringify({ specversion: '1.0', type: 'pm.planning.ProjectEarnedValueCalculated', data: { pad: 'x'.repeat(1500) } });
  const samples: number[] = [];
  try {
    for (let i = 0; i < SIGNALS && !aborted(); i++) {
      const id = randomUUID();
      const started = performance.now();
      await pool.query('INSERT INTO floor_rows (id, body) VALUES ($1, $2)', [id, value]);
      await producer.send({ topic: FLOOR_TOPIC, acks: -1, messages: [{ key: id, value }] });
      const fetched = await waitUntil(async () => fetchedAt.get(id), `floor message ${id}`);
      samples.push(fetched - started);
    }
  } finally {
    await producer.disconnect();
  }
  return samples;
}

function report(signal: Sample[], floor: number[], context: { pg: string; load: string }): void {
  const rows: Array<[string, Summary]> = [
    ['command answered → automatic risk in the register', summarise(signal.map((s) => s.toRegister))],
    ['  of which: command answered → event fetchable from the broker', summarise(signal.map((s) => s.toBroker).filter(Number.isFinite))],
    ['  of which: broker → risk row committed', summarise(signal.filter((s) => Number.isFinite(s.toBroker)).map((s) => s.toRegister - s.toBroker))],
    ['the status-date command itself (HTTP round trip)', summarise(signal.map((s) => s.answerMs))],
    ['floor: pg commit + acked produce + fetch', summarise(floor)],
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(`\nbench:risk-signal, run ${RUN}: ${signal.length} signals one at a time; PostgreSQL ${context.pg}, Node ${process.version}, ${os.cpus().length} cores, load ${context.load}\n`);
  console.log(line(['measure', 'n', 'p50', 'p95', 'p99', 'max']));
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const [name, s] of rows) console.log(line([name, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)]));
  const [whole] = rows;
  const floorSummary = rows[rows.length - 1][1];
  console.log(`\nsignal / floor: p50 ${ratio(whole[1].p50, floorSummary.p50)}, p99 ${ratio(whole[1].p99, floorSummary.p99)}; goal: p99 under 1 s (${whole[1].p99 < 1000 ? 'met' : 'NOT met'})`);
}

async function main(scope: RunScope): Promise<void> {
  const kafka = new Kafka({ clientId: `bench-risk-${RUN}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  scope.defer('disconnecting the admin client', () => admin.disconnect());
  await admin.connect();
  scope.defer(`deleting topics ${TOPIC_PREFIX}* and consumer groups bench-risk-${RUN}-*`, async () => {
    await admin.deleteTopics({ topics: [...CONTEXT_TOPICS, FLOOR_TOPIC], timeout: 30_000 }).catch((e: Error) => log(`deleting topics failed: ${e.message}`));
    await admin.deleteGroups(Object.values(GROUPS)).catch(() => undefined);
  });
  await admin.createTopics({ waitForLeaders: true, topics: [...CONTEXT_TOPICS, FLOOR_TOPIC].map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })) });
  for (const name of Object.values(DB)) await createDatabase(scope, name);

  log('starting planning-service and risk-service as child processes (as npm start does)');
  const options = (env: Record<string, string>) => ({ runLabel: `bench-risk-${RUN}`, topicPrefix: TOPIC_PREFIX, brokers: BROKERS, logLevel: LOG_LEVEL, env });
  const planning = await startService(scope, 'planning-service', options({ PG_URL: dbUrl(DB.planning), PLANNING_CONSUMER_GROUP: GROUPS.planning }));
  const risk = await startService(scope, 'risk-service', options({ PG_URL: dbUrl(DB.risk), RISK_CONSUMER_GROUP: GROUPS.risk }));
  await Promise.all([waitReady(planning), waitReady(risk)]);
  const pg = await serverVersion();

  const onBroker = new Map<string, number>();
  const fetchedAt = new Map<string, number>();
  await observeTopic(scope, kafka, GROUPS.observer, `${TOPIC_PREFIX}pm.planning.events`, (message) => {
    if (message.headers?.['ce_type']?.toString() !== 'pm.planning.ProjectEarnedValueCalculated') return;
    const projectId = (JSON.parse(message.value!.toString()) as { data: { projectId: string } }).data.projectId;
    if (!onBroker.has(projectId)) onBroker.set(projectId, performance.now());
  });
  await observeTopic(scope, kafka, GROUPS.floor, FLOOR_TOPIC, (message) => void fetchedAt.set(message.key!.toString(), performance.now()));

  const tenant = `bench-risk-${RUN}`;
  const token = await signDevToken({ tenant, sub: 'bench-pm', roles: ['project-manager'] });
  const readModel = new Client({ connectionString: dbUrl(DB.risk) });
  scope.defer('closing the read-model client', () => readModel.end());
  await readModel.connect();
  const floorPool = new Pool({ connectionString: dbUrl(DB.floor), max: 2 });
  scope.defer('closing the floor pool', () => floorPool.end());

  const signal = await measureSignals({ planning, token, tenant, readModel, onBroker, aborted: () => scope.aborted });
  if (scope.aborted) return;
  const floor = await measureFloor(floorPool, kafka, fetchedAt, () => scope.aborted);
  if (scope.aborted) return;
  report(signal, floor, { pg, load: os.loadavg().map((l) => l.toFixed(2)).join(' ') });
  void risk;
  scope.succeeded = true;
}

runBench(log, main);
