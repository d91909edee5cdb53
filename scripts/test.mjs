#!/usr/bin/env node
// `npm test`: every test, unit to end-to-end, against the real PostgreSQL and the real Kafka broker,
// starting them when they are not running, then lint, type-check, the copy detector and the OpenAPI linter. Ends with one line:
// "N passed, N failed, N skipped".
//   npm test                      everything
//   npm test -- <jest args>       e.g. npm test -- libs/platform/event-store
//   npm run test:unit             unit specs only (no infrastructure)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './lib/bootstrap.mjs';

ensureDependencies();
const { REPO_ROOT, ensureInfra } = await import('./lib/infra.mjs');

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const jestArgs = args.filter((a) => a !== '--unit');
const log = (msg) => process.stderr.write(`[test] ${msg}\n`);

if (!process.version.startsWith('v24.')) {
  log(`warning: running on Node ${process.version}; the project pins Node 24 (run through npm so node_modules/.bin/node is used)`);
}

function run(label, cmd, cmdArgs, env = process.env) {
  log(`${label}: ${[path.relative(REPO_ROOT, cmd) || cmd, ...cmdArgs].join(' ')}`);
  const started = Date.now();
  const res = spawnSync(cmd, cmdArgs, { cwd: REPO_ROOT, stdio: 'inherit', env });
  log(`${label}: ${res.status === 0 ? 'ok' : `FAILED (exit ${res.status ?? res.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return res.status === 0;
}

let infra;
// NestJS 12 ships ESM only: Jest loads it through require(esm), which needs the VM modules API.
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  // Services booted in-process by e2e specs log every request at info; keep the test output readable.
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning --disable-warning=TimeoutNegativeWarning`.trim(),
};
// The dashboard's browser specs (test/e2e/web-*) drive Debian's Chromium: install it first when this run includes them.
if (!unitOnly && (jestArgs.length === 0 || jestArgs.some((a) => /web/.test(a)))) {
  const { ensureChromium } = await import('./ensure-chromium.mjs');
  try {
    env.CHROMIUM_PATH = ensureChromium({ log });
  } catch (e) {
    log(`${e.message}; the browser specs will fail`);
  }
}
if (!unitOnly) {
  infra = await ensureInfra({ log });
  env.PG_URL = infra.pgUrl.endsWith('/') ? `${infra.pgUrl}postgres` : infra.pgUrl;
  env.KAFKA_BROKERS = infra.kafkaBrokers;
  log(`PostgreSQL ${infra.embeddedPg ? '(embedded) ' : ''}at ${env.PG_URL.replace(/:[^:@/]+@/, ':***@')}; Kafka at ${env.KAFKA_BROKERS}`);
}

const steps = [];
const resultsFile = path.join(REPO_ROOT, '.local', 'jest-results.json');
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.rmSync(resultsFile, { force: true });
const jestCli = path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js');
const pattern = unitOnly ? ['--testPathPatterns', '\\.spec\\.ts$', '--testPathIgnorePatterns', 'test/infra'] : [];
// Specs named *.solo.*-spec.ts load the whole machine on purpose (a 100,000-task import while another tenant reads):
// run together with the rest they would starve other specs' timeouts, so a full run takes them afterwards, alone.
const soloResultsFile = path.join(REPO_ROOT, '.local', 'jest-results.solo.json');
fs.rmSync(soloResultsFile, { force: true });
const fullRun = jestArgs.length === 0;
const shared = fullRun && !unitOnly ? ['--testPathIgnorePatterns', '\\.solo\\.'] : [];
steps.push(['jest', run('jest', process.execPath, [jestCli, '--ci', '--json', `--outputFile=${resultsFile}`, ...pattern, ...shared, ...jestArgs], env)]);
if (fullRun && !unitOnly) {
  steps.push(['jest', run('jest (solo specs)', process.execPath, [jestCli, '--ci', '--json', `--outputFile=${soloResultsFile}`, '--runInBand', '--testPathPatterns', '\\.solo\\.'], env)]);
}

if (fullRun && !unitOnly) {
  // The short fault suite (ADR 0014): SIGKILL of a service and of the broker under load, on servers of its own
  // (never the PostgreSQL and broker above). `npm run test:faults` is the long form.
  steps.push(['faults', run('faults (short)', process.execPath, ['--disable-warning=TimeoutNegativeWarning', '-r', '@swc-node/register', 'test/faults/run-faults.ts'], { ...env, FAULTS_SHORT: '1', NODE_OPTIONS: '' })]);
}

if (jestArgs.length === 0) {
  // The boundary rule reads Nx's cached project graph: rebuild it so lint judges the files as they are now.
  const nx = path.join(REPO_ROOT, 'node_modules/nx/dist/bin/nx.js');
  spawnSync(process.execPath, [nx, 'reset'], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  spawnSync(process.execPath, [nx, 'show', 'projects'], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  steps.push(['lint', run('lint', process.execPath, [path.join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js'), '.', '--max-warnings=0'], env)]);
  steps.push(['typecheck', run('typecheck', process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], env)]);
  // The web app has its own compiler settings (DOM, JSX, bundler resolution).
  steps.push(['typecheck', run('typecheck (web)', process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'apps/web/tsconfig.json', '--noEmit'], env)]);
  // Code written twice (jscpd, .jscpd.json: non-test TypeScript of libs/ and apps/, 6 lines or more; docs/copy-detection.md).
  steps.push(['dup', run('dup', process.execPath, [path.join(REPO_ROOT, 'node_modules/jscpd/run-jscpd.js'), '--config', '.jscpd.json'], env)]);
  // The services' OpenAPI documents (docs/openapi/, kept current by a spec) against Redocly's recommended rules (redocly.yaml).
  const openapiDocs = fs.readdirSync(path.join(REPO_ROOT, 'docs/openapi')).filter((f) => f.endsWith('-service.json')).map((f) => path.join('docs/openapi', f));
  steps.push(['openapi-lint', run('openapi-lint', process.execPath, [path.join(REPO_ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', '--format=summary', ...openapiDocs], { ...env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' })]);
}

if (infra) await infra.stop();

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of [resultsFile, ...(fullRun && !unitOnly ? [soloResultsFile] : [])]) {
  if (fs.existsSync(file)) {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    skipped += r.numPendingTests + r.numTodoTests;
  } else {
    failed += 1;
  }
}
// Lint, type-check and the copy detector count as one check each, so a red build never closes on "0 failed".
for (const [name, ok] of steps) if (name !== 'jest') ok ? passed++ : failed++;
const failedSteps = steps.filter(([, ok]) => !ok).map(([name]) => name);
if (failedSteps.length) log(`failed steps: ${failedSteps.join(', ')}`);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failedSteps.length || failed ? 1 : 0);
