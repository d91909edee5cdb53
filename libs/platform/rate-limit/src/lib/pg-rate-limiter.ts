import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal, RequestAdmission } from '@pm/platform/auth';
import { ProblemException } from '@pm/platform/http';
import type { ResolvedRateLimitConfig } from './rate-limit.options';

export const RATE_LIMIT_TABLE = 'rate_limits';
export const RATE_LIMITED_CODE = 'RATE_LIMITED';

type Scope = 'tenant' | 'principal';

/**
 * Fixed-window request counters per tenant and per principal in the service's PostgreSQL (rate-limiter-flexible's
 * Postgres store: one upsert per counter and request), so the limit holds across every replica. Keys are hashed:
 * the table holds no tenant or user ids, and a 256-character claim still fits its key column. When the database
 * fails, each replica falls back to counting in memory (the same limit per replica) rather than refusing or
 * admitting everything.
 */
export class PgRateLimiter implements RequestAdmission {
  private readonly limiters: Record<Scope, RateLimiterAbstract>;

  private constructor(
    private readonly config: ResolvedRateLimitConfig,
    limiters: Record<Scope, RateLimiterAbstract>,
  ) {
    this.limiters = limiters;
  }

  /** Resolves once the counters' table exists (created if missing; concurrent creation by replicas is fine). */
  static async create(pool: Pool, config: ResolvedRateLimitConfig): Promise<PgRateLimiter> {
    const make = (scope: Scope, points: number) =>
      new Promise<RateLimiterAbstract>((resolve, reject) => {
        const limiter: RateLimiterPostgres = new RateLimiterPostgres(
          {
            storeClient: pool,
            storeType: 'pool',
            tableName: RATE_LIMIT_TABLE,
            keyPrefix: scope,
            points,
            duration: config.windowSeconds,
            // A key over its limit is refused from memory until its window ends: no query for a flood.
            inMemoryBlockOnConsumed: points + 1,
            insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${scope}-insurance`, points, duration: config.windowSeconds }),
          },
          (error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(limiter)),
        );
      });
    const [tenant, principal] = await Promise.all([make('tenant', config.tenantPoints), make('principal', config.principalPoints)]);
    return new PgRateLimiter(config, { tenant, principal });
  }

  async admit(principal: Principal): Promise<void> {
    if (!this.config.enabled) return;
    const keys: Record<Scope, string> = {
      tenant: hashed(principal.tenantId),
      principal: hashed(`${principal.tenantId}\u0000${principal.sub}`),
    };
    const outcomes = await Promise.allSettled([this.limiters.tenant.consume(keys.tenant), this.limiters.principal.consume(keys.principal)]);
    const refusals = outcomes.flatMap((outcome, index) => {
      if (outcome.status === 'fulfilled') return [];
      if (outcome.reason instanceof RateLimiterRes) return [{ scope: (['tenant', 'principal'] as const)[index], res: outcome.reason }];
      throw outcome.reason;
    });
    if (refusals.length === 0) return;
    const longest = refusals.reduce((a, b) => (b.res.msBeforeNext > a.res.msBeforeNext ? b : a));
    throw this.tooManyRequests(longest.scope, longest.res);
  }

  private tooManyRequests(scope: Scope, res: RateLimiterRes): ProblemException {
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    const limit = scope === 'tenant' ? this.config.tenantPoints : this.config.principalPoints;
    return new ProblemException({
      status: 429,
      code: RATE_LIMITED_CODE,
      title: 'Too many requests',
      detail: `The ${scope === 'tenant' ? "tenant's" : "caller's"} limit of ${limit} requests per ${this.config.windowSeconds} s is used up; retry after ${retryAfter} s.`,
      details: { scope, limit, windowSeconds: this.config.windowSeconds, retryAfterSeconds: retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}

function hashed(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
