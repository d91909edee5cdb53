import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AccessTokenRejected, TokenVerifier } from '@pm/platform/auth';
import type { ResolvedAuthConfig } from '@pm/platform/auth';
import type { Session } from './session-cookie';
import { cookieValue, openValue, sealValue } from './session-cookie';

/**
 * OpenID Connect authorization code flow with PKCE (S256) for the browser (ADR 0603). The gateway is a
 * confidential client; the state, nonce and code verifier travel in a short-lived sealed cookie; the ID token is
 * checked against the provider's JWKS (issuer, audience = client id, nonce, expiry) and the access token exactly as
 * the services check it (`TokenVerifier` with the same AUTH_* settings), which also maps its claims to tenant and roles.
 */
export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** The gateway's public `/auth/callback`, registered at the provider. */
  readonly redirectUri: string;
  readonly scopes: string;
  /** RFC 8707 resource indicator: the API audience the access token is for. */
  readonly resource?: string;
  /** Shown on the sign-in button: "Sign in with <providerName>". */
  readonly providerName: string;
  /** How access tokens are checked: the services' own settings (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, claims). */
  readonly accessToken: ResolvedAuthConfig;
  /** With a refresh token, the longest a session lasts before signing in again (default 8 h). */
  readonly sessionMaxSeconds?: number;
  /** An access token with less than this left is refreshed before a request goes on with it (default 60 s). */
  readonly refreshMarginSeconds?: number;
}

export const DEFAULT_SESSION_MAX_SECONDS = 8 * 60 * 60;
export const DEFAULT_REFRESH_MARGIN_SECONDS = 60;

export const FLOW_TTL_SECONDS = 600;
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];

export const flowSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), returnTo: z.string(), exp: z.number().int() });
export type OidcFlow = z.infer<typeof flowSchema>;

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
  end_session_endpoint: z.string().url().optional(),
});
type Discovery = z.infer<typeof discoverySchema>;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(16_384),
  id_token: z.string().min(1).max(16_384).optional(),
  refresh_token: z.string().min(1).max(4096).optional(),
  token_type: z.string(),
});
type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** A refused sign-in: a stable code, what happened, and the HTTP status of the page that says so. */
export class OidcRefusal extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly status = 400,
  ) {
    super(detail);
  }
}

export const flowCookieName = (secure: boolean) => (secure ? '__Host-pm_oidc' : 'pm_oidc');

/** SameSite=Lax, not Strict: it must ride along on the provider's top-level redirect back to /auth/callback. */
export function flowCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${flowCookieName(secure)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, maxAgeSeconds)}`, ...(secure ? ['Secure'] : [])].join('; ');
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
/** Only a path of this origin, never `//host` or a scheme: no open redirect after sign-in. */
const safeReturnTo = (value: string | null) => (value && /^\/(?![/\\])[^\s]{0,512}$/.test(value) ? value : '/');

export class OidcClient {
  private discovery?: Promise<{ meta: Discovery; jwks: JWTVerifyGetKey }>;
  private readonly accessTokens: TokenVerifier;

  constructor(
    readonly config: OidcConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.accessTokens = new TokenVerifier(config.accessToken);
  }

  /** Discovery once, retried on the next sign-in when it failed (the provider may start after the gateway). */
  private provider(): Promise<{ meta: Discovery; jwks: JWTVerifyGetKey }> {
    this.discovery ??= (async () => {
      const url = `${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const res = await this.fetchImpl(url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`discovery answered ${res.status}`);
      const meta = discoverySchema.parse(await res.json());
      if (meta.issuer !== this.config.issuer) throw new Error(`discovery names issuer ${meta.issuer}, configured ${this.config.issuer}`);
      return { meta, jwks: createRemoteJWKSet(new URL(meta.jwks_uri)) };
    })().catch((error: unknown) => {
      this.discovery = undefined;
      throw new OidcRefusal('OIDC_PROVIDER_UNAVAILABLE', `The identity provider could not be reached (${error instanceof Error ? error.message : 'unknown error'}). Try again in a minute.`, 502);
    });
    return this.discovery;
  }

  /** The provider's authorization URL and the sealed flow cookie value for a new sign-in. */
  async start(returnTo: string | null, sealKey: Buffer): Promise<{ location: string; flow: string }> {
    const { meta } = await this.provider();
    const flow: OidcFlow = { state: b64url(randomBytes(32)), nonce: b64url(randomBytes(32)), verifier: b64url(randomBytes(32)), returnTo: safeReturnTo(returnTo), exp: Math.floor(Date.now() / 1000) + FLOW_TTL_SECONDS };
    const url = new URL(meta.authorization_endpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: b64url(createHash('sha256').update(flow.verifier).digest()),
      code_challenge_method: 'S256',
      ...(this.config.resource ? { resource: this.config.resource } : {}),
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { location: url.toString(), flow: sealValue(flow, sealKey) };
  }

  /** The callback: every check of ADR 0603 in order; a session, or an {@link OidcRefusal} with a stable code. */
  async finish(req: IncomingMessage, sealKey: Buffer, secure: boolean): Promise<{ session: Session; returnTo: string }> {
    const query = new URL(req.url ?? '/', 'http://gateway').searchParams;
    const providerError = query.get('error');
    if (providerError) {
      const code = /^[a-z_]{1,64}$/.test(providerError) ? providerError : 'unknown';
      throw new OidcRefusal('OIDC_PROVIDER_REFUSED', `The identity provider did not sign you in (${code}).`);
    }
    const flow = openValue(cookieValue(req, flowCookieName(secure)), sealKey, flowSchema);
    if (!flow) throw new OidcRefusal('OIDC_FLOW_MISSING', 'This sign-in was not started in this browser, or took longer than 10 minutes.');
    const state = query.get('state') ?? '';
    if (!sameText(state, flow.state)) throw new OidcRefusal('OIDC_STATE_MISMATCH', 'The answer from the identity provider does not belong to the sign-in this browser started.');
    const { meta, jwks } = await this.provider();
    const iss = query.get('iss');
    if (iss !== null && iss !== meta.issuer) throw new OidcRefusal('OIDC_ISSUER_MISMATCH', 'The answer came from another identity provider than the configured one.');
    const code = query.get('code');
    if (!code || code.length > 2048) throw new OidcRefusal('OIDC_CODE_MISSING', 'The identity provider sent no authorization code.');

    const tokens = await this.exchange(meta, code, flow.verifier);
    if (!tokens.id_token) throw new OidcRefusal('OIDC_TOKEN_RESPONSE_INVALID', 'The identity provider answered without a bearer access token and an ID token.');
    const idClaims = await jwtVerify(tokens.id_token, jwks, { issuer: meta.issuer, audience: this.config.clientId, algorithms: ASYMMETRIC, requiredClaims: ['exp', 'iat', 'sub', 'nonce'] }).then(
      (r) => r.payload,
      (error: unknown) => {
        throw new OidcRefusal('OIDC_ID_TOKEN_REJECTED', `The ID token failed its checks (${error instanceof Error ? error.message : 'invalid'}).`);
      },
    );
    if (typeof idClaims.nonce !== 'string' || !sameText(idClaims.nonce, flow.nonce)) throw new OidcRefusal('OIDC_NONCE_MISMATCH', 'The ID token was issued for another sign-in (nonce mismatch).');
    const session = await this.sessionOf(tokens, idClaims.sub, idClaims.email);
    return { session, returnTo: flow.returnTo };
  }

  /**
   * The access token checked as the services check it and issued to `sub`; with a refresh token the session lasts
   * `sessionMaxSeconds` from its start (`endsAt`), else as long as the access token.
   */
  private async sessionOf(tokens: TokenResponse, sub: string | undefined, email: unknown, endsAt?: number): Promise<Session> {
    const principal = await this.accessTokens.verify(tokens.access_token).catch((error: unknown) => {
      if (error instanceof AccessTokenRejected && error.reason === 'unavailable') throw new OidcRefusal('OIDC_PROVIDER_UNAVAILABLE', 'The token signing keys could not be obtained. Try again in a minute.', 502);
      throw new OidcRefusal('OIDC_ACCESS_TOKEN_REJECTED', `The access token is not one the platform accepts: ${error instanceof Error ? error.message : 'invalid'}`);
    });
    if (principal.sub !== sub) throw new OidcRefusal('OIDC_ACCESS_TOKEN_REJECTED', 'The access token was issued to someone else than the ID token.');
    const accessExp = decodeJwt(tokens.access_token).exp ?? 0; // verified above: present and in the future
    const base = { token: tokens.access_token, sub: principal.sub, tenant: principal.tenantId, roles: [...principal.roles], ...emailOf(principal.email ?? email) };
    if (!tokens.refresh_token) return { ...base, exp: accessExp };
    const exp = endsAt ?? Math.floor(Date.now() / 1000) + (this.config.sessionMaxSeconds ?? DEFAULT_SESSION_MAX_SECONDS);
    return { ...base, exp, accessExp, refreshToken: tokens.refresh_token };
  }

  /**
   * The next access token for a session (refresh_token grant, RFC 6749 §6), checked like the first; the provider may
   * rotate the refresh token. Null when the provider refuses the refresh token (revoked, expired, replayed): the
   * session is over. Throws {@link OidcRefusal} when the provider cannot be reached.
   */
  async refresh(session: Session): Promise<Session | null> {
    if (!session.refreshToken) return null;
    const { meta } = await this.provider();
    const tokens = await this.tokenRequest(meta, { grant_type: 'refresh_token', refresh_token: session.refreshToken }).catch((error: unknown) => {
      if (error instanceof OidcRefusal && error.code === 'OIDC_CODE_REJECTED') return null;
      throw error;
    });
    if (!tokens) return null;
    const next = await this.sessionOf({ ...tokens, refresh_token: tokens.refresh_token ?? session.refreshToken }, session.sub, session.email, session.exp).catch((error: unknown) => {
      if (error instanceof OidcRefusal && error.status === 502) throw error;
      return null;
    });
    return next;
  }

  private exchange(meta: Discovery, code: string, verifier: string): Promise<TokenResponse> {
    return this.tokenRequest(meta, { grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUri, code_verifier: verifier });
  }

  private async tokenRequest(meta: Discovery, params: Record<string, string>): Promise<TokenResponse> {
    const body = new URLSearchParams(params);
    if (this.config.resource) body.set('resource', this.config.resource);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.config.clientSecret) {
      const enc = (s: string) => encodeURIComponent(s);
      headers.authorization = `Basic ${Buffer.from(`${enc(this.config.clientId)}:${enc(this.config.clientSecret)}`).toString('base64')}`;
    } else body.set('client_id', this.config.clientId);
    let res: Response;
    try {
      res = await this.fetchImpl(meta.token_endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    } catch {
      throw new OidcRefusal('OIDC_PROVIDER_UNAVAILABLE', 'The identity provider did not answer the token request. Try again in a minute.', 502);
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const error = z.object({ error: z.string().regex(/^[a-z_]{1,64}$/) }).safeParse(json);
      throw new OidcRefusal('OIDC_CODE_REJECTED', `The identity provider refused the authorization code (${error.success ? error.data.error : `HTTP ${res.status}`}): it may have been used already or have expired.`);
    }
    const tokens = tokenResponseSchema.safeParse(json);
    if (!tokens.success || tokens.data.token_type.toLowerCase() !== 'bearer') throw new OidcRefusal('OIDC_TOKEN_RESPONSE_INVALID', 'The identity provider answered without a bearer access token.');
    return tokens.data;
  }
}

const clients = new WeakMap<OidcConfig, OidcClient>();
/** One client per configuration: discovery and the JWKS are fetched once. */
export function oidcClientFor(config: OidcConfig): OidcClient {
  let client = clients.get(config);
  if (!client) clients.set(config, (client = new OidcClient(config)));
  return client;
}

/** Shown on the page only; a malformed one is left out rather than refused (the services do the same). */
const emailOf = (value: unknown) => (typeof value === 'string' && value.length <= 254 && /^[^\s@<>"]{1,64}@[^\s@<>"]{1,189}$/.test(value) ? { email: value } : {});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page a person can act on (the callback is a top-level navigation, not a fetch): what happened, what to do. */
export function sendSignInFailure(res: ServerResponse, refusal: OidcRefusal, secure: boolean): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in failed</title></head>
<body><main><h1>Sign-in failed</h1><p>${escapeHtml(refusal.detail)}</p><p>Nothing was signed in. Start again; if it keeps failing, tell your platform team the reference below.</p>
<p><a href="/sign-in">Sign in again</a></p><p>Reference: <code data-code="${escapeHtml(refusal.code)}">${escapeHtml(refusal.code)}</code></p></main></body></html>`;
  res.writeHead(refusal.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'set-cookie': flowCookie('', 0, secure),
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}
