import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on an entry file that sits next to the caller (pass the caller's `__filename` and the
 * entry's base name: the entry has the caller's extension).
 * Compiled, the entry is plain JavaScript. As TypeScript (how the services, scripts and Jest run this repository),
 * the thread loads it through @swc-node/register, as `node -r @swc-node/register` does, unless it inherited that hook
 * from the process's own flags; the tsconfig it reads for the @pm/* paths is the repository's, found from the entry
 * rather than from the working directory.
 */
export function startWorker(callerFile: string, baseName: string, options: Omit<WorkerOptions, 'eval' | 'env'> = {}): Worker {
  const dirname = path.dirname(callerFile);
  const extension = path.extname(callerFile);
  const entry = path.join(dirname, `${baseName}${extension}`);
  if (extension !== '.ts') return new Worker(entry, options);
  const register = require.resolve('@swc-node/register');
  const code = `if (!require.extensions['.ts']) require(${JSON.stringify(register)});\nrequire(${JSON.stringify(entry)});`;
  const env = { ...process.env };
  if (env.SWC_NODE_PROJECT === undefined && env.TS_NODE_PROJECT === undefined) {
    const project = nearestTsconfig(dirname);
    if (project !== undefined) env.SWC_NODE_PROJECT = project;
  }
  return new Worker(code, { ...options, eval: true, env });
}

function nearestTsconfig(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
export { SpareWorker } from './spare-worker';
