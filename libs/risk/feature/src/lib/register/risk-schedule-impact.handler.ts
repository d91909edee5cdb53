import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { DurableScheduler } from '@pm/platform/scheduler';
import { RegisterRiskQueries } from '@pm/risk/data-access';
import type { DefineRiskScheduleImpact } from '@pm/risk/domain';
import type { RequestContext } from '../shared/request-context';
import { decideOnRisk, riskResult } from './risk.handler';
import type { RiskResult } from './risk.handler';

export class DefineRiskScheduleImpactCommand {
  constructor(
    readonly projectId: string,
    readonly request: Omit<DefineRiskScheduleImpact, 'knownTaskIds'>,
    readonly ctx: RequestContext,
  ) {}
}

/**
 * Links a risk to the tasks it delays (ADR 0305). The decider checks the task ids against the plan copy's work tasks,
 * read here before the plan: the copy is eventually consistent with planning anyway, and a run leaves out a linked
 * task that has gone since. The owner may, as for other edits of a risk.
 */
@CommandHandler(DefineRiskScheduleImpactCommand)
export class DefineRiskScheduleImpactHandler implements ICommandHandler<DefineRiskScheduleImpactCommand, RiskResult> {
  private readonly reads: RegisterRiskQueries;

  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
    @Inject(PG_POOL) pool: Pool,
  ) {
    this.reads = new RegisterRiskQueries(pool);
  }

  async execute({ projectId, request, ctx }: DefineRiskScheduleImpactCommand): Promise<RiskResult> {
    const knownTaskIds = await this.reads.knownTaskIds(ctx.principal.tenantId, projectId, request.data.tasks.map((t) => t.taskId));
    const command: DefineRiskScheduleImpact = { ...request, knownTaskIds };
    const outcome = await this.writePath.run(ctx, (tx) => decideOnRisk(tx, this.scheduler, projectId, command, true));
    return riskResult(outcome, ctx.principal.tenantId, request.data.riskId);
  }
}
