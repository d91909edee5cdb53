import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { WritePath } from '@pm/platform/event-store';
import { DurableScheduler } from '@pm/platform/scheduler';
import type { FireContext } from '@pm/platform/scheduler';
import { riskAggregate, riskStreamId, toRiskId } from '@pm/risk/domain';
import type { RiskCommand } from '@pm/risk/domain';
import { DomainError } from '@pm/shared/ddd';
import { projectInPlan } from '../shared/inline-projection';
import { commandMetadata, timerContext } from '../shared/request-context';
import { ACTION_DUE, REVIEW_DUE } from './due-items';
import type { ActionDuePayload, ReviewDuePayload } from './due-items';

/**
 * Fires the risk's due items (ADR 0302). The scheduler hands each item to one replica once; the decision is taken at
 * the firing time on the risk as it is then, through the write path, and decides nothing when the review or action is
 * no longer pending. The append commits in its own transaction just before the item's completion, so a crash between
 * the two fires it again, and the second decision, finding the flag already raised, decides nothing: the event is
 * appended once.
 */
@Injectable()
export class RiskDueTimers implements OnModuleInit {
  private readonly log = new Logger(RiskDueTimers.name);

  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly writePath: WritePath,
  ) {}

  onModuleInit(): void {
    this.scheduler.register<ReviewDuePayload>(REVIEW_DUE, (fire) =>
      this.flag(fire, fire.payload.riskId, (metadata) => ({ type: 'FlagRiskReviewOverdue', data: { riskId: toRiskId(fire.payload.riskId), reviewOn: fire.payload.reviewOn }, metadata })),
    );
    this.scheduler.register<ActionDuePayload>(ACTION_DUE, (fire) =>
      this.flag(fire, fire.payload.riskId, (metadata) => ({ type: 'FlagMitigationActionOverdue', data: { riskId: toRiskId(fire.payload.riskId), actionId: fire.payload.actionId }, metadata })),
    );
  }

  private async flag(fire: FireContext<ReviewDuePayload> | FireContext<ActionDuePayload>, riskId: string, build: (metadata: RiskCommand['metadata']) => RiskCommand): Promise<void> {
    const ctx = timerContext(fire.tenantId, { now: () => fire.firedAt });
    try {
      const stream = riskStreamId(fire.tenantId, riskId);
      await this.writePath.run(ctx, async (tx) => {
        const { version } = await tx.load(riskAggregate, stream);
        projectInPlan(tx, stream, version, (await tx.decide(riskAggregate, stream, build(commandMetadata(ctx)))).events);
      });
    } catch (error) {
      // A refusal is final (the risk or action is gone, or the clock is wrong): retrying would be refused again.
      if (!(error instanceof DomainError)) throw error;
      this.log.warn({ code: error.code, tenantId: fire.tenantId, kind: fire.kind, key: fire.key }, 'due item decided nothing');
    }
  }
}
