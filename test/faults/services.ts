/**
 * The platform services as child processes (node -r @swc-node/register apps/<app>/src/main.ts) on fixed ports,
 * killable and restartable. Several instances of one app (scale-out) share its database and consumer group; each has
 * a name of its own (`<app>#<n>`, config.instanceName).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FaultService {
  private child: ChildProcess | null = null;
  readonly logFile: string;
  /** Killed and left down for the rest of the run (scaled in): no load, no readiness wait. */
  retired = false;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    dir: string,
    /** The app under apps/ (the name, unless this is a second or third instance of it). */
    readonly app = name,
  ) {
    this.logFile = path.join(dir, `${name}.log`);
  }

  start(): void {
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', '-r', '@swc-node/register', `apps/${this.app}/src/main.ts`], {
      cwd: process.cwd(),
      env: { ...process.env, RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: 'warn', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
  }

  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/health/ready`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Resolves with the ms it took, from now, until /health/ready answers 200. */
  async waitReady(timeoutMs = 180_000): Promise<number> {
    const started = Date.now();
    while (!(await this.ready())) {
      const c = this.child;
      if (c && (c.exitCode !== null || c.signalCode !== null)) throw new Error(`${this.name} exited (${c.exitCode ?? c.signalCode}); see ${this.logFile}`);
      if (Date.now() - started > timeoutMs) throw new Error(`${this.name} not ready within ${timeoutMs / 1000} s; see ${this.logFile}`);
      await sleep(250);
    }
    return Date.now() - started;
  }

  /** SIGKILL without waiting (the runner's exit hook). */
  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    await this.kill();
  }
}
