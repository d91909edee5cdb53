import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { projectDecider, projectStreamId } from '@pm/planning/domain';
import type { ProjectCommand, ProjectEvent, ProjectState } from '@pm/planning/domain';
import { PgEventStore, handleCommand } from '@pm/platform/event-store';
import { schemaVersionOf } from '../../schedule/change-schedule.handler';
import { metadataFor } from '../request-context';
import type { RequestContext } from '../request-context';

export type ProjectCommandBuilder = (metadata: ProjectCommand['metadata']) => ProjectCommand;

export class ChangeProjectCommand {
  constructor(
    readonly projectId: string,
    readonly ctx: RequestContext,
    readonly build: ProjectCommandBuilder,
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
  constructor(private readonly store: PgEventStore) {}

  async execute({ projectId, ctx, build }: ChangeProjectCommand): Promise<ProjectChangeResult> {
    const tenantId = ctx.principal.tenantId;
    const result = await handleCommand<ProjectCommand, ProjectEvent, ProjectState>(this.store, {
      streamId: projectStreamId(projectId),
      decider: projectDecider,
      command: build({ now: ctx.now, actor: ctx.principal.actor, tenantId }),
      tenantId,
      metadata: () => metadataFor(ctx),
      schemaVersionOf,
    });
    return { projectId, version: result.version, status: result.state.status, changes: result.events };
  }
}
