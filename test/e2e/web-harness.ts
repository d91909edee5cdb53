import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@jest/globals';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { GatewayConfig } from '../../apps/gateway/src/gateway.config';
import { createGateway } from '../../apps/gateway/src/gateway.server';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of each screen, kept by every run (.local/ is gitignored). */
export const SCREENSHOTS = path.join(REPO_ROOT, '.local', 'screenshots', 'web');

/** The web app as npm start serves it, built fresh so the browser tests judge the current source. */
export function buildWebApp(outDir: string): void {
  const vite = path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  // Each spec builds into an outDir of its own, so two builds side by side (Jest's workers) write nothing in common:
  // Vite's lock on the project would only make the second one fail.
  const res = spawnSync(process.execPath, [vite, 'build', '-c', 'apps/web/vite.config.mts', '--outDir', outDir, '--logLevel', 'warn', '--bypass-lock'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`vite build failed: ${res.stderr || res.stdout}`);
}

export function chromiumOrExplain(): string {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run node scripts/ensure-chromium.mjs (npm test does), or set CHROMIUM_PATH`);
  return CHROMIUM;
}

/** Where every browser spec sits: 1280 × 900, UTC, British English (the dates the screens print). */
export const DESK = { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' } as const;

/** Debian's Chromium, headless, with the screenshots folder ready. */
export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: chromiumOrExplain(), headless: true, chromiumSandbox: false });
}

/** A fresh browser context (its own cookies: one person) at the desk, on the gateway's origin. */
export const openContext = (browser: Browser, baseURL: string): Promise<BrowserContext> => browser.newContext({ baseURL, ...DESK });

/**
 * A screen as people meet it: no serious or critical accessibility violation (axe, over a rendered page), no
 * sideways scroll at 1280 and at 390 px, and a screenshot at each width in SCREENSHOTS.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  const { violations, passes } = await new AxeBuilder({ page }).analyze();
  expect(passes.length).toBeGreaterThan(10);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150); // the charts follow their container's width on the next frame
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect([name, width, overflow]).toEqual([name, width, 0]);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(DESK.viewport);
}

/** Monday of the current week (UTC): the resources screen opens on it, so the plan starts there. */
export function thisMonday(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export interface RunningGateway {
  readonly url: string;
  /** Closes it (again: nothing). */
  close(): Promise<void>;
  /** The same gateway again on the same port with the same session key, so an open browser stays signed in. */
  reopen(): Promise<RunningGateway>;
}

export async function startGateway(overrides: Partial<GatewayConfig> & Pick<GatewayConfig, 'upstreams' | 'webRoot'>): Promise<RunningGateway> {
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    sessionKey: randomBytes(32),
    devSignIn: true,
    secureCookies: false,
    bodyLimitBytes: 1024 * 1024,
    upstreamTimeoutMs: 30_000,
    ...overrides,
  };
  const server: Server = createGateway(config, () => undefined);
  await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    reopen: () => startGateway({ ...config, port }),
  };
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request with the path exactly as written (fetch would normalise `..` away before it leaves). */
export function rawRequest(base: string, rawPath: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: options.method ?? 'GET', path: rawPath, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
