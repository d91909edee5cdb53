#!/usr/bin/env node
// The browser the dashboard's tests drive: Debian's `chromium` package, through its executable path (Playwright's
// own browser downloads are not reachable from these machines). Installs it with apt-get when it is missing and
// this process may (root); otherwise says how. `node scripts/ensure-chromium.mjs` prints the path.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The executable's path, installing Debian's package first when needed; throws with the reason when it cannot. */
export function ensureChromium({ log = (m) => process.stderr.write(`[chromium] ${m}\n`) } = {}) {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM_PATH} does not exist`);
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!hasApt || process.getuid?.() !== 0) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  log("installing Debian's chromium package (apt-get install -y chromium)...");
  const started = Date.now();
  const install = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (install.status !== 0 || !fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get install chromium failed (exit ${install.status})`);
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return CHROMIUM_PATH;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${ensureChromium()}\n`);
  } catch (e) {
    process.stderr.write(`[chromium] ${e.message}\n`);
    process.exit(1);
  }
}
