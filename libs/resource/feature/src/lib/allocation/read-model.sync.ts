import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';
import { ResourcePoolProjection, markAllocationDirty } from '@pm/resource/data-access';
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
  /** The run queued behind the current one, not started yet. */
  private queued?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly store: PgEventStore,
    private readonly evaluator: AllocationEvaluator,
    @Inject(RESOURCE_OPTIONS) private readonly options: ResourceOptions,
  ) {
    this.runner = new StoreProjectionRunner({ projection: new ResourcePoolProjection(), context: 'resource', pool, store });
  }

  /**
   * Resolves once everything committed before the call is in the read models and evaluated. A run that is queued
   * and has not started yet starts after this call, so it serves it too: a burst of calls (a consumer batch
   * reports each applied planning event) costs one run, not one per call.
   */
  sync(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain.then(async () => {
      this.queued = undefined;
      try {
        await this.runner.catchUp();
        await this.evaluator.drain();
      } catch (err) {
        // The marks stay in allocation_dirty; the next run picks them up.
        this.log.error({ err }, 'read-model sync failed');
      }
    });
    this.queued = run;
    this.chain = run;
    return run;
  }

  /**
   * Rebuilds the pool read model from position zero of the store, then the utilisation read model from it and
   * the local copy of the plan (every resource re-evaluated). Over-allocation findings are re-decided too, and
   * unchanged ones publish nothing. The plan copy itself rebuilds from planning's topic like any projection.
   */
  rebuild(): Promise<number> {
    const run = this.chain.then(async () => {
      const replayed = await this.runner.rebuild();
      await this.store.transaction(async (tx) => {
        await tx.query('TRUNCATE resource_utilisation_weekly, utilisation_horizon');
        const tenants = await tx.query<{ tenant_id: string; ids: string[] }>('SELECT tenant_id, array_agg(resource_id::text) AS ids FROM resource_pool GROUP BY tenant_id');
        for (const t of tenants.rows) await markAllocationDirty(tx, t.tenant_id, t.ids);
      });
      await this.evaluator.drain();
      return replayed;
    });
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
