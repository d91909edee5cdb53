import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { WritePlan } from '@pm/platform/event-store';
import { DurableScheduler } from '@pm/platform/scheduler';
import { riskAggregate, riskSettingsAggregate, riskSettingsStreamId, riskStreamId } from '@pm/risk/domain';
import type { AssessRisk, IdentifyRisk, RiskCommand, RiskState, RiskStreamEvent } from '@pm/risk/domain';
import { applyDueChanges, dueChangesOf } from '../due/due-items';
import { projectInPlan } from '../shared/inline-projection';
import type { RequestContext } from '../shared/request-context';
import { mayActOnRisk, riskMustBeInProject } from './risk-access';

/** A risk command as the controller builds it; the handler adds the tenant's settings where the decider needs them. */
export type RiskRequest = Exclude<RiskCommand, IdentifyRisk | AssessRisk> | Omit<IdentifyRisk, 'settings'> | Omit<AssessRisk, 'settings'>;

export interface RiskResult {
  readonly riskId: string;
  readonly version: number;
  readonly events: RiskStreamEvent[];
}

export class ExecuteRiskCommand {
  constructor(
    readonly projectId: string,
    readonly request: RiskRequest,
    readonly ctx: RequestContext,
    /** True where a team member who owns the risk may act (ADR 0302). */
    readonly ownerMay: boolean,
  ) {}
}

/** Identification and assessment decide on the tenant's matrix and categories, loaded in the same plan (ADR 0301). */
async function withSettings(tx: WritePlan, request: RiskRequest): Promise<RiskCommand> {
  if (request.type !== 'IdentifyRisk' && request.type !== 'AssessRisk') return request;
  const { state: settings } = await tx.load(riskSettingsAggregate, riskSettingsStreamId(tx.ctx.principal.tenantId));
  return { ...request, settings } as RiskCommand;
}

/**
 * One decision on a risk, with the checks the route needs first (the risk is this project's; the caller may act on
 * it), its read-model rows and due items written in the same transaction. Returns the risk's state, which the fold
 * updates in place (ADR 0008): after the decision.
 */
export async function decideOnRisk(tx: WritePlan, scheduler: DurableScheduler, projectId: string, request: RiskRequest, ownerMay: boolean): Promise<{ state: RiskState; events: RiskStreamEvent[] }> {
  const tenantId = tx.ctx.principal.tenantId;
  const stream = riskStreamId(tenantId, request.data.riskId);
  const { state, version } = await tx.load(riskAggregate, stream);
  // An id taken by a risk of another project is the decider's conflict (RISK_ALREADY_IDENTIFIED), not a missing risk.
  if (request.type !== 'IdentifyRisk') {
    riskMustBeInProject(state, projectId);
    mayActOnRisk(tx.ctx.principal, state, ownerMay);
  }
  const { events } = await tx.decide(riskAggregate, stream, await withSettings(tx, request));
  projectInPlan(tx, stream, version, events);
  const changes = dueChangesOf(tenantId, events);
  if (changes.length > 0) tx.alsoInTransaction((client) => applyDueChanges(scheduler, tenantId, changes, client));
  return { state, events };
}

export function riskResult(outcome: Parameters<typeof committedOf>[0], tenantId: string, riskId: string): RiskResult {
  const handled = committedOf(outcome, riskAggregate, riskStreamId(tenantId, riskId));
  return { riskId, version: handled?.version ?? 0, events: handled?.events ?? [] };
}

@CommandHandler(ExecuteRiskCommand)
export class ExecuteRiskHandler implements ICommandHandler<ExecuteRiskCommand, RiskResult> {
  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
  ) {}

  async execute({ projectId, request, ctx, ownerMay }: ExecuteRiskCommand): Promise<RiskResult> {
    const outcome = await this.writePath.run(ctx, (tx) => decideOnRisk(tx, this.scheduler, projectId, request, ownerMay));
    return riskResult(outcome, ctx.principal.tenantId, request.data.riskId);
  }
}
