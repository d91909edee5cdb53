import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { stakeholderRegisterAggregate, stakeholderRegisterStreamId } from '@pm/notification/domain';
import type { Communication, StakeholderRegisterCommand } from '@pm/notification/domain';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { CommunicationRuns } from './communication-runs';
import { registerJson } from './stakeholders.json';

export class ChangeStakeholderRegisterCommand {
  constructor(
    readonly projectId: string,
    readonly command: StakeholderRegisterCommand,
    readonly ctx: RequestContext,
  ) {}
}

/** A change to a project's stakeholder register or communication plan; a planned report's timer moves in the same transaction. */
@CommandHandler(ChangeStakeholderRegisterCommand)
export class ChangeStakeholderRegisterHandler implements ICommandHandler<ChangeStakeholderRegisterCommand> {
  constructor(
    private readonly writePath: WritePath,
    private readonly runs: CommunicationRuns,
  ) {}

  async execute({ projectId, command, ctx }: ChangeStakeholderRegisterCommand) {
    const stream = stakeholderRegisterStreamId(ctx.principal.tenantId, projectId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { events, state } = await tx.decide(stakeholderRegisterAggregate, stream, command);
      const planned: Communication[] = [];
      const cancelled: string[] = [];
      for (const e of events) {
        if (e.type === 'CommunicationPlanned') planned.push(e.data);
        if (e.type === 'CommunicationCancelled') cancelled.push(e.data.communicationId);
      }
      if (planned.length + cancelled.length > 0) this.runs.scheduleInPlan(tx, projectId, planned, cancelled);
      return { events, ...registerJson(state) };
    });
    return { version: committedOf(outcome, stakeholderRegisterAggregate, stream)?.version ?? 0, ...outcome.result };
  }
}
