import { z } from 'zod';

export interface RateLimitOptions {
  /** The service's own database: the counters live in its `rate_limits` table, shared by every replica. */
  pgUrl: string;
  /** `RATE_LIMIT_ENABLED`, default true. */
  enabled?: boolean;
  /** Requests one tenant may make per window, all its users together; `RATE_LIMIT_TENANT`, default 20000. */
  tenantPoints?: number;
  /** Requests one principal (tenant + subject) may make per window; `RATE_LIMIT_PRINCIPAL`, default 3000. */
  principalPoints?: number;
  /** Window length in seconds (fixed window); `RATE_LIMIT_WINDOW_SECONDS`, default 60. */
  windowSeconds?: number;
}

export type ResolvedRateLimitConfig = Required<RateLimitOptions>;

export const RATE_LIMIT_DEFAULTS = { enabled: true, tenantPoints: 20_000, principalPoints: 3_000, windowSeconds: 60 } as const;

const envSchema = z.object({
  RATE_LIMIT_ENABLED: z.enum(['true', 'false']).optional(),
  RATE_LIMIT_TENANT: z.coerce.number().int().min(1).max(10_000_000).optional(),
  RATE_LIMIT_PRINCIPAL: z.coerce.number().int().min(1).max(10_000_000).optional(),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
});

/** Options win over the environment; a bad variable fails the boot, naming it. */
export function resolveRateLimitConfig(options: RateLimitOptions, env: NodeJS.ProcessEnv = process.env): ResolvedRateLimitConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`rate limit configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const vars = parsed.data;
  return {
    pgUrl: options.pgUrl,
    enabled: options.enabled ?? (vars.RATE_LIMIT_ENABLED === undefined ? RATE_LIMIT_DEFAULTS.enabled : vars.RATE_LIMIT_ENABLED === 'true'),
    tenantPoints: options.tenantPoints ?? vars.RATE_LIMIT_TENANT ?? RATE_LIMIT_DEFAULTS.tenantPoints,
    principalPoints: options.principalPoints ?? vars.RATE_LIMIT_PRINCIPAL ?? RATE_LIMIT_DEFAULTS.principalPoints,
    windowSeconds: options.windowSeconds ?? vars.RATE_LIMIT_WINDOW_SECONDS ?? RATE_LIMIT_DEFAULTS.windowSeconds,
  };
}
