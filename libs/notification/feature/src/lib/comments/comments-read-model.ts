import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { CommentsProjection } from '@pm/notification/data-access';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';

/**
 * Comment threads as the store's log tells them (ADR 0404). Each comment command writes its row in its own transaction;
 * this runner applies the same events again (a no-op) and is what rebuilds the threads from position zero
 * (`runner.rebuild()`).
 */
@Injectable()
export class CommentsReadModel implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: StoreProjectionRunner;

  constructor(@Inject(PG_POOL) pool: Pool, store: PgEventStore) {
    const log = new Logger(CommentsReadModel.name);
    // Comment commands write their rows in-plan: the runner is the backup and the rebuild, so it polls (InboxReadModel).
    this.runner = new StoreProjectionRunner({ projection: new CommentsProjection(), context: 'notification', pool, store, wakeOnAppend: false, pollIntervalMs: 1_000, onError: (err) => log.error({ err }, 'comment threads catch-up failed') });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }
}
