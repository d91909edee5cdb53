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

  /** Resolves once the counters' table exists (created if missing, under an advisory lock: replicas start at once). */
  static async create(pool: Pool, config: ResolvedRateLimitConfig): Promise<PgRateLimiter> {
    await createTable(pool);
    const make = (scope: Scope, points: number): RateLimiterAbstract =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix: scope,
        points,
        duration: config.windowSeconds,
        // A key over its limit is refused from memory until its window ends: no query for a flood.
        inMemoryBlockOnConsumed: points + 1,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${scope}-insurance`, points, duration: config.windowSeconds }),
      });
    return new PgRateLimiter(config, { tenant: make('tenant', config.tenantPoints), principal: make('principal', config.principalPoints) });
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

/**
 * The library's own CREATE TABLE IF NOT EXISTS races when two limiters (or replicas) start at once ("type
 * rate_limits already exists"): create it here, once, under an advisory lock. Same columns as the library's.
 */
async function createTable(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('${RATE_LIMIT_TABLE}'))`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${RATE_LIMIT_TABLE} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function hashed(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
