import { Inject, Injectable, Module } from '@nestjs/common';
import type { BeforeApplicationShutdown, DynamicModule, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@pm/platform/event-store';
import { nestLogger } from '@pm/platform/observability';
import { JobRunner } from './job-runner';
import type { JobRunnerOptions } from './job-runner';
import { JobStore } from './job-store';
import type { JobStoreOptions } from './job-store';

export interface JobsModuleOptions {
  readonly name: string;
  readonly store?: Omit<JobStoreOptions, 'pool'>;
  readonly runner?: Omit<JobRunnerOptions, 'store' | 'name' | 'logger'>;
  /** False for replicas that only accept requests and never run jobs (default true). */
  readonly runJobs?: boolean;
  /** Grace for running handlers at shutdown before their jobs are handed back to the queue (default 10 s). */
  readonly shutdownGraceMs?: number;
}

const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

@Injectable()
class JobsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(JobRunner) private readonly runner: JobRunner,
    @Inject(JOBS_OPTIONS) private readonly options: JobsModuleOptions,
  ) {}
  /** After every module's onModuleInit, so the feature modules have registered their handlers. */
  onApplicationBootstrap(): void {
    if (this.options.runJobs !== false) this.runner.start();
  }
  /** Before the pool closes: running jobs are aborted and handed back (or finish within the grace). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop({ graceMs: this.options.shutdownGraceMs });
  }
}

/**
 * JobStore and JobRunner on the service's PG_POOL (EventStoreModule); the service adds JOBS_MIGRATIONS to its
 * migration list. Feature modules inject JobStore (submit, get, cancel) and JobRunner (`register` in onModuleInit).
 */
@Module({})
export class JobsModule {
  static forRoot(options: JobsModuleOptions): DynamicModule {
    return {
      module: JobsModule,
      global: true,
      providers: [
        { provide: JOBS_OPTIONS, useValue: options },
        { provide: JobStore, useFactory: (pool: Pool) => new JobStore({ ...options.store, pool }), inject: [PG_POOL] },
        {
          provide: JobRunner,
          useFactory: (store: JobStore) => new JobRunner({ ...options.runner, store, name: options.name, logger: nestLogger('JobRunner') }),
          inject: [JobStore],
        },
        JobsLifecycle,
      ],
      exports: [JobStore, JobRunner],
    };
  }
}
