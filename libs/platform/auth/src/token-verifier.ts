import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import type { ResolvedAuthConfig } from './auth.options';
import { accessTokenClaimsSchema, principalFromClaims } from './principal.model';
import type { Principal } from './principal.model';

/** `expired`/`invalid` are the caller's problem (401); `unavailable` is ours (503). */
export type TokenRejectionReason = 'expired' | 'invalid' | 'unavailable';

export class AccessTokenRejected extends Error {
  constructor(
    readonly reason: TokenRejectionReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AccessTokenRejected';
  }
}

// Asymmetric algorithms only for a JWKS, HS256 only for a shared secret: never let a token's
// own `alg` header pick how it is checked (the classic RS256 → HS256 confusion).
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
const SHARED_SECRET_ALGORITHMS = ['HS256'];

// The key set could not be fetched or used: not the caller's fault.
const KEY_SET_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/** How long a verified token's principal is kept (never past the token's `exp`): a key removed from the JWKS stops being trusted within it. */
const VERIFIED_TTL_MS = 60_000;
/** Verified tokens kept at most; the oldest goes first. A dashboard user sends one token for many requests. */
const VERIFIED_MAX = 5_000;

/**
 * Verifies a compact JWT and turns its claims into a {@link Principal}; no Nest inside. A token that verified is
 * remembered (bounded in count and time, never past its expiry), since a client sends the same token with every
 * request and the signature check costs more than many a command (about 1.5 ms of CPU for RS256 under load). Tokens
 * that fail are never remembered, so a flood of bad ones costs its checks and nothing else.
 */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;
  private readonly tenantClaim: string;
  private readonly rolesClaim: string;
  private readonly verified = new Map<string, { readonly principal: Principal; readonly until: number }>();

  constructor(
    config: ResolvedAuthConfig,
    private readonly clock: () => number = Date.now,
  ) {
    const { key } = config;
    const jwks = key.kind === 'jwks';
    this.key = key.kind === 'jwks' ? createRemoteJWKSet(key.url) : new TextEncoder().encode(key.secret);
    this.options = {
      algorithms: jwks ? JWKS_ALGORITHMS : SHARED_SECRET_ALGORITHMS,
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: config.clockToleranceSeconds,
      // A token without an expiry would be valid forever once leaked.
      requiredClaims: ['exp'],
    };
    this.tenantClaim = config.tenantClaim ?? 'tenant';
    this.rolesClaim = config.rolesClaim ?? 'roles';
  }

  async verify(token: string): Promise<Principal> {
    const now = this.clock();
    const known = this.verified.get(token);
    if (known !== undefined && now < known.until) return known.principal;
    if (known !== undefined) this.verified.delete(token);
    const payload = await this.verifySignature(token, now);
    // Remembered principals are shared by requests: frozen, so none can change what the next one sees.
    const principal = this.principalOf(payload);
    Object.freeze(principal.roles);
    Object.freeze(principal);
    const exp = (payload as { exp?: unknown }).exp;
    if (typeof exp === 'number') this.remember(token, principal, Math.min(exp * 1000, now + VERIFIED_TTL_MS));
    return principal;
  }

  private remember(token: string, principal: Principal, until: number): void {
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, until });
  }

  private principalOf(payload: unknown): Principal {
    // The identity provider's names for tenant and roles (AUTH_TENANT_CLAIM / AUTH_ROLES_CLAIM) become the platform's.
    const mapped = { ...(payload as Record<string, unknown>), tenant: claimAt(payload, this.tenantClaim), roles: claimAt(payload, this.rolesClaim) };
    const claims = accessTokenClaimsSchema.safeParse(mapped);
    if (!claims.success) {
      const fields = [...new Set(claims.error.issues.map((issue) => String(issue.path[0] ?? 'token')))];
      throw new AccessTokenRejected('invalid', `The bearer token has missing or invalid claims: ${fields.join(', ')}.`);
    }
    return principalFromClaims(claims.data);
  }

  private async verifySignature(token: string, now: number): Promise<unknown> {
    const options = { ...this.options, currentDate: new Date(now) };
    try {
      // Overloads of jwtVerify differ by key type only; both are handled the same way.
      const { payload } = this.key instanceof Uint8Array ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
      return payload;
    } catch (error) {
      throw rejectionFor(error);
    }
  }
}

/**
 * The claim named `path` (a URI-style name such as `https://pm.example/tenant` is taken whole when present), else the
 * value at the dotted path (`realm_access.roles`); own properties only (the path was checked at startup: no prototype keys).
 */
export function claimAt(payload: unknown, path: string): unknown {
  const own = (value: unknown, key: string) => typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, key);
  if (own(payload, path)) return (payload as Record<string, unknown>)[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (!own(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function rejectionFor(error: unknown): AccessTokenRejected {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  if (code === 'ERR_JWT_EXPIRED') {
    return new AccessTokenRejected('expired', 'The bearer token has expired.', { cause: error });
  }
  if (code === undefined || KEY_SET_FAILURES.has(code)) {
    // No JOSE code: the key set fetch itself failed (network, DNS, TLS).
    return new AccessTokenRejected('unavailable', 'The token signing keys could not be obtained.', { cause: error });
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = (error as { claim?: unknown }).claim;
    return new AccessTokenRejected('invalid', `The bearer token failed the "${String(claim)}" claim check.`, { cause: error });
  }
  return new AccessTokenRejected('invalid', 'The bearer token is invalid.', { cause: error });
}
