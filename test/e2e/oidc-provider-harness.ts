import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import type { GatewayConfig } from '../../apps/gateway/src/gateway.config';
import { createGateway } from '../../apps/gateway/src/gateway.server';

export interface TestProvider {
  readonly issuer: string;
  readonly jwksUrl: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the provider must know the gateways' redirect URIs before they start). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts test/e2e/oidc-test-provider.mjs (oidc-provider is ESM-only: its own process) and waits for its issuer. */
export async function startTestProvider(env: Record<string, unknown>): Promise<TestProvider> {
  const vars = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-test-provider.mjs')], { env: { ...process.env, ...vars }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (c: Buffer) => (errors += c.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.on('exit', (code) => reject(new Error(`test provider exited (${code}): ${errors}`)));
  });
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface ListeningGateway {
  readonly url: string;
  readonly config: GatewayConfig;
  close(): Promise<void>;
}

/** A production-like gateway (no dev sign-in) on a chosen port, so its redirect URI is known beforehand. */
export async function startGatewayOn(port: number, overrides: Partial<GatewayConfig> & Pick<GatewayConfig, 'upstreams' | 'webRoot'>): Promise<ListeningGateway> {
  const config: GatewayConfig = { port, host: '127.0.0.1', sessionKey: randomBytes(32), devSignIn: false, secureCookies: false, bodyLimitBytes: 1024 * 1024, upstreamTimeoutMs: 30_000, ...overrides };
  const server: Server = createGateway(config, () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The provider's own pages (oidc-provider's development interactions): log in as `login`, then consent. */
export async function loginAtProvider(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}
