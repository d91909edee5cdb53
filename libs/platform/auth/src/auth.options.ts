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
}

/** Only ever used outside production: lets a developer mint tokens with `npm run token`. */
export const DEV_JWT_SECRET = 'pm-platform-development-secret-do-not-use-in-production';

export type AuthKeySource = { kind: 'shared-secret'; secret: string } | { kind: 'jwks'; url: URL };

export interface ResolvedAuthConfig {
  key: AuthKeySource;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds: number;
}

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  AUTH_JWT_SECRET: z.string().optional(),
  AUTH_JWKS_URL: z.string().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).optional(),
});

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
