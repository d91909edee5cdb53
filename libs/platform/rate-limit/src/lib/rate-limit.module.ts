import { Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { REQUEST_ADMISSION } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { PgRateLimiter } from './pg-rate-limiter';
import { resolveRateLimitConfig } from './rate-limit.options';
import type { RateLimitOptions } from './rate-limit.options';

const RATE_LIMIT_POOL = Symbol('RATE_LIMIT_POOL');

@Injectable()
class RateLimitPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * `RateLimitModule.forRoot({ pgUrl })` once in a service's app module (beside `AuthModule.forRoot()`): every
 * authenticated request counts against its tenant's and its principal's limit; 429 RATE_LIMITED with
 * `Retry-After` past either. Public routes (health) are not counted.
 */
@Module({})
export class RateLimitModule {
  static forRoot(options: RateLimitOptions): DynamicModule {
    const config = resolveRateLimitConfig(options);
    return {
      module: RateLimitModule,
      global: true,
      providers: [
        // Its own small pool: counting must not wait behind the write path's connections, nor they behind it.
        { provide: RATE_LIMIT_POOL, useFactory: () => createPgPool(config.pgUrl, { max: 10, application_name: 'rate-limit' }) },
        { provide: PgRateLimiter, useFactory: (pool: Pool) => PgRateLimiter.create(pool, config), inject: [RATE_LIMIT_POOL] },
        { provide: REQUEST_ADMISSION, useExisting: PgRateLimiter },
        RateLimitPoolCloser,
      ],
      exports: [REQUEST_ADMISSION],
    };
  }
}
