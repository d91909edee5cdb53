#!/usr/bin/env node
// `npm start`: brings up PostgreSQL (or an embedded one), the Kafka broker and its topics, then every
// service (each applies its migrations at boot), waits until each is ready and prints where to look.
// Ctrl-C stops the services, and the infrastructure this run started.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './lib/bootstrap.mjs';

ensureDependencies();
const { REPO_ROOT, SERVICES, databaseUrl, ensureInfra } = await import('./lib/infra.mjs');

const log = (msg) => process.stderr.write(`[start] ${msg}\n`);
const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];
const RESET = '\x1b[0m';

const runnable = SERVICES.filter((s) => fs.existsSync(path.join(REPO_ROOT, 'apps', s.name, 'src', 'main.ts')));
const infra = await ensureInfra({ log, detached: false });
const children = [];
let stopping = false;

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping services (SIGTERM: in-flight work finishes, offsets commit, pools close)...');
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await infra.stop();
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const serverUrl = infra.pgUrl;
runnable.forEach((svc, i) => {
  const color = process.stdout.isTTY ? COLORS[i % COLORS.length] : '';
  const prefix = `${color}${svc.name.padEnd(20)}${color ? RESET : ''} | `;
  // kafkajs trips a harmless Node 24 TimeoutNegativeWarning (docs/adr/0003).
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', '-r', '@swc-node/register', `apps/${svc.name}/src/main.ts`], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(svc.port),
      PG_URL: databaseUrl(serverUrl, svc.database),
      KAFKA_BROKERS: infra.kafkaBrokers,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${svc.name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  children.push({ svc, child });
});

async function ready(svc) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}/health/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const results = await Promise.all(runnable.map(ready));
if (results.some((ok) => !ok)) {
  log('a service did not become ready in 120 s');
  await stopAll(1);
}

const token = spawnSync(process.execPath, ['-r', '@swc-node/register', 'scripts/token.ts', '--tenant', 'demo', '--role', 'pmo-admin', '--sub', 'demo-admin'], {
  cwd: REPO_ROOT,
  encoding: 'utf8',
}).stdout.trim();

const lines = [
  '',
  'Everything is up:',
  ...runnable.map((s) => `  ${s.name.padEnd(20)} http://localhost:${s.port}   docs /docs   health /health/ready   metrics /metrics`),
  `  PostgreSQL${infra.embeddedPg ? ' (embedded)' : ''}        ${serverUrl.replace(/:[^:@/]+@/, ':***@')}`,
  `  Kafka                 ${infra.kafkaBrokers}   topics pm.<context>.events`,
  '',
  'A development token (tenant "demo", role pmo-admin), ready to paste:',
  `  export TOKEN=${token}`,
  `  curl -s -X POST localhost:3001/projects -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"ERP migration"}'`,
  '  curl -s localhost:3005/projects -H "Authorization: Bearer $TOKEN"',
  '',
  'Other tokens: npm run -s token -- --tenant <t> --role <role>. Ctrl-C stops what this started.',
  '',
];
process.stdout.write(lines.join('\n'));
