import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { EmailDeliveriesProjection, InboxProjection } from '@pm/notification/data-access';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';
import type { Projection, ProgressListener } from '@pm/platform/projections';

/**
 * The inbox as the store's log tells it. Every write already puts its rows in its own transaction (the consumer's
 * notifications, the inbox commands); this runner applies the same events again from the log, which changes nothing,
 * and is what rebuilds the inbox from position zero. It polls rather than waking on every append: at 200 events/s
 * its wake-ups and horizon re-checks were a third of the service's transactions, for no row.
 */
@Injectable()
export class InboxReadModel implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(InboxReadModel.name);
  readonly runner: StoreProjectionRunner;
  /** The e-mail delivery rows (ADR 0402), written in-plan like the inbox and rebuilt from the log the same way. */
  readonly emailRunner: StoreProjectionRunner;

  constructor(@Inject(PG_POOL) pool: Pool, store: PgEventStore) {
    const runnerOf = (projection: Projection) =>
      new StoreProjectionRunner({
        projection,
        context: 'notification',
        pool,
        store,
        // A backup, not the path: every write already put its rows in its own transaction, so the runner polls
        // once a second instead of waking (and re-checking the log horizon) after every append of the service.
        wakeOnAppend: false,
        pollIntervalMs: 1_000,
        onError: (err) => this.log.error({ err, projection: projection.name }, 'read model catch-up failed'),
      });
    this.runner = runnerOf(new InboxProjection());
    this.emailRunner = runnerOf(new EmailDeliveriesProjection());
  }

  onApplicationBootstrap(): void {
    this.runner.start();
    this.emailRunner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.runner.stop(), this.emailRunner.stop()]);
  }

  /** Empties the inbox and e-mail delivery tables and replays the whole log into them; resolves with the number of events applied. */
  async rebuild(onProgress?: ProgressListener): Promise<number> {
    const applied = await this.runner.rebuild(onProgress);
    return applied + (await this.emailRunner.rebuild());
  }
}
