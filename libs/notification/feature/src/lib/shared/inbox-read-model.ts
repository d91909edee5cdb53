import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { InboxProjection } from '@pm/notification/data-access';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';
import type { ProgressListener } from '@pm/platform/projections';

/**
 * The inbox as the store's log tells it. Every write already puts its rows in its own transaction (the consumer's
 * notifications, the inbox commands); this runner applies the same events again from the log, which changes nothing,
 * and is what rebuilds the inbox from position zero.
 */
@Injectable()
export class InboxReadModel implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(InboxReadModel.name);
  readonly runner: StoreProjectionRunner;

  constructor(@Inject(PG_POOL) pool: Pool, store: PgEventStore) {
    this.runner = new StoreProjectionRunner({
      projection: new InboxProjection(),
      context: 'notification',
      pool,
      store,
      pollIntervalMs: 5_000,
      onError: (err) => this.log.error({ err }, 'inbox read model catch-up failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }

  /** Empties the inbox tables and replays the whole log into them; resolves with the number of events applied. */
  async rebuild(onProgress?: ProgressListener): Promise<number> {
    const applied = await this.runner.rebuild(onProgress);
    return applied;
  }
}
