/*
 * A platform service started by a bench as a child process, the way `npm start` starts it
 * (node -r @swc-node/register apps/<service>/src/main.ts), plus bench/rig/bench-topics.preload.ts so that it uses
 * the bench's own Kafka topics. Its output goes to a log file in the temp directory, removed after a successful run
 * and named in the output otherwise.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { RunScope } from './run-scope';

export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly logFile: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceOptions {
  /** Prefix of the log file name, e.g. `bench-e2e-<run>`. */
  readonly runLabel: string;
  readonly topicPrefix: string;
  readonly brokers: readonly string[];
  readonly logLevel: string;
  readonly env: Record<string, string>;
  /** Count the service's PostgreSQL statements into this file (bench/rig/pg-statements.preload.ts). */
  readonly statementsFile?: string;
}

/** Starts the service and registers its stop (and the removal or mention of its log) with the scope. */
export async function startService(scope: RunScope, name: string, o: ServiceOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `${o.runLabel}-${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=TimeoutNegativeWarning',
      // BENCH_CPU_PROF_DIR: the service writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
      ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []),
      ...(process.env.BENCH_CPU_PROF_DIR && process.env.BENCH_CPU_PROF_INTERVAL ? [`--cpu-prof-interval=${process.env.BENCH_CPU_PROF_INTERVAL}`] : []),
      '-r',
      '@swc-node/register',
      '-r',
      './bench/rig/bench-topics.preload.ts',
      ...(o.statementsFile ? ['-r', './bench/rig/pg-statements.preload.ts'] : []),
      `apps/${name}/src/main.ts`,
    ],
    {
      cwd: process.cwd(),
      // One principal sends hundreds of requests a second here, far past the default rate limit (bench:rate-limit
      // measures the limiter); RATE_LIMIT_ENABLED=true in the environment puts it back.
      env: { RATE_LIMIT_ENABLED: 'false', ...process.env, ...o.env, ...(o.statementsFile ? { BENCH_PG_STATEMENTS_FILE: o.statementsFile } : {}), PORT: String(port), HOST: '127.0.0.1', KAFKA_BROKERS: o.brokers.join(','), LOG_LEVEL: o.logLevel, BENCH_TOPIC_PREFIX: o.topicPrefix },
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  const svc = { name, port, child, logFile };
  scope.defer(`stopping ${name}`, async () => {
    await stopService(svc);
    // BENCH_KEEP_LOGS=1 keeps a successful run's service logs too (named here).
    if (scope.succeeded && !process.env.BENCH_KEEP_LOGS) fs.rmSync(logFile, { force: true });
    else process.stderr.write(`[bench] ${name} log: ${logFile}\n`);
  });
  return svc;
}

export async function waitReady(svc: ServiceProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (svc.child.exitCode !== null || svc.child.signalCode !== null) throw new Error(`${svc.name} exited (${svc.child.exitCode ?? svc.child.signalCode}); see ${svc.logFile}`);
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error(`${svc.name} not ready within ${timeoutMs / 1000} s; see ${svc.logFile}`);
}

/** SIGTERM (the service shuts down gracefully), SIGKILL after 15 s. */
export async function stopService(svc: ServiceProcess): Promise<void> {
  if (svc.child.exitCode !== null || svc.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => svc.child.kill('SIGKILL'), 15_000);
    svc.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    svc.child.kill('SIGTERM');
  });
}

/** A field of /proc/<pid>/status in bytes (VmHWM: peak resident set, VmRSS: now); null where /proc has none. */
export function procMemory(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Resets the process's peak resident set (VmHWM) to its current size (`5` to /proc/<pid>/clear_refs, Linux 4.0+),
 * so that the next peak belongs to what happens next. false where that is not allowed: the peak is then since start.
 */
export function resetPeakMemory(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
