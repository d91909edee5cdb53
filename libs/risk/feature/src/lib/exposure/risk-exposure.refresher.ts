import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { systemContext } from '@pm/platform/request-context';
import { RiskExposureQueries } from '@pm/risk/data-access';
import type { DirtyProject } from '@pm/risk/data-access';
import { projectExposureAggregate, riskExposureStreamId } from '@pm/risk/domain';
import { commandMetadata } from '../shared/request-context';
import { RISK_OPTIONS, RISK_SERVICE } from '../shared/risk-options';
import type { RiskOptions } from '../shared/risk-options';

/** Projects decided per round; the rest wait for the next round (oldest mark first). */
const BATCH = 50;

/**
 * Decides the exposure of every project whose register changed (ADR 0304). The register's rows and the project's mark
 * are written in one transaction (`withExposureMarks`), so a mark is never lost; the figures are read from those rows
 * and decided on the project's exposure stream through the write path, which publishes only figures that moved. A
 * crash before the mark is cleared decides the same figures again: nothing is published twice. Two replicas deciding
 * the same project meet as a version conflict, and the write path decides again on the stream's new state.
 */
@Injectable()
export class RiskExposureRefresher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RiskExposureRefresher.name);
  private readonly queries: RiskExposureQueries;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly writePath: WritePath,
    @Inject(RISK_OPTIONS) private readonly options: RiskOptions,
  ) {
    this.queries = new RiskExposureQueries(pool);
  }

  /** Decides every marked project once; resolves with the number decided. Rounds never overlap. */
  drain(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Decides one project's figures now, mark or not (a simulation's result, a test). */
  async refresh(tenantId: string, projectId: string): Promise<void> {
    const ctx = systemContext(RISK_SERVICE, tenantId);
    await this.writePath.run(ctx, async (tx) => {
      const data = await this.queries.figures(tenantId, projectId);
      await tx.decide(projectExposureAggregate, riskExposureStreamId(tenantId, projectId), { type: 'RecordProjectRiskExposure', data, metadata: commandMetadata(ctx) });
    });
  }

  private async round(): Promise<number> {
    const marks = await this.queries.dirty(BATCH);
    for (const mark of marks) await this.decide(mark);
    return marks.length;
  }

  private async decide(mark: DirtyProject): Promise<void> {
    try {
      await this.refresh(mark.tenantId, mark.projectId);
      await this.queries.clear(mark);
    } catch (err) {
      // The mark stays: the next round tries again.
      this.log.error({ err, tenantId: mark.tenantId, projectId: mark.projectId }, 'risk exposure not decided');
    }
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.drain().catch((err) => this.log.error({ err }, 'risk exposure round failed')), this.options.pollIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
