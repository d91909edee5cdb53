#!/usr/bin/env node
// `npm run bench:<name>`: runs one benchmark the way `npm start` and `npm test` run: installs the locked
// dependencies when they are missing (first run of a fresh clone), continues on the pinned Node 24, starts the
// infrastructure the benchmark needs when it is not running, then runs the TypeScript file with @swc-node/register.
//   node scripts/bench.mjs [--postgres] [--kafka] <bench file> [args for the bench...]
//     --postgres   PostgreSQL (the one at PG_URL, else the embedded one); PG_URL is set for the bench
//     --kafka      the Kafka broker and topics as well; KAFKA_BROKERS is set for the bench
// Environment knobs of the benches themselves (BENCH_SCALE, SNAPSHOT_EVERY...) pass through unchanged.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './lib/bootstrap.mjs';

ensureDependencies();

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const args = process.argv.slice(2);
const needs = new Set(args.filter((a) => a === '--postgres' || a === '--kafka'));
const [file, ...benchArgs] = args.filter((a) => !needs.has(a));
const { REPO_ROOT, ensureInfra } = await import('./lib/infra.mjs');
if (!file || !fs.existsSync(path.resolve(REPO_ROOT, file))) {
  log(`usage: node scripts/bench.mjs [--postgres] [--kafka] <bench file> [args]${file ? ` (no such file: ${file})` : ''}`);
  process.exit(2);
}
if (!process.version.startsWith('v24.')) {
  log(`warning: running on Node ${process.version}; the project pins Node 24 (run through npm so node_modules/.bin/node is used)`);
}

const env = { ...process.env };
let infra;
if (needs.size) {
  infra = await ensureInfra({ log, withKafka: needs.has('--kafka') });
  env.PG_URL = infra.pgUrl.endsWith('/') ? `${infra.pgUrl}postgres` : infra.pgUrl;
  if (infra.kafkaBrokers) env.KAFKA_BROKERS = infra.kafkaBrokers;
  log(`PostgreSQL ${infra.embeddedPg ? '(embedded) ' : ''}at ${env.PG_URL.replace(/:[^:@/]+@/, ':***@')}${infra.kafkaBrokers ? `; Kafka at ${infra.kafkaBrokers}` : ''}`);
}

// BENCH_CPU_PROF_DIR: the bench process writes a V8 CPU profile there too (services started by a bench do the same);
// BENCH_CPU_PROF_INTERVAL: its sampling interval in µs (V8's default 1000 is coarse for a one-second window).
const profile = process.env.BENCH_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, ...(process.env.BENCH_CPU_PROF_INTERVAL ? [`--cpu-prof-interval=${process.env.BENCH_CPU_PROF_INTERVAL}`] : [])]
  : [];
const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', ...profile, '-r', '@swc-node/register', file, ...benchArgs], {
  cwd: REPO_ROOT,
  env,
  stdio: 'inherit',
});
// Ctrl-C reaches the bench as well (same process group): let it end, then stop what this run started.
const ignore = () => {};
process.on('SIGINT', ignore);
process.on('SIGTERM', (signal) => child.kill(signal));
const code = await new Promise((resolve) => child.on('close', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
process.off('SIGINT', ignore);
if (infra) await infra.stop();
process.exit(code);
