import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { ScheduleViewProjection, ScheduleViewRepository } from '@pm/planning/data-access';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';

/**
 * Keeps the schedule read model in step with the planning store. Reads catch up first, so a client
 * reads its own writes; the apply is idempotent per stream version, so the background loop and a
 * read catching up at the same moment cannot apply an event twice.
 */
@Injectable()
export class ScheduleViewRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: StoreProjectionRunner;
  readonly repository: ScheduleViewRepository;
  private readonly logger = new Logger(ScheduleViewRunner.name);

  constructor(@Inject(PG_POOL) pool: Pool, store: PgEventStore) {
    this.runner = new StoreProjectionRunner({ projection: new ScheduleViewProjection(), context: 'planning', pool, store });
    this.repository = new ScheduleViewRepository(pool);
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /** Best effort: a failed catch-up leaves the view as the background loop last left it. */
  async catchUp(): Promise<void> {
    await this.runner.catchUp().catch((error: unknown) => this.logger.warn(`schedule view catch-up failed: ${String(error)}`));
  }
}
