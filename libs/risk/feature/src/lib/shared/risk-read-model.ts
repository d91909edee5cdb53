import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';
import type { ProgressListener } from '@pm/platform/projections';
import { RiskRegisterProjection, logHead, unappliedUpTo, withExposureMarks } from '@pm/risk/data-access';
import { RISK_OPTIONS } from './risk-options';
import type { RiskOptions } from './risk-options';

/** How long `sync()` waits for the events committed before it to be applied from the log. */
const SYNC_DEADLINE_MS = 5_000;

/**
 * The register and issue log as the store's log tells them: kept in step in the background (woken by each committed
 * append), rebuilt from position zero on demand. Commands also write their own rows in their transaction
 * (`projectInPlan`); applying their events here again changes nothing.
 */
@Injectable()
export class RiskReadModel implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RiskReadModel.name);
  readonly runner: StoreProjectionRunner;

  constructor(@Inject(PG_POOL) private readonly pool: Pool, store: PgEventStore, @Inject(RISK_OPTIONS) options: RiskOptions) {
    this.runner = new StoreProjectionRunner({
      projection: withExposureMarks(new RiskRegisterProjection()),
      context: 'risk',
      pool,
      store,
      pollIntervalMs: options.pollIntervalMs,
      onError: (err) => this.log.error({ err }, 'risk read model catch-up failed'),
    });
  }

  /**
   * Resolves once everything committed before the call is in the read model, or after `SYNC_DEADLINE_MS`. The store's
   * tailing readers see a commit only once every older transaction on the server has ended (xid8 order), so one
   * catch-up may find the command's own events not readable yet: it reads again, briefly backing off, until nothing
   * committed before the call is left behind the checkpoint (events committed since do not hold it up).
   */
  async sync(): Promise<void> {
    const deadline = Date.now() + SYNC_DEADLINE_MS;
    const head = await logHead(this.pool);
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      await this.runner.catchUp();
      if ((await unappliedUpTo(this.pool, await this.runner.checkpoint(), head)) === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** Empties the read model and replays the whole log. */
  rebuild(onProgress?: ProgressListener): Promise<number> {
    return this.runner.rebuild(onProgress);
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
