import { z } from 'zod';

export interface AuthOptions {
  /** HS256 shared secret; `AUTH_JWT_SECRET`. Ignored when a JWKS URL is configured. */
  jwtSecret?: string;
  /** Identity provider key set (RS256/ES256/...); `AUTH_JWKS_URL`. Required in production. */
  jwksUrl?: string;
  /** Expected `iss`; `AUTH_ISSUER`. Unchecked when unset. */
  issuer?: string;
  /** Expected `aud`; `AUTH_AUDIENCE`. Unchecked when unset. */
  audience?: string;
  /** Clock skew tolerated on `exp`/`nbf`, in seconds; `AUTH_CLOCK_TOLERANCE_SECONDS`, else 5. */
  clockToleranceSeconds?: number;
  /** Claim carrying the tenant id; `AUTH_TENANT_CLAIM`, else `tenant`. A dotted path reaches into objects. */
  tenantClaim?: string;
  /** Claim carrying the platform roles; `AUTH_ROLES_CLAIM`, else `roles` (e.g. `realm_access.roles`). */
  rolesClaim?: string;
}

/** Only ever used outside production: lets a developer mint tokens with `npm run token`. */
export const DEV_JWT_SECRET = 'pm-platform-development-secret-do-not-use-in-production';

export type AuthKeySource = { kind: 'shared-secret'; secret: string } | { kind: 'jwks'; url: URL };

export interface ResolvedAuthConfig {
  key: AuthKeySource;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds: number;
  tenantClaim?: string;
  rolesClaim?: string;
}

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  AUTH_JWT_SECRET: z.string().optional(),
  AUTH_JWKS_URL: z.string().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).optional(),
  AUTH_TENANT_CLAIM: claimPath(),
  AUTH_ROLES_CLAIM: claimPath(),
});

// A claim name or a dotted path to one (`realm_access.roles`); never a prototype key.
function claimPath() {
  return z
    .string()
    .regex(/^[A-Za-z0-9_:/.-]{1,128}$/)
    .refine((path) => !path.split('.').some((part) => part === '' || part === '__proto__' || part === 'constructor' || part === 'prototype'), 'not a usable claim path')
    .optional();
}

// HS256 keys shorter than the hash output weaken the MAC (RFC 7518 §3.2).
const MIN_SECRET_BYTES = 32;

/**
 * Options win over the environment. Fails at startup, not on the first request, when the
 * configuration cannot be safe: production without a JWKS URL or an explicit secret, or a
 * secret too short for HS256.
 */
export function resolveAuthConfig(options: AuthOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedAuthConfig {
  const vars = envSchema.parse(env);
  const blankToUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const jwksUrl = blankToUndefined(options.jwksUrl ?? vars.AUTH_JWKS_URL);
  const explicitSecret = blankToUndefined(options.jwtSecret ?? vars.AUTH_JWT_SECRET);
  const production = vars.NODE_ENV === 'production';
  const common = {
    issuer: blankToUndefined(options.issuer ?? vars.AUTH_ISSUER),
    audience: blankToUndefined(options.audience ?? vars.AUTH_AUDIENCE),
    clockToleranceSeconds: options.clockToleranceSeconds ?? vars.AUTH_CLOCK_TOLERANCE_SECONDS ?? 5,
    tenantClaim: options.tenantClaim ?? vars.AUTH_TENANT_CLAIM ?? 'tenant',
    rolesClaim: options.rolesClaim ?? vars.AUTH_ROLES_CLAIM ?? 'roles',
  };

  if (jwksUrl) return { ...common, key: { kind: 'jwks', url: new URL(jwksUrl) } };
  if (!explicitSecret && production) {
    throw new Error('Auth: set AUTH_JWKS_URL (or AUTH_JWT_SECRET) in production; the development secret is refused');
  }
  const secret = explicitSecret ?? DEV_JWT_SECRET;
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new Error(`Auth: AUTH_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes for HS256`);
  }
  return { ...common, key: { kind: 'shared-secret', secret } };
}
