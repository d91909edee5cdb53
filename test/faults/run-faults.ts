/*
 * `npm run test:faults` (ADR 0014, 0015, 0018): the real services under a mixed HTTP load while their processes, their Kafka
 * broker and their PostgreSQL server are killed with SIGKILL and restarted; then proofs that nothing acknowledged was
 * lost or doubled, that each idempotency key yielded one effect, and that every read model equals a fresh rebuild.
 * Reporting runs as three instances and planning as two; one of each is killed mid-load and the takeover is timed.
 * Everything runs on servers of the suite's own (test/faults/infra.ts), never the shared :5432 / :9092.
 * Env knobs: test/faults/config.ts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signDevToken } from '@pm/platform/auth';
import { FaultKafka, FaultPostgres } from './infra';
import { injectFaults } from './inject';
import type { Links } from './inject';
import { FaultProxy } from './proxy';
import { post, runLoad } from './load';
import type { Command, LoadState } from './load';
import { proveRebuilds } from './rebuild-check';
import { FaultService } from './services';
import { proveAnswers } from './verify-http';
import { proveApplied, provePublished, proveStored } from './verify-store';
import { spreadRow } from './scale-out';
import { COMMANDS, DB_OF, RATE, REBUILD_CHECK, REPLICAS, SERVICE_OF, SESSION_TIMEOUT_MS, SHORT, formatTable, freePort, instanceName, log, portFromEnv, showTally, tally } from './config';
import type { Row, Service } from './config';
import type { Fault } from './inject';

const { ensureTopics } = require('../../scripts/lib/infra.mjs') as { ensureTopics: (o: { brokers: string }) => Promise<unknown> };

const TENANT = `faults-${randomUUID().slice(0, 8)}`;

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-faults-'));
  fs.chmodSync(dir, 0o755);
  log(`${COMMANDS} commands at ${RATE}/s, ${SHORT ? 'short form' : 'full form'}; instances: ${Object.entries(REPLICAS).map(([s, n]) => `${s} ×${n}`).join(', ')}; servers in ${dir}`);
  // Free ports unless given: two runs at once (two worktrees) must not share, let alone kill, each other's servers.
  const pgPort = portFromEnv('FAULTS_PG_PORT') ?? (await freePort());
  const kafkaPort = portFromEnv('FAULTS_KAFKA_PORT') ?? (await freePort());
  const fixed = portFromEnv('FAULTS_KAFKA_PORT') !== null;
  const pg = new FaultPostgres(dir, pgPort);
  // Every client reaches the broker and the database through a proxy of the suite's (network faults); the broker
  // advertises the proxy's port, so a client following metadata cannot go around it.
  const kafkaLink = new FaultProxy('kafka', fixed ? kafkaPort + 2 : await freePort(), kafkaPort);
  const kafka = new FaultKafka(dir, kafkaPort, fixed ? kafkaPort + 1 : await freePort(), kafkaLink.port);
  const links: Links = { kafka: kafkaLink, postgres: new FaultProxy('postgres', await freePort(), pgPort) };
  const services = new Map<string, FaultService>();
  // A crash of this runner (an uncaught error) skips the `finally` below: SIGKILL what it started on the way out, so
  // no service keeps joining the next run's groups on the same ports (a run that crashed once left eight behind).
  let cleaned = false;
  process.once('exit', () => {
    if (cleaned) return;
    for (const s of services.values()) s.killNow();
    kafka.killNow();
    pg.killNow();
  });
  // Interrupted (Ctrl-C, a CI timeout): exit, so the hook above runs.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  let ok = false;
  try {
    await links.kafka.start();
    await links.postgres.start();
    await pg.init();
    await pg.start();
    await pg.createDatabases(Object.values(DB_OF));
    log(`PostgreSQL up on 127.0.0.1:${pgPort}`);
    await kafka.start();
    await ensureTopics({ brokers: kafka.brokers });
    log(`Kafka up on ${kafka.brokers}`);
    // Scale-out (ADR 0018): reporting ×3 and planning ×2 on their one database and consumer group each; every instance
    // names itself to PostgreSQL (application_name), so the suite can tell which one holds the relay lock.
    for (const [ctx, app] of Object.entries(SERVICE_OF)) {
      for (let n = 1; n <= REPLICAS[ctx as Service]; n++) {
        const name = instanceName(app, n);
        const env = { PG_URL: `${pg.serverUrl(DB_OF[ctx as Service], links.postgres.port)}?application_name=${encodeURIComponent(name)}`, KAFKA_BROKERS: kafka.brokers, KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) };
        services.set(name, new FaultService(name, await freePort(), env, dir, app));
      }
    }
    for (const s of services.values()) s.start();
    for (const s of services.values()) await s.waitReady();
    log('services ready');
    ok = await run(dir, pg, kafka, links, services);
    return ok ? 0 : 1;
  } finally {
    for (const s of services.values()) await s.stop().catch(() => undefined);
    await kafka.stop().catch(() => undefined);
    await pg.stop().catch(() => undefined);
    for (const proxy of Object.values(links)) await proxy.stop();
    cleaned = true;
    if (ok && !process.env.FAULTS_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir} (service, broker and server logs)`);
  }
}

async function run(dir: string, pg: FaultPostgres, kafka: FaultKafka, links: Links, services: Map<string, FaultService>): Promise<boolean> {
  const token = await signDevToken({ tenant: TENANT, roles: ['pmo-admin', 'project-manager', 'resource-manager'], sub: 'faults' });
  const setup = await post(services.get(SERVICE_OF.risk)!.port, '/risk-settings/categories', token, { categoryId: 'faults', name: 'Faults' }, randomUUID());
  if (setup.status !== 201) throw new Error(`risk category setup: HTTP ${setup.status} ${JSON.stringify(setup.json)}`);
  const state: LoadState = { pgDown: false, kafkaDown: false, down: new Set() };
  let faultsDone = false;
  const load = runLoad({ services, token, state, done: () => faultsDone });
  const faults = await injectFaults(pg, kafka, links, services, state).finally(() => (faultsDone = true));
  const commands = await load;
  log(`load done: ${commands.length} commands; proxies: kafka ${links.kafka.accepted} connections (${links.kafka.resets} reset), postgres ${links.postgres.accepted} (${links.postgres.resets} reset)`);
  return verify(dir, pg, kafka, services, commands, faults);
}

async function verify(dir: string, pg: FaultPostgres, kafka: FaultKafka, services: Map<string, FaultService>, commands: Command[], faults: Fault[]): Promise<boolean> {
  const verifyStarted = Date.now();
  const attempts = commands.flatMap((c) => c.attempts);
  const statuses = showTally(tally(attempts.map((a) => String(a.status))));
  log(`statuses: ${statuses}`);
  const stored = await proveStored(pg, TENANT, commands);
  const rows: Row[] = [...stored.rows, ...(await provePublished(kafka, stored.storeIds)), ...(await proveApplied(pg, TENANT, stored.ackedProjects))];
  rows.push({ check: 'settle: load end → all published and projected', count: `${((Date.now() - verifyStarted) / 1000).toFixed(1)} s`, bad: 0, detail: '' });
  if (REBUILD_CHECK) rows.push(...(await proveRebuilds(pg, kafka)));
  rows.push(...proveAnswers(attempts, faults, services));
  rows.push(spreadRow(attempts, services), ...faults.flatMap((f) => f.rows ?? []));
  const out = formatTable(rows);
  const pass = rows.every((r) => r.bad === 0);
  process.stdout.write(
    `\nFault suite: ${commands.length} commands, ${attempts.length} requests, ${faults.length} faults, statuses ${statuses}\n${out.join('\n')}\n\n${pass ? 'PASS' : 'FAIL'}: ${pass ? 'nothing acknowledged was lost or doubled' : 'see the rows with bad > 0'}\n`,
  );
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
