import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { ScheduleRowsProjection, ScheduleRowsRepository } from '@pm/planning/data-access';
import type { ScheduleHeader, StoredScheduleView } from '@pm/planning/data-access';
import { scheduleStreamId } from '@pm/planning/domain';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { LaneProjectionRunner } from '@pm/platform/projections';

/**
 * Keeps the schedule rows in step with the planning store, one lane per project (ADR 0010). A read catches up its
 * own project's lane first, so a client reads its own writes without waiting for any other project or tenant.
 */
@Injectable()
export class ScheduleViewRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: LaneProjectionRunner;
  readonly repository: ScheduleRowsRepository;
  private readonly logger = new Logger(ScheduleViewRunner.name);

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly store: PgEventStore,
  ) {
    this.runner = new LaneProjectionRunner({
      projection: new ScheduleRowsProjection(store),
      context: 'planning',
      pool,
      store,
      onError: (error) => this.logger.warn(`schedule rows: ${String(error)}`),
    });
    this.repository = new ScheduleRowsRepository(pool);
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /**
   * Best effort: a failed catch-up leaves the rows as the background loop last left them. With a tenant, only that
   * tenant's projects are waited for; another tenant's large import is not.
   */
  async catchUp(tenantId?: string): Promise<void> {
    const prefix = tenantId === undefined ? null : scheduleStreamId(tenantId, '');
    const done = prefix === null ? this.runner.catchUp() : this.runner.catchUpWhere((streamId) => streamId.startsWith(prefix));
    await done.catch((error: unknown) => this.logger.warn(`schedule rows catch-up failed: ${String(error)}`));
  }

  /**
   * The project row of one schedule, at least as new as its stream was when asked (read your own writes). Only
   * this project's lane is caught up; while another worker applies it (a large import) the read waits for that
   * lane alone, up to `timeoutMs`, then is served as it is (an import not yet applied is not shown).
   */
  async header(tenantId: string, projectId: string, timeoutMs = 10_000): Promise<ScheduleHeader | null> {
    const streamId = scheduleStreamId(tenantId, projectId);
    // Most reads find their lane current: the stream's head and the lane's version, asked at once, settle it in one
    // round trip, without the catch-up's transaction and locks (six statements one after another, each waiting its
    // turn on a server busy with another tenant's large plan).
    const [head, applied] = await Promise.all([this.store.streamVersion(streamId), this.runner.laneVersion(streamId)]);
    const deadline = Date.now() + timeoutMs;
    for (let pause = 5; head > applied; pause = Math.min(pause * 2, 100)) {
      // A committed import is prepared by the background runner, never by a read: the read waits for it instead.
      const done = await this.runner.catchUpLane(streamId, { wait: false, prepare: false }).catch((error: unknown) => {
        this.logger.warn(`schedule lane ${streamId} catch-up failed: ${String(error)}`);
        return false;
      });
      if (done || (await this.runner.laneVersion(streamId)) >= head || Date.now() > deadline) break;
      // Woken when this process's runner finishes a lane; the pause bounds the wait for a lane another instance holds.
      await this.runner.laneSettled(pause);
    }
    return this.repository.header(tenantId, projectId);
  }

  /** The whole schedule as the fold's state (variance, earned value, export), as new as `header` makes it. */
  async current(tenantId: string, projectId: string): Promise<StoredScheduleView | null> {
    if (!(await this.header(tenantId, projectId))) return null;
    return this.repository.state(tenantId, projectId);
  }
}
