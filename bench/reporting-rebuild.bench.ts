/*
 * `npm run bench:reporting-rebuild`: the rate of `npm run reporting:rebuild` against reading the same topics raw, in
 * the same run (issue 13 point 5, goal: rebuild >= 0.5x the raw read).
 *
 * - A fresh database with the reporting migrations, and topics of its own (a planning topic of 3 partitions, a risk
 *   topic of 2), removed at the end. History: BENCH_PROJECTS projects (default 250), each 12 portfolio events over
 *   its project, schedule, risk-exposure and change-request streams (every one handled by a reporting read model)
 *   plus BENCH_NOISE task events no read model handles (default 4): 4,000 events by default.
 * - Rebuild: `rebuildReporting`, as the CLI runs it (blue/green into reporting_next, then the swap). Its rate is the
 *   history present at the start over the replay time (consumer start, group join included, to the last event).
 * - Floor: `readTopicsRaw`, a plain kafkajs consumer from offset 0 parsing each value's JSON envelope, timed the same
 *   way; run before and after the rebuild, the faster one counts.
 *
 * Env: BENCH_PROJECTS, BENCH_NOISE, PG_URL and KAFKA_BROKERS (set by scripts/bench.mjs --postgres --kafka).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createKafka } from '@pm/platform/messaging';
import { readTopicsRaw, terminalProgress } from '@pm/platform/projections';
import { PortfolioEventsOf, REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { projectHistory, publishHistory, rebuildReporting } from '@pm/reporting/feature';
import type { HistoryTopics } from '@pm/reporting/feature';
import { createDatabase, dbUrl, serverVersion } from './rig/bench-pg';
import { runBench } from './rig/run-scope';

const log = (msg: string) => process.stderr.write(`[bench:reporting-rebuild] ${msg}\n`);
const intFromEnv = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
};

runBench(log, async (scope) => {
  const projects = intFromEnv('BENCH_PROJECTS', 250);
  const noise = intFromEnv('BENCH_NOISE', 4);
  const suffix = randomBytes(4).toString('hex');
  const dbName = `bench_reporting_rebuild_${suffix}`;
  await createDatabase(scope, dbName);
  const url = dbUrl(dbName);
  await runMigrations(url, REPORTING_MIGRATIONS);
  const pool = createPgPool(url, { statement_timeout: 0, idle_in_transaction_session_timeout: 0 });
  scope.defer('closing the pool', () => pool.end());

  const kafka = createKafka(`bench-reporting-rebuild-${suffix}`);
  const admin = kafka.admin();
  await admin.connect();
  scope.defer('disconnecting the admin', () => admin.disconnect());
  const topics: HistoryTopics = { planning: `bench.reporting-rebuild.${suffix}.planning`, risk: `bench.reporting-rebuild.${suffix}.risk` };
  scope.defer('deleting the topics', () => admin.deleteTopics({ topics: [topics.planning, topics.risk] }));
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.planning, numPartitions: 3 }, { topic: topics.risk, numPartitions: 2 }] });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  scope.defer('disconnecting the producer', () => producer.disconnect());
  let events = 0;
  for (let i = 0; i < projects; i += 50) {
    const chunk = Array.from({ length: Math.min(50, projects - i) }, (_, k) => projectHistory(topics, new PortfolioEventsOf(`tenant-${(i + k) % 7}`), i + k, noise));
    await publishHistory(producer, chunk.flat());
    events += chunk.flat().length;
  }
  log(`published ${events} events (${projects} projects, ${noise} unhandled task events each); PostgreSQL ${await serverVersion()}, ${os.cpus().length} cores`);

  const raw1 = await readTopicsRaw(kafka, [topics.planning, topics.risk]);
  const progress = terminalProgress('rebuild');
  // CPU profiles (BENCH_CPU_PROF_DIR) stamp samples with the machine's monotonic clock in µs: this is the rebuild's window.
  const windowStartUs = process.hrtime.bigint() / 1000n;
  let replayFirstUs = 0n;
  let replayLastUs = 0n;
  const rebuilt = await rebuildReporting({
    kafka,
    pgUrl: url,
    pool,
    consumerGroupId: `bench-reporting-${suffix}`,
    topics: [topics.planning, topics.risk],
    onProgress: (done, total) => {
      // The replay's own window (first message settled to the last of the history), for CPU profiles and samplers.
      if (done > 0 && replayFirstUs === 0n) replayFirstUs = process.hrtime.bigint() / 1000n;
      if (done >= total && replayLastUs === 0n) replayLastUs = process.hrtime.bigint() / 1000n;
      progress.listener(done, total);
    },
  });
  progress.stop();
  log(`rebuild window ${windowStartUs} ${process.hrtime.bigint() / 1000n}, first to last message settled ${replayFirstUs} ${replayLastUs} (monotonic µs, for CPU profiles)`);
  const raw2 = await readTopicsRaw(kafka, [topics.planning, topics.risk]);
  const raw = raw1.perSecond >= raw2.perSecond ? raw1 : raw2;
  const rate = rebuilt.events / rebuilt.replaySeconds;
  const lines = [
    `rebuild:  ${rebuilt.events} events in ${rebuilt.replaySeconds.toFixed(2)} s = ${rate.toFixed(0)} events/s (${rebuilt.swapped.length} tables swapped)`,
    `raw read: ${raw.events} events in ${raw1.seconds.toFixed(2)} s before, ${raw2.seconds.toFixed(2)} s after; best ${raw.perSecond.toFixed(0)} events/s`,
    `ratio:    rebuild / raw = ${(rate / raw.perSecond).toFixed(2)}x (goal >= 0.50x)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  scope.succeeded = true;
});
