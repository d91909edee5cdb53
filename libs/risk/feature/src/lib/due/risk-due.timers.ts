import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { WritePath } from '@pm/platform/event-store';
import { DurableScheduler } from '@pm/platform/scheduler';
import type { FireContext, FireResult } from '@pm/platform/scheduler';
import { tenantDueCalendar } from '@pm/risk/data-access';
import { dueMoment, riskAggregate, riskStreamId, toRiskId } from '@pm/risk/domain';
import type { RiskCommand, RiskState } from '@pm/risk/domain';
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
 *
 * The due moment is recomputed at the firing time on the tenant's calendar and time zone as they are then (`dueMoment`):
 * an item that fires early (the calendar gained a holiday, the time zone moved west since it was scheduled) decides
 * nothing and moves itself to the new moment (the scheduler's `nextDueAt`); otherwise the command carries the moment
 * as `overdueAt`, so the decider judges the same instant.
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
      this.flag(
        fire,
        fire.payload.riskId,
        () => fire.payload.reviewOn,
        (metadata, overdueAt) => ({ type: 'FlagRiskReviewOverdue', data: { riskId: toRiskId(fire.payload.riskId), reviewOn: fire.payload.reviewOn, ...overdueAt }, metadata }),
      ),
    );
    this.scheduler.register<ActionDuePayload>(ACTION_DUE, (fire) =>
      this.flag(
        fire,
        fire.payload.riskId,
        (state) => (state.status === 'not-identified' ? undefined : state.risk.actions.get(fire.payload.actionId)?.dueOn),
        (metadata, overdueAt) => ({ type: 'FlagMitigationActionOverdue', data: { riskId: toRiskId(fire.payload.riskId), actionId: fire.payload.actionId, ...overdueAt }, metadata }),
      ),
    );
  }

  private async flag(
    fire: FireContext<ReviewDuePayload> | FireContext<ActionDuePayload>,
    riskId: string,
    dueOnOf: (state: RiskState) => string | undefined,
    build: (metadata: RiskCommand['metadata'], overdueAt: { overdueAt?: string }) => RiskCommand,
  ): Promise<FireResult> {
    const ctx = timerContext(fire.tenantId, { now: () => fire.firedAt });
    const { calendar, timeZone } = await tenantDueCalendar(fire.tx, fire.tenantId);
    let later: Date | undefined;
    try {
      const stream = riskStreamId(fire.tenantId, riskId);
      await this.writePath.run(ctx, async (tx) => {
        later = undefined;
        const { state, version } = await tx.load(riskAggregate, stream);
        const dueOn = dueOnOf(state);
        const overdueAt = dueOn === undefined ? undefined : dueMoment(calendar, timeZone, dueOn);
        if (overdueAt !== undefined && Date.parse(overdueAt) > fire.firedAt.getTime()) {
          later = new Date(overdueAt);
          return;
        }
        projectInPlan(tx, stream, version, (await tx.decide(riskAggregate, stream, build(commandMetadata(ctx), overdueAt === undefined ? {} : { overdueAt }))).events);
      });
    } catch (error) {
      // A refusal is final (the risk or action is gone, or the clock is wrong): retrying would be refused again.
      if (!(error instanceof DomainError)) throw error;
      this.log.warn({ code: error.code, tenantId: fire.tenantId, kind: fire.kind, key: fire.key }, 'due item decided nothing');
    }
    if (later !== undefined) {
      this.log.log({ tenantId: fire.tenantId, kind: fire.kind, key: fire.key, nextDueAt: later.toISOString() }, 'due item not due yet on the tenant calendar; moved');
      return { nextDueAt: later };
    }
    return undefined;
  }
}
