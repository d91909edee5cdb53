// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { resolveAuthConfig } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { flowSchema } from '../../apps/gateway/src/oidc';
import { openValue, sealValue, sessionSchema } from '../../apps/gateway/src/session-cookie';
import type { Session } from '../../apps/gateway/src/session-cookie';
import { freePort, loginAtProvider, startGatewayOn, startTestProvider } from './oidc-provider-harness';
import type { ListeningGateway, TestProvider } from './oidc-provider-harness';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';
import { buildWebApp, launchBrowser, openContext, rawRequest, SCREENSHOTS } from './web-harness';

let topics: { remove(): Promise<void> } | undefined;

/**
 * Production sign-in (ADR 0603), offline: a local OpenID Provider (oidc-provider in its own process) whose JWKS the
 * planning and reporting services verify (AUTH_JWKS_URL/AUTH_ISSUER/AUTH_AUDIENCE set to it for this spec); the
 * gateway as in production (no dev sign-in). A person signs in through the provider's pages in Chromium and the
 * portfolio loads through the gateway with the provider's access token; every refusal ends on a page in words with
 * no session.
 */
describe('OIDC sign-in through the gateway', () => {
  const API = 'https://api.pm.test';
  const OTHER_API = 'https://billing.pm.test';
  const CLIENT = { client_id: 'pm-web', client_secret: randomBytes(24).toString('base64url') };
  const tenant = `oidc-${randomBytes(4).toString('hex')}`;
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-web-oidc-'));
  const savedEnv = { ...process.env };
  let provider: TestProvider;
  let planningDb: TestDatabase;
  let reportingDb: TestDatabase;
  let planning: RunningService;
  let reporting: RunningService;
  let gateway: ListeningGateway;
  /** The same client, asking the provider for a token meant for another API: the platform must refuse it. */
  let otherAudience: ListeningGateway;
  /** A gateway whose registered redirect URI is a sink that only records the callback: codes stay unused for the spec. */
  let codeOnly: ListeningGateway;
  let sink: http.Server;
  let sinkPort: number;
  let browser: Browser;

  beforeAll(async () => {
    topics = await ownTopics();
    buildWebApp(webRoot);
    const [gatewayPort, otherPort, codeOnlyPort] = [await freePort(), await freePort(), await freePort()];
    sink = http.createServer((_req, res) => res.end('code received'));
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    sinkPort = (sink.address() as AddressInfo).port;
    provider = await startTestProvider({
      OIDC_TEST_CLIENTS: [{ ...CLIENT, redirect_uris: [gatewayPort, otherPort, sinkPort].map((p) => `http://127.0.0.1:${p}/auth/callback`) }],
      OIDC_TEST_ACCOUNTS: { pat: { tenant, roles: ['project-manager'], email: 'pat@example.com' }, nobody: { tenant, roles: ['superuser'] } },
      OIDC_TEST_RESOURCES: [API, OTHER_API],
      // Custom claim names, mapped by AUTH_TENANT_CLAIM / AUTH_ROLES_CLAIM in the services and the gateway alike.
      OIDC_TEST_TENANT_CLAIM: 'https://pm.example/tenant',
      OIDC_TEST_ROLES_CLAIM: 'pm_roles',
    });
    const authEnv = { AUTH_JWKS_URL: provider.jwksUrl, AUTH_ISSUER: provider.issuer, AUTH_AUDIENCE: API, AUTH_TENANT_CLAIM: 'https://pm.example/tenant', AUTH_ROLES_CLAIM: 'pm_roles' };
    Object.assign(process.env, authEnv);
    [planningDb, reportingDb] = await Promise.all([createTestDatabase('e2e_oidc_planning'), createTestDatabase('e2e_oidc_reporting')]);
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    reporting = await startService('reporting-service', ReportingApp.register({ pgUrl: reportingDb.url, consumerGroupId: `reporting-oidc-e2e-${randomBytes(4).toString('hex')}` }));
    const closed = new URL('http://127.0.0.1:9');
    const upstreams = { planning: new URL(planning.url), reporting: new URL(reporting.url), resource: closed, risk: closed, notification: closed };
    const oidc = (port: number, resource: string) => ({
      issuer: provider.issuer,
      clientId: CLIENT.client_id,
      clientSecret: CLIENT.client_secret,
      redirectUri: `http://127.0.0.1:${port}/auth/callback`,
      scopes: 'openid email api',
      resource,
      providerName: 'Test IdP',
      accessToken: resolveAuthConfig({}, { ...process.env, ...authEnv }),
    });
    gateway = await startGatewayOn(gatewayPort, { upstreams, webRoot, oidc: oidc(gatewayPort, API) });
    otherAudience = await startGatewayOn(otherPort, { upstreams, webRoot, oidc: oidc(otherPort, OTHER_API) });
    codeOnly = await startGatewayOn(codeOnlyPort, { upstreams, webRoot, oidc: oidc(sinkPort, API) });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await otherAudience?.close();
    await codeOnly?.close();
    sink?.close();
    await reporting?.close();
    await planning?.close();
    await provider?.stop();
    await reportingDb?.drop();
    await planningDb?.drop();
    process.env = savedEnv;
    fs.rmSync(webRoot, { recursive: true, force: true });
    await topics?.remove();
  });

  const newPage = async (base: string): Promise<Page> => (await openContext(browser, base)).newPage();

  /** Runs the browser through the provider to the sink: an unused code, its callback path and the flow cookie. */
  async function codeFor(login = 'pat'): Promise<{ callback: string; flowCookie: string; page: Page }> {
    const page = await newPage(codeOnly.url);
    await page.goto('/auth/sign-in');
    const cookie = (await page.context().cookies(codeOnly.url)).find((c) => c.name === 'pm_oidc');
    if (!cookie) throw new Error('no flow cookie after /auth/sign-in');
    await loginAtProvider(page, login);
    await page.waitForURL((u) => u.port === String(sinkPort));
    const url = new URL(page.url());
    return { callback: `${url.pathname}${url.search}`, flowCookie: cookie.value, page };
  }

  const signInPage = async (res: { status: number; body: string; headers: Record<string, unknown> }) => ({
    status: res.status,
    code: /data-code="([A-Z_]+)"/.exec(res.body)?.[1],
    session: String(res.headers['set-cookie'] ?? '').includes('pm_session='),
  });

  it('signs in through the provider\'s pages and loads the portfolio with the provider\'s access token', async () => {
    const page = await newPage(gateway.url);
    await page.goto('/portfolio');
    const button = page.getByRole('link', { name: 'Sign in with Test IdP' });
    await button.waitFor();
    expect(await page.getByLabel('Tenant').count()).toBe(0); // production: no development sign-in form
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect([width, await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')]).toEqual([width, 0]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `oidc-sign-in-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await button.click();
    expect(new URL(page.url()).origin).toBe(provider.issuer);
    const portfolioAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/reporting/portfolio');
    await loginAtProvider(page, 'pat');
    const answer = await portfolioAnswer.catch(async (e: Error) => {
      throw new Error(`${e.message} at ${page.url()}: ${(await page.locator('body').textContent())?.slice(0, 500)}`);
    });
    expect(answer.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/portfolio');
    const session = await page.request.get('/auth/session');
    expect(await session.json()).toMatchObject({ sub: 'pat', tenant, roles: ['project-manager'], email: 'pat@example.com' });

    // A command through the gateway with the same token: planning accepts it, reporting shows the project.
    const created = await page.request.post('/api/planning/projects', { headers: { 'x-requested-with': 'pm-web', origin: gateway.url }, data: { name: 'Signed-in via OIDC' } });
    expect(created.status()).toBe(201);
    // The reporting consumer's fresh group catches up on the shared broker first: up to a minute under load.
    await page.getByText('Signed-in via OIDC').first().waitFor({ timeout: 90_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'oidc-portfolio-1280.png'), fullPage: true });

    await page.request.post('/auth/sign-out', { headers: { 'x-requested-with': 'pm-web', origin: gateway.url } });
    expect((await page.request.get('/auth/session')).status()).toBe(401);
    await page.context().close();
  }, 150_000);

  it('refuses a callback whose state is not the one this browser started, and one with no flow cookie', async () => {
    const { callback, flowCookie, page } = await codeFor();
    const forged = callback.replace(/state=[^&]+/, 'state=forged-state');
    expect(await signInPage(await rawRequest(codeOnly.url, forged, { headers: { cookie: `pm_oidc=${flowCookie}` } }))).toEqual({ status: 400, code: 'OIDC_STATE_MISMATCH', session: false });
    expect(await signInPage(await rawRequest(codeOnly.url, callback))).toEqual({ status: 400, code: 'OIDC_FLOW_MISSING', session: false });
    await page.context().close();
  }, 60_000);

  it('accepts a code once and refuses it replayed', async () => {
    const { callback, flowCookie, page } = await codeFor();
    const first = await rawRequest(codeOnly.url, callback, { headers: { cookie: `pm_oidc=${flowCookie}` } });
    expect([first.status, first.headers.location, String(first.headers['set-cookie']).includes('pm_session=')]).toEqual([303, '/', true]);
    expect(await signInPage(await rawRequest(codeOnly.url, callback, { headers: { cookie: `pm_oidc=${flowCookie}` } }))).toEqual({ status: 400, code: 'OIDC_CODE_REJECTED', session: false });
    await page.context().close();
  }, 60_000);

  it('refreshes an access token about to expire before the request goes on, rotating the refresh token; a refused refresh token ends the session', async () => {
    const { callback, flowCookie, page } = await codeFor();
    const key = codeOnly.config.sessionKey;
    const sessionIn = (headers: http.IncomingHttpHeaders) => openValue(/pm_session=([^;,]*)/.exec(String(headers['set-cookie']))?.[1], key, sessionSchema);
    const get = (session: Session) => rawRequest(codeOnly.url, '/api/reporting/portfolio', { headers: { cookie: `pm_session=${sealValue(session, key)}` } });
    const first = sessionIn((await rawRequest(codeOnly.url, callback, { headers: { cookie: `pm_oidc=${flowCookie}` } })).headers);
    if (!first?.refreshToken || !first.accessExp) throw new Error('the session should hold a refresh token');
    expect(first.exp).toBeGreaterThan(first.accessExp); // the session outlives one access token

    // Far from its expiry the token goes as it is: no refresh, no new cookie.
    const calm = await get(first);
    expect([calm.status, calm.headers['set-cookie']]).toEqual([200, undefined]);
    // 30 s left: refreshed first, the new session in this answer's cookie, the refresh token rotated.
    const nearly = { ...first, accessExp: Math.floor(Date.now() / 1000) + 30 };
    const refreshed = await get(nearly);
    expect(refreshed.status).toBe(200);
    const second = sessionIn(refreshed.headers);
    expect(second).toMatchObject({ sub: 'pat', tenant, roles: ['project-manager'], exp: first.exp });
    expect(second?.token).not.toBe(first.token);
    expect(second?.refreshToken).not.toBe(first.refreshToken);
    expect(second?.accessExp).toBeGreaterThan(nearly.accessExp + 500);
    // A request that still carried the old cookie shares that refresh rather than replaying the rotated token.
    const parallel = await get(nearly);
    expect([parallel.status, sessionIn(parallel.headers)?.token]).toEqual([200, second?.token]);
    // A refresh token the provider refuses ends the session: 401 in words, the cookie cleared.
    const refused = await get({ ...first, accessExp: nearly.accessExp, refreshToken: 'not-a-refresh-token' });
    expect([refused.status, JSON.parse(refused.body).code, /pm_session=;.*Max-Age=0/.test(String(refused.headers['set-cookie']))]).toEqual([401, 'SESSION_REQUIRED', true]);
    await page.context().close();
  }, 60_000);

  it('refuses an ID token whose nonce belongs to another sign-in', async () => {
    const { callback, flowCookie, page } = await codeFor();
    // The spec holds the gateway's key: it opens this browser's flow (state, verifier) and seals it with another nonce,
    // as if the ID token had been minted for a different sign-in; state and PKCE pass, the nonce must not.
    const flow = openValue(flowCookie, codeOnly.config.sessionKey, flowSchema);
    if (!flow) throw new Error('the flow cookie did not open under the gateway key');
    const sealed = sealValue({ ...flow, nonce: 'nonce-of-another-sign-in' }, codeOnly.config.sessionKey);
    expect(await signInPage(await rawRequest(codeOnly.url, callback, { headers: { cookie: `pm_oidc=${sealed}` } }))).toEqual({ status: 400, code: 'OIDC_NONCE_MISMATCH', session: false });
    await page.context().close();
  }, 60_000);

  it('shows a page in words and no session for an access token meant for another API', async () => {
    const page = await newPage(otherAudience.url);
    await page.goto('/auth/sign-in');
    await loginAtProvider(page, 'pat');
    await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
    expect(await page.locator('[data-code]').textContent()).toBe('OIDC_ACCESS_TOKEN_REJECTED');
    expect(await page.locator('main').textContent()).toContain('"aud" claim check');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'oidc-refused-1280.png'), fullPage: true });
    expect((await page.request.get('/auth/session')).status()).toBe(401);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('pm_session');
    await page.context().close();
  }, 60_000);

  it('refuses a token whose roles the platform does not know', async () => {
    const page = await newPage(gateway.url);
    await page.goto('/auth/sign-in');
    await loginAtProvider(page, 'nobody');
    await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
    expect(await page.locator('[data-code]').textContent()).toBe('OIDC_ACCESS_TOKEN_REJECTED');
    expect((await page.request.get('/auth/session')).status()).toBe(401);
    await page.context().close();
  }, 60_000);
});
