import { randomUUID } from 'node:crypto';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { projectAggregate, projectStreamId, toProjectId } from '@pm/planning/domain';
import type { ProjectCreated } from '@pm/planning/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { commandMetadata } from '../schedule/schedule-http';
import type { CreateProjectRequest } from './create-project.request';

export class CreateProjectCommand {
  constructor(
    readonly body: CreateProjectRequest,
    readonly ctx: RequestContext,
  ) {}
}

export interface ProjectCreatedResult {
  readonly projectId: string;
  readonly version: number;
  readonly project: ProjectCreated['data'];
}

@CommandHandler(CreateProjectCommand)
export class CreateProjectHandler implements ICommandHandler<CreateProjectCommand, ProjectCreatedResult> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ body, ctx }: CreateProjectCommand): Promise<ProjectCreatedResult> {
    const projectId = toProjectId(body.projectId ?? randomUUID());
    const result = await this.writePath.handle(ctx, projectAggregate, projectStreamId(ctx.principal.tenantId, projectId), {
      type: 'CreateProject',
      data: { ...body, projectId },
      metadata: commandMetadata(ctx),
    });
    const created = result.events.find((e): e is ProjectCreated => e.type === 'ProjectCreated');
    if (!created) throw new Error('CreateProject decided no ProjectCreated event');
    return { projectId, version: result.version, project: created.data };
  }
}
