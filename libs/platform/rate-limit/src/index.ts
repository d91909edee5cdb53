export { RateLimitModule } from './lib/rate-limit.module';
export { PgRateLimiter, RATE_LIMIT_TABLE, RATE_LIMITED_CODE } from './lib/pg-rate-limiter';
export { resolveRateLimitConfig, RATE_LIMIT_DEFAULTS } from './lib/rate-limit.options';
export type { RateLimitOptions, ResolvedRateLimitConfig } from './lib/rate-limit.options';
