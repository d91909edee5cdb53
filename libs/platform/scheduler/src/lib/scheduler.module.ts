import { Inject, Injectable, Module } from '@nestjs/common';
import type { BeforeApplicationShutdown, DynamicModule, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@pm/platform/event-store';
import { nestLogger } from '@pm/platform/observability';
import { DurableScheduler } from './durable-scheduler';
import type { DurableSchedulerOptions } from './durable-scheduler';

export type SchedulerModuleOptions = Omit<DurableSchedulerOptions, 'pool' | 'logger'>;

@Injectable()
class SchedulerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(DurableScheduler) private readonly scheduler: DurableScheduler) {}
  /** After every module's onModuleInit, so the feature modules have registered their handlers. */
  onApplicationBootstrap(): void {
    this.scheduler.start();
  }
  /** Before the pool closes: a firing in progress commits or rolls back, then the loop ends. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}

/**
 * The service's DurableScheduler on its PG_POOL (EventStoreModule); the service adds SCHEDULER_MIGRATIONS to
 * its migration list. Feature modules inject DurableScheduler and call `register(kind, handler)` in onModuleInit.
 */
@Module({})
export class SchedulerModule {
  static forRoot(options: SchedulerModuleOptions): DynamicModule {
    return {
      module: SchedulerModule,
      global: true,
      providers: [
        {
          provide: DurableScheduler,
          useFactory: (pool: Pool) => new DurableScheduler({ ...options, pool, logger: nestLogger('DurableScheduler') }),
          inject: [PG_POOL],
        },
        SchedulerLifecycle,
      ],
      exports: [DurableScheduler],
    };
  }
}
