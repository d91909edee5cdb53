/*
 * `npm run bench:e2e`: a command's effect, from the HTTP request to another service's read model, under an open-loop
 * load of 50, 100, 200 and 500 commands/s, against a floor measured in the same run at the same rates.
 *
 * - The planning and reporting services run as child processes, started the way `npm start` starts them
 *   (node -r @swc-node/register apps/<service>/src/main.ts), each on a fresh database of its own and a consumer
 *   group of its own. bench/rig/bench-topics.preload.ts gives them Kafka topics of their own (`bench-e2e-<run>.pm.*`),
 *   deleted at the end with the databases and consumer groups, also on Ctrl-C (bench/rig/run-scope.ts).
 * - Command: POST /projects on planning (client-chosen projectId, a new tenant per rate). Effect: the project's row
 *   in reporting's `project_summaries` read model, fed by pm.planning.ProjectCreated through the relay, Kafka and
 *   reporting's batched consumer. The bench reads that table directly: one SELECT per tick (BENCH_POLL_MS) for every
 *   outstanding id, so the detection costs one small query per tick, not one request per command.
 * - Open loop: command i is due at t0 + i/rate whatever happened before; latency is counted from that due time, so
 *   time spent waiting for a free connection (at most BENCH_MAX_OUTSTANDING requests in flight) or behind a late
 *   timer is included (no coordinated omission).
 * - Floor, same rate, same open loop: one INSERT committed on its own (raw pg), one acknowledged send (raw kafkajs
 *   producer, acks=all) of a message of the same size, and the fetch of that message by a raw kafkajs consumer.
 * - Where the time goes: the bench's own kafkajs consumer of the services' planning topic notes when each event could
 *   be fetched from the broker, which splits the latency into "command + commit + relay" and "reporting's consumer".
 * - CPU: the load generator's own (process.cpuUsage: HTTP client, polling, broker observer, floor clients), each service's, the
 *   PostgreSQL backends serving the bench's databases and the broker's (/proc/<pid>/stat), and the whole machine's
 *   (/proc/stat), as a share of one core.
 *
 * Env: BENCH_SECONDS (per rate, default 60), BENCH_FLOOR_SECONDS (default min(BENCH_SECONDS, 30)),
 * BENCH_RATES (default 50,100,200,500), BENCH_MAX_OUTSTANDING (HTTP requests in flight, default 256),
 * BENCH_DRAIN_SECONDS (how long after the last due time a command may still become visible, default 30),
 * BENCH_POLL_MS (default 5), BENCH_LOG_LEVEL (services' LOG_LEVEL, default info as with npm start),
 * PG_URL and KAFKA_BROKERS (set by scripts/bench.mjs --postgres --kafka).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
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
import { CpuMeter, brokerPid } from './rig/cpu-meter';
import { openLoop as runOpenLoop } from './rig/open-loop';
import { ms as formatMs, summarise } from './rig/stats';
import { FLOOR_TABLE, floorLevel } from './e2e-floor';
import type { FloorResult, FloorRig } from './e2e-floor';
import { FIRST_SECONDS, report } from './e2e-report';
import type { E2eResult } from './e2e-report';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
};
const SECONDS = num('BENCH_SECONDS', 60);
const FLOOR_SECONDS = num('BENCH_FLOOR_SECONDS', Math.min(SECONDS, 30));
const RATES = (process.env.BENCH_RATES ?? '50,100,200,500').split(',').map((r) => Number(r.trim()));
if (RATES.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`BENCH_RATES must be positive numbers: ${process.env.BENCH_RATES}`);
const MAX_OUTSTANDING = num('BENCH_MAX_OUTSTANDING', 256);
const DRAIN_MS = num('BENCH_DRAIN_SECONDS', 30) * 1000;
const POLL_MS = num('BENCH_POLL_MS', 5);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const REQUEST_TIMEOUT_MS = 30_000;

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const RUN = randomBytes(4).toString('hex');
const TOPIC_PREFIX = `bench-e2e-${RUN}.`;
const CONTEXT_TOPICS = ['planning', 'resource', 'risk', 'notification'].map((c) => `${TOPIC_PREFIX}pm.${c}.events`);
const FLOOR_TOPIC = `${TOPIC_PREFIX}floor`;
const PARTITIONS = 6;
const DB = { planning: `bench_e2e_${RUN}_planning`, reporting: `bench_e2e_${RUN}_reporting`, floor: `bench_e2e_${RUN}_floor` };
const PLANNING_TOPIC = `${TOPIC_PREFIX}pm.planning.events`;
const GROUPS = {
  planning: `bench-e2e-${RUN}-planning`,
  reporting: `bench-e2e-${RUN}-reporting`,
  floor: `bench-e2e-${RUN}-floor`,
  observer: `bench-e2e-${RUN}-observer`,
};

/** For best-effort cleanup steps whose failure changes nothing. */
const ignore = (): void => undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[bench:e2e] ${msg}\n`);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const load1 = () => os.loadavg()[0].toFixed(2);

const openLoop = (o: Omit<Parameters<typeof runOpenLoop>[0], 'drainMs' | 'requestTimeoutMs'>) => runOpenLoop({ ...o, drainMs: DRAIN_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS });

// ---------------------------------------------------------------- statistics

const ms = (v: number): string => formatMs(v, `> ${DRAIN_MS / 1000} s`);

// ---------------------------------------------------------------- the end-to-end level

interface Command {
  id: string;
  due: number;
  answered?: number;
  status?: number;
  error?: string;
  visible?: number;
}

/** Finds, with one query per tick, which of the outstanding project ids reporting's read model shows. */
class VisibilityPoller {
  private readonly pending = new Map<string, Command>();
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  readonly queryMs: number[] = [];
  polls = 0;

  constructor(private readonly client: Client) {}

  watch(tenant: string, cmd: Command): void {
    this.tenant = tenant;
    this.pending.set(cmd.id, cmd);
  }
  forget(cmd: Command): void {
    this.pending.delete(cmd.id);
  }
  get outstanding(): number {
    return this.pending.size;
  }
  private tenant = '';

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = performance.now();
        if (this.pending.size) {
          let rows: Array<{ project_id: string }>;
          try {
            // Named: the bench's own 200 polls a second are parsed once, not each time, on the server it measures.
            ({ rows } = await this.client.query<{ project_id: string }>({
              name: 'bench_visible',
              text: 'SELECT project_id FROM project_summaries WHERE tenant_id = $1 AND project_id = ANY($2::uuid[])',
              values: [this.tenant, [...this.pending.keys()]],
            }));
          } catch (error) {
            // Stopped under it (interrupt), or the read model's database failed: the commands stay not visible.
            if (this.running) log(`polling the read model failed: ${(error as Error).message}`);
            this.running = false;
            break;
          }
          const seen = performance.now();
          this.polls++;
          this.queryMs.push(seen - started);
          for (const { project_id } of rows) {
            const cmd = this.pending.get(project_id);
            if (!cmd) continue;
            cmd.visible = seen;
            this.pending.delete(project_id);
          }
        }
        await sleep(Math.max(0, started + POLL_MS - performance.now()));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

function postJson(agent: http.Agent, port: number, urlPath: string, token: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}


interface E2eRig {
  planning: ServiceProcess;
  poller: VisibilityPoller;
  agent: http.Agent;
  /** When the bench's own consumer of the services' planning topic fetched each project's event. */
  onBroker: Map<string, number>;
  aborted: () => boolean;
}

const visibleAfter = (c: Command): number => (c.visible === undefined ? Infinity : c.visible - c.due);

async function e2eLevel(rate: number, seconds: number, rig: E2eRig, cpu: CpuMeter): Promise<E2eResult> {
  const { planning, poller, agent, onBroker } = rig;
  const tenant = `bench-e2e-${RUN}-${rate}-${randomBytes(2).toString('hex')}`;
  const token = await signDevToken({ tenant, roles: ['project-manager'], sub: 'bench-e2e' });
  const commands: Command[] = [];
  const errors = new Map<string, number>();
  let unanswered = 0;
  const loadBefore = load1();
  poller.queryMs.length = 0;
  poller.polls = 0;
  const before = cpu.snapshot();
  const loop = await openLoop({
    rate,
    seconds,
    maxOutstanding: MAX_OUTSTANDING,
    aborted: rig.aborted,
    settled: () => poller.outstanding === 0 && unanswered === 0,
    start: async (i, due) => {
      const cmd: Command = { id: randomUUID(), due };
      commands.push(cmd);
      unanswered++;
      poller.watch(tenant, cmd);
      try {
        cmd.status = await postJson(agent, planning.port, '/projects', token, { projectId: cmd.id, name: `Bench project ${i}` });
      } catch (e) {
        cmd.error = (e as Error).message;
      }
      cmd.answered = performance.now();
      unanswered--;
      if (cmd.status === undefined || cmd.status < 200 || cmd.status >= 300) {
        poller.forget(cmd);
        const key = cmd.error ?? `HTTP ${cmd.status}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    },
  });
  const after = cpu.snapshot();
  const ok = commands.filter((c) => c.status !== undefined && c.status >= 200 && c.status < 300);
  for (const c of ok) if (c.visible === undefined) poller.forget(c);
  const unsent = loop.scheduled - loop.launched;
  if (unsent) errors.set('not sent (outstanding limit until the drain deadline)', unsent);
  return {
    rate,
    loop,
    ok: ok.length,
    okInWindow: ok.filter((c) => c.answered! <= loop.windowEnd).length,
    errors,
    visible: summarise(ok.map(visibleAfter)),
    visibleFirst: summarise(ok.filter((c) => c.due - loop.t0 < FIRST_SECONDS * 1000).map(visibleAfter)),
    visibleRest: summarise(ok.filter((c) => c.due - loop.t0 >= FIRST_SECONDS * 1000).map(visibleAfter)),
    notVisible: ok.filter((c) => c.visible === undefined).length,
    answer: summarise(ok.map((c) => c.answered! - c.due)),
    toBroker: summarise(ok.map((c) => (onBroker.has(c.id) ? onBroker.get(c.id)! - c.due : Infinity))),
    brokerToVisible: summarise(ok.filter((c) => c.visible !== undefined && onBroker.has(c.id)).map((c) => c.visible! - onBroker.get(c.id)!)),
    cpu: cpu.between(before, after),
    pollMs: summarise(poller.queryMs),
    polls: poller.polls,
    load: [loadBefore, load1()],
  };
}

// ---------------------------------------------------------------- the floor: commit + acknowledged send + fetch

// ---------------------------------------------------------------- main

async function main(scope: RunScope): Promise<void> {
  const kafka = new Kafka({ clientId: `bench-e2e-${RUN}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const startLoad = loadavg();
  log(`run ${RUN}: load average ${startLoad}; ${SECONDS} s per rate (floor ${FLOOR_SECONDS} s), rates ${RATES.join(', ')}/s`);
  scope.defer('disconnecting the admin client', () => admin.disconnect());
  await admin.connect();
  scope.defer(`deleting topics ${TOPIC_PREFIX}* and consumer groups bench-e2e-${RUN}-*`, async () => {
    await admin.deleteTopics({ topics: [...CONTEXT_TOPICS, FLOOR_TOPIC], timeout: 30_000 }).catch((e: Error) => log(`deleting topics failed: ${e.message}`));
    await admin.deleteGroups(Object.values(GROUPS)).catch(ignore);
    log(`cleaned up: databases ${Object.values(DB).join(', ')}; topics ${TOPIC_PREFIX}*; consumer groups bench-e2e-${RUN}-*`);
  });
  await admin.createTopics({
    waitForLeaders: true,
    topics: [...CONTEXT_TOPICS, FLOOR_TOPIC].map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
  });
  for (const name of Object.values(DB)) await createDatabase(scope, name);

  log('starting planning-service and reporting-service as child processes (as npm start does)');
  const serviceOptions = (env: Record<string, string>) => ({ runLabel: `bench-e2e-${RUN}`, topicPrefix: TOPIC_PREFIX, brokers: BROKERS, logLevel: LOG_LEVEL, env });
  const planning = await startService(scope, 'planning-service', serviceOptions({ PG_URL: dbUrl(DB.planning), PLANNING_CONSUMER_GROUP: GROUPS.planning }));
  const reporting = await startService(scope, 'reporting-service', serviceOptions({ PG_URL: dbUrl(DB.reporting), REPORTING_CONSUMER_GROUP: GROUPS.reporting }));
  const services: ServiceProcess[] = [planning, reporting];
  await Promise.all(services.map((svc) => waitReady(svc)));
  const pgVersion = await serverVersion();

  // Raw clients of the floor, and the read-model reader.
  const floorPool = new Pool({ connectionString: dbUrl(DB.floor), max: 20 });
  scope.defer('closing the floor pool', () => floorPool.end());
  await floorPool.query(FLOOR_TABLE);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  scope.defer('disconnecting the floor producer', () => producer.disconnect());
  await producer.connect();
  const fetchedAt = new Map<string, number>();
  await observeTopic(scope, kafka, GROUPS.floor, FLOOR_TOPIC, (message) => {
    if (message.key) fetchedAt.set(message.key.toString(), performance.now());
  });
  // A consumer of the services' planning topic, to split the path at the broker (and to prove that the services
  // publish to the bench's topic, not to the shared one).
  const onBroker = new Map<string, number>();
  await observeTopic(scope, kafka, GROUPS.observer, PLANNING_TOPIC, (message) => {
    const id = (JSON.parse(message.value?.toString() ?? '{}') as { data?: { projectId?: string } }).data?.projectId;
    if (id) onBroker.set(id, performance.now());
  });
  const readModel = new Client({ connectionString: dbUrl(DB.reporting) });
  scope.defer('closing the read-model client', () => readModel.end());
  await readModel.connect();
  // The poll is parsed once (named) but planned on every execution for the table as it is: a plan kept while
  // project_summaries was empty read all of the tenant's rows on every poll (ADR 0023 amendment).
  await readModel.query('SET plan_cache_mode = force_custom_plan');
  const poller = new VisibilityPoller(readModel);
  scope.defer('stopping the read-model poller', () => poller.stop());
  poller.start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_OUTSTANDING });
  scope.defer('closing HTTP connections', () => agent.destroy());
  const rig: E2eRig = { planning, poller, agent, onBroker, aborted: () => scope.aborted };

  // Warm-up: until commands are seen through reporting (its consumer has joined its group), then a short run.
  log('warm-up: waiting until a command shows in the reporting read model');
  const warmDeadline = Date.now() + 120_000;
  for (;;) {
    const warm = await e2eLevel(10, 1, rig, new CpuMeter(new Map(), null));
    if (scope.aborted) return;
    if (warm.notVisible === 0 && warm.ok === warm.loop.scheduled) break;
    if (Date.now() > warmDeadline) throw new Error('commands did not show in the reporting read model within 120 s of warming up');
  }
  await e2eLevel(50, 3, rig, new CpuMeter(new Map(), null));
  if (!onBroker.size) throw new Error(`nothing arrived on ${PLANNING_TOPIC}: the services did not take the bench's topics (bench/rig/bench-topics.preload.ts)`);
  const floorRig: FloorRig = { pool: floorPool, producer, fetchedAt, aborted: () => scope.aborted, run: RUN, topic: FLOOR_TOPIC, maxOutstanding: MAX_OUTSTANDING, openLoop };
  await floorLevel(50, 3, floorRig);

  const cpu = new CpuMeter(new Map(services.map((s) => [s.name, s.child.pid!])), brokerPid(), Object.values(DB));
  const results: Array<{ e2e: E2eResult; floor: FloorResult }> = [];
  for (const rate of RATES) {
    if (scope.aborted) return;
    log(`${rate} commands/s for ${SECONDS} s (load average ${loadavg()})`);
    const e2e = await e2eLevel(rate, SECONDS, rig, cpu);
    if (scope.aborted) return;
    log(`  visible p50 ${ms(e2e.visible.p50)} p99 ${ms(e2e.visible.p99)}; floor at ${rate}/s for ${FLOOR_SECONDS} s`);
    await sleep(1000);
    const floor = await floorLevel(rate, FLOOR_SECONDS, floorRig);
    log(`  floor p50 ${ms(floor.fetched.p50)} p99 ${ms(floor.fetched.p99)}`);
    results.push({ e2e, floor });
    await sleep(1000);
  }
  if (scope.aborted) return;
  await poller.stop();
  report(results, startLoad, pgVersion, { seconds: SECONDS, floorSeconds: FLOOR_SECONDS, maxOutstanding: MAX_OUTSTANDING, pollMs: POLL_MS, drainMs: DRAIN_MS, rates: RATES });
  scope.succeeded = true;
}

runBench(log, main);
