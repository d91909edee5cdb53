import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { MigrationInterface } from 'typeorm';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { principalOf } from '@pm/platform/auth';
import { IdempotencyInterceptor } from '@pm/platform/http';
import { provideReadinessCheck } from '@pm/platform/observability';
import { IdempotencySweeper } from './idempotency/idempotency-sweeper';
import { PgIdempotencyRecords } from './idempotency/pg-idempotency-records';
import { runMigrations } from './migrations';
import { PgEventStore } from './pg-event-store';
import { createPgPool } from './pg-pool';
import { TableStatistics, analyzeIntervalFromEnv } from './table-statistics';
import { WritePath } from './write-path/write-path';

export const PG_POOL = Symbol('PG_POOL');

export interface EventStoreModuleOptions {
  /** The service's own database (`PG_URL`). */
  readonly url: string;
  /** Everything the service's database needs: event store, inbox, checkpoints, read models. */
  readonly migrations: Array<new () => MigrationInterface>;
  readonly poolSize?: number;
  /** Snapshot spacing of every aggregate with a snapshot policy (SNAPSHOT_EVERY); default: each policy's own. */
  readonly snapshotEvery?: number;
}

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** The service's PostgreSQL pool and event store; migrations run before anything else touches the database. */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: PG_POOL,
          useFactory: async () => {
            const ran = await runMigrations(options.url, options.migrations);
            if (ran.length) new Logger('EventStoreModule').log(`applied migrations: ${ran.join(', ')}`);
            return createPgPool(options.url, { max: options.poolSize ?? 20 });
          },
        },
        { provide: PgEventStore, useFactory: (pool: Pool) => new PgEventStore(pool), inject: [PG_POOL] },
        { provide: WritePath, useFactory: (store: PgEventStore) => new WritePath(store, { snapshotEvery: options.snapshotEvery }), inject: [PgEventStore] },
        PoolCloser,
        // `Idempotency-Key` on every command route of the service (ADR 0013): keys live in the service's database.
        { provide: PgIdempotencyRecords, useFactory: (pool: Pool) => new PgIdempotencyRecords(pool), inject: [PG_POOL] },
        { provide: IdempotencySweeper, useFactory: (records: PgIdempotencyRecords) => new IdempotencySweeper(records), inject: [PgIdempotencyRecords] },
        { provide: TableStatistics, useFactory: (pool: Pool) => new TableStatistics(pool, analyzeIntervalFromEnv()), inject: [PG_POOL] },
        {
          provide: APP_INTERCEPTOR,
          useFactory: (records: PgIdempotencyRecords) => new IdempotencyInterceptor(records, (request) => principalOf(request)),
          inject: [PgIdempotencyRecords],
        },
        provideReadinessCheck({
          name: 'postgres',
          inject: [PG_POOL],
          useFactory: (pool: Pool) => async () => void (await pool.query('SELECT 1')),
        }),
      ],
      exports: [PG_POOL, PgEventStore, WritePath, PgIdempotencyRecords],
    };
  }
}
