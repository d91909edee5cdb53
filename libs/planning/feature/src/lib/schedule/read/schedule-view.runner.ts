import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { ScheduleViewProjection, ScheduleViewRepository } from '@pm/planning/data-access';
import type { StoredScheduleView } from '@pm/planning/data-access';
import { scheduleStreamId } from '@pm/planning/domain';
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

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly store: PgEventStore,
  ) {
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

  /**
   * The view of one schedule, at least as new as its stream was when asked (read your own writes).
   * The log hides events behind any older transaction still in flight (the xid8-safe order), so one
   * catch-up may not reach them yet; it is repeated briefly, then the view is served as it is.
   */
  async current(tenantId: string, projectId: string, timeoutMs = 10_000): Promise<StoredScheduleView | null> {
    const streamId = scheduleStreamId(tenantId, projectId);
    const head = await this.store.streamVersion(streamId);
    const deadline = Date.now() + timeoutMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      await this.catchUp();
      const view = await this.repository.find(tenantId, projectId);
      if (view ? view.version >= head : head === 0 || !(await this.ownsStream(streamId, tenantId))) return view;
      if (Date.now() > deadline) return view;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private async ownsStream(streamId: string, tenantId: string): Promise<boolean> {
    return (await this.store.readStream(streamId, { maxCount: 1, tenantId })).length > 0;
  }
}
