import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';
import { ResourcePoolProjection } from '@pm/resource/data-access';
import { RESOURCE_OPTIONS } from '../shared/resource-options';
import type { ResourceOptions } from '../shared/resource-options';
import { AllocationEvaluator } from './allocation.evaluator';

/**
 * Keeps the pool read model in step with the store and drains the over-allocation to-do list. Runs on a
 * timer, and on demand after a command or a planning event so answers are fresh; runs never overlap.
 */
@Injectable()
export class ReadModelSync implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(ReadModelSync.name);
  private readonly runner: StoreProjectionRunner;
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    store: PgEventStore,
    private readonly evaluator: AllocationEvaluator,
    @Inject(RESOURCE_OPTIONS) private readonly options: ResourceOptions,
  ) {
    this.runner = new StoreProjectionRunner({ projection: new ResourcePoolProjection(), context: 'resource', pool, store });
  }

  /** Resolves once everything committed before the call is in the read models and evaluated. */
  sync(): Promise<void> {
    this.chain = this.chain.then(async () => {
      try {
        await this.runner.catchUp();
        await this.evaluator.drain();
      } catch (err) {
        // The marks stay in allocation_dirty; the next run picks them up.
        this.log.error({ err }, 'read-model sync failed');
      }
    });
    return this.chain;
  }

  /** Replays the store into an empty pool read model. */
  rebuild(): Promise<number> {
    const run = this.chain.then(() => this.runner.rebuild());
    this.chain = run.then(() => undefined, () => undefined);
    return run;
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      this.timer = setTimeout(() => void this.sync().then(() => this.timer && tick()), this.options.syncIntervalMs);
    };
    tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }
}
