import { randomUUID } from 'node:crypto';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { projectCreatedV1 } from '@pm/contracts';
import { projectDecider, projectStreamId, toProjectId } from '@pm/planning/domain';
import type { ProjectCommand, ProjectEvent, ProjectState } from '@pm/planning/domain';
import { PgEventStore, handleCommand } from '@pm/platform/event-store';
import type { CreateProjectRequest } from './create-project.request';
import { metadataFor } from './request-context';
import type { RequestContext } from './request-context';

export class CreateProjectCommand {
  constructor(
    readonly body: CreateProjectRequest,
    readonly ctx: RequestContext,
  ) {}
}

export interface ProjectCreatedResult {
  readonly projectId: string;
  readonly version: number;
  readonly project: Extract<ProjectEvent, { type: 'ProjectCreated' }>['data'];
}

/** Public schema versions of the events this handler writes. */
const SCHEMA_VERSIONS: Record<string, number> = { ProjectCreated: projectCreatedV1.version };

@CommandHandler(CreateProjectCommand)
export class CreateProjectHandler implements ICommandHandler<CreateProjectCommand, ProjectCreatedResult> {
  constructor(private readonly store: PgEventStore) {}

  async execute({ body, ctx }: CreateProjectCommand): Promise<ProjectCreatedResult> {
    const projectId = toProjectId(body.projectId ?? randomUUID());
    const command: ProjectCommand = {
      type: 'CreateProject',
      data: { ...body, projectId },
      metadata: { now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId },
    };
    const result = await handleCommand<ProjectCommand, ProjectEvent, ProjectState>(this.store, {
      streamId: projectStreamId(projectId),
      decider: projectDecider,
      command,
      tenantId: ctx.principal.tenantId,
      metadata: () => metadataFor(ctx),
      schemaVersionOf: (type) => SCHEMA_VERSIONS[type] ?? 1,
      retriesOnConflict: 0,
    });
    const created = result.events.find((e): e is Extract<ProjectEvent, { type: 'ProjectCreated' }> => e.type === 'ProjectCreated');
    if (!created) throw new Error('CreateProject decided no ProjectCreated event');
    return { projectId, version: result.version, project: created.data };
  }
}
