import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { projectAggregate, projectStreamId } from '@pm/planning/domain';
import type { ProjectCommand, ProjectEvent, ProjectState } from '@pm/planning/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';

export class ChangeProjectCommand {
  constructor(
    readonly projectId: string,
    readonly ctx: RequestContext,
    readonly command: ProjectCommand,
  ) {}
}

export interface ProjectChangeResult {
  readonly projectId: string;
  readonly version: number;
  readonly status: ProjectState['status'];
  readonly changes: readonly ProjectEvent[];
}

/** Every project command after creation: lifecycle, phase gates, charter, status date. */
@CommandHandler(ChangeProjectCommand)
export class ChangeProjectHandler implements ICommandHandler<ChangeProjectCommand, ProjectChangeResult> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ projectId, ctx, command }: ChangeProjectCommand): Promise<ProjectChangeResult> {
    const result = await this.writePath.handle(ctx, projectAggregate, projectStreamId(ctx.principal.tenantId, projectId), command);
    return { projectId, version: result.version, status: result.state.status, changes: result.events };
  }
}
