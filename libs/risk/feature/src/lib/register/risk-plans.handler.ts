import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { WritePath, committedOf } from '@pm/platform/event-store';
import { DurableScheduler } from '@pm/platform/scheduler';
import { issueAggregate, issueStreamId, raiseIssueFromOccurredRisk, toIssueId } from '@pm/risk/domain';
import type { IdentifyRisk, IssueEvent, IssueSeverity, LinkSecondaryRisk, RecordRiskOccurrence, RiskOccurred } from '@pm/risk/domain';
import { projectInPlan } from '../shared/inline-projection';
import type { RequestContext } from '../shared/request-context';
import { commandMetadata } from '../shared/request-context';
import { decideOnRisk, riskResult } from './risk.handler';
import type { RiskResult } from './risk.handler';

export class RecordOccurrenceCommand {
  constructor(
    readonly projectId: string,
    readonly occurrence: RecordRiskOccurrence,
    readonly issue: { readonly issueId: string; readonly severity: IssueSeverity | null; readonly dueOn: string | null },
    readonly ctx: RequestContext,
  ) {}
}

/**
 * The risk occurred: the risk records it and the issue it becomes is raised, in one plan (ADR 0301), so a risk never
 * occurs without its issue. The issue's severity is the risk's rating unless the caller names one; its owner is the
 * risk's. A retried occurrence decides nothing on the risk and raises no second issue.
 */
@CommandHandler(RecordOccurrenceCommand)
export class RecordOccurrenceHandler implements ICommandHandler<RecordOccurrenceCommand, RiskResult & { issueId: string | null; issueEvents: IssueEvent[] }> {
  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
  ) {}

  async execute({ projectId, occurrence, issue, ctx }: RecordOccurrenceCommand) {
    const tenantId = ctx.principal.tenantId;
    const issueId = toIssueId(issue.issueId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { state, events } = await decideOnRisk(tx, this.scheduler, projectId, occurrence, true);
      const occurred = events.find((e): e is RiskOccurred => e.type === 'RiskOccurred');
      if (!occurred || state.status === 'not-identified') return false;
      const severity = issue.severity ?? state.risk.assessment?.rating ?? 'medium';
      const raise = raiseIssueFromOccurredRisk(occurred, { issueId, severity, ownerId: state.risk.ownerId, dueOn: issue.dueOn }, commandMetadata(ctx));
      const issueStream = issueStreamId(tenantId, issueId);
      const { version } = await tx.load(issueAggregate, issueStream);
      projectInPlan(tx, issueStream, version, (await tx.decide(issueAggregate, issueStream, raise)).events);
      return true;
    });
    const raised = committedOf(outcome, issueAggregate, issueStreamId(tenantId, issueId));
    return { ...riskResult(outcome, tenantId, occurrence.data.riskId), issueId: outcome.result ? issueId : null, issueEvents: raised?.events ?? [] };
  }
}

export class IdentifySecondaryRiskCommand {
  constructor(
    readonly projectId: string,
    readonly identify: Omit<IdentifyRisk, 'settings'>,
    readonly link: LinkSecondaryRisk,
    readonly ctx: RequestContext,
  ) {}
}

/** A secondary risk is identified and linked to the response that creates it in one plan: the link never names a risk that does not exist. */
@CommandHandler(IdentifySecondaryRiskCommand)
export class IdentifySecondaryRiskHandler implements ICommandHandler<IdentifySecondaryRiskCommand, RiskResult & { primary: RiskResult }> {
  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
  ) {}

  async execute({ projectId, identify, link, ctx }: IdentifySecondaryRiskCommand) {
    const outcome = await this.writePath.run(ctx, async (tx) => {
      // The link first: it checks the caller may act on the primary risk before anything is identified.
      await decideOnRisk(tx, this.scheduler, projectId, link, true);
      await decideOnRisk(tx, this.scheduler, projectId, identify, false);
    });
    const tenantId = ctx.principal.tenantId;
    return { ...riskResult(outcome, tenantId, identify.data.riskId), primary: riskResult(outcome, tenantId, link.data.riskId) };
  }
}
