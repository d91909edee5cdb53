import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { WritePath } from '@pm/platform/event-store';
import { issueAggregate, issueStreamId } from '@pm/risk/domain';
import type { IssueCommand, IssueEvent } from '@pm/risk/domain';
import { notFound } from '@pm/shared/ddd';
import { projectInPlan } from '../shared/inline-projection';
import type { RequestContext } from '../shared/request-context';

export class ExecuteIssueCommand {
  constructor(
    readonly projectId: string,
    readonly command: IssueCommand,
    readonly ctx: RequestContext,
  ) {}
}

export interface IssueResult {
  readonly issueId: string;
  readonly version: number;
  readonly events: IssueEvent[];
}

/** The issue log: an issue is addressed under its own project; under another it does not exist. */
@CommandHandler(ExecuteIssueCommand)
export class ExecuteIssueHandler implements ICommandHandler<ExecuteIssueCommand, IssueResult> {
  constructor(
    private readonly writePath: WritePath,
  ) {}

  async execute({ projectId, command, ctx }: ExecuteIssueCommand): Promise<IssueResult> {
    const stream = issueStreamId(ctx.principal.tenantId, command.data.issueId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { state, version } = await tx.load(issueAggregate, stream);
      if (command.type !== 'RaiseIssue' && state.status !== 'not-raised' && state.issue.projectId.toLowerCase() !== projectId.toLowerCase()) {
        throw notFound('ISSUE_NOT_FOUND', 'Issue does not exist');
      }
      const decided = await tx.decide(issueAggregate, stream, command);
      projectInPlan(tx, stream, version, decided.events);
      return decided;
    });
    const committed = outcome.streams.get(stream);
    return { issueId: command.data.issueId, version: committed?.version ?? 0, events: outcome.result.events };
  }
}
