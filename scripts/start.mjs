#!/usr/bin/env node
// `npm start`: brings up PostgreSQL (or an embedded one), the Kafka broker and its topics, then every
// service (each applies its migrations at boot), waits until each is ready and prints where to look.
// Then, while tenant "demo" has no project in its portfolio (reporting's GET /portfolio), it seeds a demo portfolio
// there through the services' APIs (scripts/seed-portfolio.ts --if-empty, ADR 0505 and its amendment; DEMO_PROJECTS /
// DEMO_TASKS size it, default 20 of 50 tasks), so the dashboard's first screen has data; a later start finds projects
// there and leaves them alone. `npm start -- --no-demo` (or DEMO_PORTFOLIO=0) skips it.
// Ctrl-C stops the services, and the infrastructure this run started.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './lib/bootstrap.mjs';

ensureDependencies();
const { REPO_ROOT, SERVICES, databaseUrl, ensureInfra } = await import('./lib/infra.mjs');

const log = (msg) => process.stderr.write(`[start] ${msg}\n`);
// On by default (`--demo` and DEMO_PORTFOLIO=1, its switch before it was, still say so); `--no-demo` or DEMO_PORTFOLIO=0 turns it off.
const demo = !process.argv.includes('--no-demo') && !['0', 'false', 'no', 'off'].includes(String(process.env.DEMO_PORTFOLIO ?? '').trim().toLowerCase());
const DEMO_PROJECTS = process.env.DEMO_PROJECTS ?? '20';
const DEMO_TASKS = process.env.DEMO_TASKS ?? '50';
const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];
const RESET = '\x1b[0m';

const runnable = SERVICES.filter((s) => fs.existsSync(path.join(REPO_ROOT, 'apps', s.name, 'src', 'main.ts')));
const infra = await ensureInfra({ log, detached: false });
const children = [];
let stopping = false;

// The local mail catcher (ADR 0402): the notification service sends its e-mail there unless SMTP_HOST points elsewhere.
async function startMailCatcher() {
  if (process.env.SMTP_HOST) return null;
  const child = spawn(process.execPath, ['scripts/smtp-catcher.mjs', '--dir', path.join(REPO_ROOT, '.local', 'mail')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const match = /smtp-catcher ready (\{.*\})/.exec(out);
      if (match) resolve(JSON.parse(match[1]));
    });
    child.once('exit', () => resolve(null));
  });
  if (ready === null) log('the mail catcher did not start (port 2525 or 1080 taken? set SMTP_CATCHER_PORT / SMTP_CATCHER_HTTP_PORT, or SMTP_HOST for a real server)');
  return ready && { child, ...ready };
}
const mail = await startMailCatcher();
const smtpEnv = mail ? { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mail.smtpPort) } : {};

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
  mail?.child.kill('SIGTERM');
  await infra.stop();
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const serverUrl = infra.pgUrl;
function launch(name, script, env, i) {
  const color = process.stdout.isTTY ? COLORS[i % COLORS.length] : '';
  const prefix = `${color}${name.padEnd(20)}${color ? RESET : ''} | `;
  // kafkajs trips a harmless Node 24 TimeoutNegativeWarning (docs/adr/0003).
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', '-r', '@swc-node/register', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...env },
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
      log(`${name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  return child;
}
runnable.forEach((svc, i) => {
  const child = launch(svc.name, `apps/${svc.name}/src/main.ts`, {
    PORT: String(svc.port),
    PG_URL: databaseUrl(serverUrl, svc.database),
    KAFKA_BROKERS: infra.kafkaBrokers,
    ...(svc.name === 'notification-service' ? smtpEnv : {}),
  }, i);
  children.push({ svc, child });
});

// The dashboard (ADR 0600): the web app built into dist/apps/web, served with every service's API by the gateway on
// one origin; PM_DEV_SIGN_IN=1 offers the development sign-in page (the gateway refuses it in production).
const gateway = { name: 'gateway', port: Number(process.env.GATEWAY_PORT ?? 3000) };
const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '-c', 'apps/web/vite.config.mts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  log('the web app did not build (see above); stopping');
  await stopAll(1);
}
children.push({
  svc: gateway,
  child: launch('gateway', 'apps/gateway/src/main.ts', {
    GATEWAY_PORT: String(gateway.port),
    PM_DEV_SIGN_IN: process.env.PM_DEV_SIGN_IN ?? '1',
    ...Object.fromEntries(runnable.map((s) => [`GATEWAY_UPSTREAM_${s.name.replace(/-service$/, '').toUpperCase()}`, `http://127.0.0.1:${s.port}`])),
  }, runnable.length),
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

const results = await Promise.all([...runnable, gateway].map(ready));
if (results.some((ok) => !ok)) {
  log('a service (or the gateway) did not become ready in 120 s');
  await stopAll(1);
}

const token = spawnSync(process.execPath, ['-r', '@swc-node/register', 'scripts/token.ts', '--tenant', 'demo', '--role', 'pmo-admin', '--sub', 'demo-admin', '--email', 'demo-admin@demo.localhost'], {
  cwd: REPO_ROOT,
  encoding: 'utf8',
}).stdout.trim();

/** Seeds the demo portfolio with the services' own APIs while tenant demo has none: 'seeded', 'already-there' or 'failed'. */
async function seedDemo() {
  const url = (name) => `http://127.0.0.1:${runnable.find((s) => s.name === name)?.port}`;
  const needed = ['planning-service', 'resource-service', 'risk-service', 'reporting-service'];
  const missing = needed.filter((n) => !runnable.some((s) => s.name === n));
  if (missing.length) {
    log(`no demo portfolio: ${missing.join(', ')} not in this checkout`);
    return 'failed';
  }
  log(`demo portfolio: seeding ${DEMO_PROJECTS} projects of ${DEMO_TASKS} tasks into tenant demo through the services' APIs unless it has projects already (npm start -- --no-demo skips this)`);
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'scripts/seed-portfolio.ts', '--if-empty', '--tenant', 'demo', '--projects', DEMO_PROJECTS, '--tasks', DEMO_TASKS],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PLANNING_URL: url('planning-service'), RESOURCE_URL: url('resource-service'), RISK_URL: url('risk-service'), REPORTING_URL: url('reporting-service') },
    },
  );
  const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
  if (code === 3) return 'already-there'; // seed-portfolio.ts --if-empty: the portfolio had a project, nothing sent
  if (code !== 0) log(`the demo portfolio seeder ended with ${code}; the services keep running`);
  return code === 0 ? 'seeded' : 'failed';
}

const lines = [
  '',
  `Dashboard: http://localhost:${gateway.port}   (development sign-in: tenant "demo", any role)`,
  '',
  'Everything is up:',
  `  gateway              http://localhost:${gateway.port}   /api/<planning|resource|risk|notification|reporting>/...   health /health/ready`,
  ...runnable.map((s) => `  ${s.name.padEnd(20)} http://localhost:${s.port}   docs /docs   health /health/ready   metrics /metrics`),
  `  PostgreSQL${infra.embeddedPg ? ' (embedded)' : ''}        ${serverUrl.replace(/:[^:@/]+@/, ':***@')}`,
  `  Kafka                 ${infra.kafkaBrokers}   topics pm.<context>.events`,
  mail
    ? `  Mail (catcher)        http://localhost:${mail.httpPort}   SMTP 127.0.0.1:${mail.smtpPort}   files ${path.relative(REPO_ROOT, mail.dir)}/*.eml`
    : `  Mail                  SMTP ${process.env.SMTP_HOST ?? '(catcher not running)'}:${process.env.SMTP_PORT ?? 2525}`,
  '',
  'A development token (tenant "demo", role pmo-admin), ready to paste:',
  `  export TOKEN=${token}`,
  `  curl -s -X POST localhost:3001/projects -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"ERP migration"}'`,
  '  curl -s localhost:3005/projects -H "Authorization: Bearer $TOKEN"',
  '',
  demo && !stopping
    ? 'Demo portfolio: tenant "demo" is checked now and, while it has no project, seeded through the services\' APIs (about a minute): the dashboard works meanwhile and fills as the projects arrive; a line below says when it is done.'
    : 'Demo portfolio: off (--no-demo or DEMO_PORTFOLIO=0); a plain npm start seeds one into tenant demo while it has no project.',
  '',
  'Other tokens: npm run -s token -- --tenant <t> --role <role>. Ctrl-C stops what this started.',
  '',
];
// Where to look comes first: a newcomer opens the dashboard while the demo data is still arriving.
process.stdout.write(lines.join('\n'));

const demoOutcome = demo && !stopping ? await seedDemo() : 'off';
const demoLines = {
  seeded: [
    '',
    `Demo portfolio: ${DEMO_PROJECTS} projects of ${DEMO_TASKS} tasks seeded now in tenant "demo" (plans, baselines, progress, people, assignments, risks): dashboard http://localhost:${gateway.port} as tenant demo, or with the token above:`,
    '  curl -s "localhost:3005/portfolio?sort=health" -H "Authorization: Bearer $TOKEN"',
    '  (the read model fills within seconds of the seeding; any role of tenant demo sees it: npm run -s token -- --tenant demo --role viewer)',
    '',
  ],
  'already-there': ['', 'Demo portfolio: tenant "demo" already has projects, left as they are (nothing seeded).', ''],
  failed: ['', 'Demo portfolio: not (completely) seeded, see the [seed:portfolio] lines above.', ''],
  off: [],
}[demoOutcome];
if (demoLines.length) process.stdout.write(demoLines.join('\n'));
