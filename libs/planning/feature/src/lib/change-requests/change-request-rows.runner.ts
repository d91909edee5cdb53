import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { ChangeRequestRowsProjection, changeRequestsOfProject } from '@pm/planning/data-access';
import type { ChangeRequestListQuery, ChangeRequestPage } from '@pm/planning/data-access';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';

/** How long a list read waits for the rows to catch up with the store before it answers as they are. */
const READ_CATCH_UP_MS = 2_000;

/**
 * Keeps `planning_change_requests` in step with the planning store (ADR 0604): woken by each append, rebuilt from
 * position zero by `runner.rebuild()`. A list read catches up first (bounded), so whoever just raised or decided a
 * change request sees it in the list.
 */
@Injectable()
export class ChangeRequestRowsRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: StoreProjectionRunner;
  private readonly logger = new Logger(ChangeRequestRowsRunner.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    store: PgEventStore,
  ) {
    this.runner = new StoreProjectionRunner({ projection: new ChangeRequestRowsProjection(), context: 'planning', pool, store, onError: (err) => this.logger.warn(`change request rows: ${String(err)}`) });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }

  async list(tenantId: string, projectId: string, query: ChangeRequestListQuery): Promise<ChangeRequestPage> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, READ_CATCH_UP_MS)));
    const caughtUp = this.runner.catchUp().then(
      () => undefined,
      (err: unknown) => this.logger.warn(`change request rows catch-up failed: ${String(err)}`),
    );
    await Promise.race([caughtUp, late]).finally(() => clearTimeout(timer));
    return changeRequestsOfProject(this.pool, tenantId, projectId, query);
  }
}
