// First thing `npm start` and `npm test` do, with nothing but Node's own modules (it may run on the machine's
// old Node before anything is installed): install the locked dependencies when they are missing or older than
// package-lock.json, then continue on the Node 24 pinned in devDependencies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

export function ensureDependencies(log = (msg) => process.stderr.write(`[setup] ${msg}\n`)) {
  const installed = path.join(ROOT, 'node_modules/.package-lock.json');
  if (mtime(installed) < mtime(path.join(ROOT, 'package-lock.json'))) {
    log('installing the locked dependencies (npm ci), first run only');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const res = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, stdio: 'inherit' });
    if (res.status !== 0) {
      log('npm ci failed');
      process.exit(res.status ?? 1);
    }
  }
  const pinned = path.join(ROOT, 'node_modules/node/bin/node');
  if (fs.existsSync(pinned) && fs.realpathSync(process.execPath) !== fs.realpathSync(pinned)) {
    // Started by a Node that npm found before node_modules/.bin existed: run again on the pinned one.
    const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}` };
    const res = spawnSync(pinned, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
    process.exit(res.status ?? (res.signal ? 1 : 0));
  }
}
