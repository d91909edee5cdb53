import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { resolveAuthConfig } from '@pm/platform/auth';
import type { OidcConfig } from './oidc';

/** The services the browser may reach, by the first segment after /api/. A closed list: anything else is a 404. */
export const UPSTREAM_SERVICES = ['planning', 'resource', 'risk', 'notification', 'reporting'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

const DEFAULT_PORTS: Record<UpstreamService, number> = { planning: 3001, resource: 3002, risk: 3003, notification: 3004, reporting: 3005 };

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** The built web app (index.html and assets/). */
  readonly webRoot: string;
  readonly upstreams: Readonly<Record<UpstreamService, URL>>;
  /** 32 bytes: seals the session cookie (AES-256-GCM). */
  readonly sessionKey: Buffer;
  /** `POST /auth/dev-sign-in` exists only with PM_DEV_SIGN_IN=1 outside production. */
  readonly devSignIn: boolean;
  /** Session cookies get `Secure` (and the `__Host-` prefix) when the public origin is https. */
  readonly secureCookies: boolean;
  readonly bodyLimitBytes: number;
  readonly upstreamTimeoutMs: number;
  /** OIDC sign-in (ADR 0603): set when OIDC_ISSUER is. */
  readonly oidc?: OidcConfig;
}

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_WEB_ROOT: z.string().optional(),
  GATEWAY_SESSION_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'base64url of 32 bytes').optional(),
  GATEWAY_SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  // Uploads (MSPDI, 96 MiB at the planning service) pass through; the service applies its own, tighter limits.
  GATEWAY_BODY_LIMIT: z.coerce.number().int().min(1024).default(100 * 1024 * 1024),
  GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(1000).default(11 * 60 * 1000),
  PM_DEV_SIGN_IN: z.string().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(256).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.string().url().optional(),
  OIDC_SCOPES: z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/).default('openid email profile'),
  OIDC_RESOURCE: z.string().url().optional(),
  OIDC_PROVIDER_NAME: z.string().min(1).max(64).default('your organisation'),
  OIDC_SESSION_MAX_SECONDS: z.coerce.number().int().min(300).max(7 * 24 * 60 * 60).default(8 * 60 * 60),
  OIDC_REFRESH_MARGIN_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  ...Object.fromEntries(UPSTREAM_SERVICES.map((s) => [`GATEWAY_UPSTREAM_${s.toUpperCase()}`, z.string().url().optional()])),
});

export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env, repoRoot = process.cwd()): GatewayConfig {
  // Blank means unset: compose passes `${OIDC_ISSUER:-}` as an empty string.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '')));
  if (!parsed.success) {
    throw new Error(`gateway configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const vars = parsed.data as z.output<typeof envSchema> & Record<string, string | undefined>;
  const production = vars.NODE_ENV === 'production';
  if (production && !vars.GATEWAY_SESSION_KEY) throw new Error('gateway: set GATEWAY_SESSION_KEY in production (sessions must survive restarts and be shared by replicas)');
  const upstreams = Object.fromEntries(
    UPSTREAM_SERVICES.map((s) => [s, new URL(vars[`GATEWAY_UPSTREAM_${s.toUpperCase()}`] ?? `http://127.0.0.1:${DEFAULT_PORTS[s]}`)]),
  ) as Record<UpstreamService, URL>;
  return {
    oidc: oidcConfig(vars, env),
    port: vars.GATEWAY_PORT,
    host: vars.GATEWAY_HOST,
    webRoot: path.resolve(repoRoot, vars.GATEWAY_WEB_ROOT ?? 'dist/apps/web'),
    upstreams,
    // Without a key (development) sessions last as long as the process: a restart signs everyone out.
    sessionKey: vars.GATEWAY_SESSION_KEY ? Buffer.from(vars.GATEWAY_SESSION_KEY, 'base64url') : randomBytes(32),
    devSignIn: vars.PM_DEV_SIGN_IN === '1' && !production,
    secureCookies: vars.GATEWAY_SECURE_COOKIES ? vars.GATEWAY_SECURE_COOKIES === 'true' : production,
    bodyLimitBytes: vars.GATEWAY_BODY_LIMIT,
    upstreamTimeoutMs: vars.GATEWAY_UPSTREAM_TIMEOUT_MS,
  };
}

function oidcConfig(vars: z.output<typeof envSchema>, env: NodeJS.ProcessEnv): OidcConfig | undefined {
  if (!vars.OIDC_ISSUER) return undefined;
  if (!vars.OIDC_CLIENT_ID || !vars.OIDC_REDIRECT_URI) throw new Error('gateway: OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_REDIRECT_URI');
  if (!vars.OIDC_SCOPES.split(' ').includes('openid')) throw new Error('gateway: OIDC_SCOPES must include openid');
  return {
    issuer: vars.OIDC_ISSUER,
    clientId: vars.OIDC_CLIENT_ID,
    clientSecret: vars.OIDC_CLIENT_SECRET,
    redirectUri: vars.OIDC_REDIRECT_URI,
    scopes: vars.OIDC_SCOPES,
    resource: vars.OIDC_RESOURCE,
    providerName: vars.OIDC_PROVIDER_NAME,
    sessionMaxSeconds: vars.OIDC_SESSION_MAX_SECONDS,
    refreshMarginSeconds: vars.OIDC_REFRESH_MARGIN_SECONDS,
    // Access tokens are checked with the services' own settings: what the gateway accepts, they accept.
    accessToken: resolveAuthConfig({}, Object.fromEntries(Object.entries(env).filter(([, v]) => v?.trim()))),
  };
}
