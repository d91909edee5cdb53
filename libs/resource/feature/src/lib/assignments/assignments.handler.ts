import { CommandHandler, QueryHandler } from '@nestjs/cqrs';
import type { ICommandHandler, IQueryHandler } from '@nestjs/cqrs';
import { ResourceReadQueries } from '@pm/resource/data-access';
import { WritePath } from '@pm/platform/event-store';
import { DomainError, assignmentAggregate, assignmentStreamId, resourceAggregate, resourceStreamId, toResourceId } from '@pm/resource/domain';
import type { AssignmentCommand, AssignmentEvent, AssignmentLoad, AssignmentState, ResourceFacts } from '@pm/resource/domain';
import { ReadModelSync } from '../allocation/read-model.sync';
import { commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';

export type AssignmentRequest =
  | { readonly kind: 'assign'; readonly assignmentId: string; readonly resourceId: string; readonly projectId: string; readonly taskId: string; readonly load: AssignmentLoad }
  | { readonly kind: 'revise'; readonly assignmentId: string; readonly load: AssignmentLoad }
  | { readonly kind: 'replace'; readonly assignmentId: string; readonly resourceId: string }
  | { readonly kind: 'remove'; readonly assignmentId: string; readonly reason: string | null };

export class ExecuteAssignmentCommand {
  constructor(
    readonly request: AssignmentRequest,
    readonly ctx: RequestContext,
  ) {}
}

export interface AssignmentResult {
  readonly assignmentId: string;
  readonly version: number;
  readonly state: AssignmentState;
  readonly events: AssignmentEvent[];
}

/**
 * Assignment commands, enriched with what the decider may not look up itself: the resource (from its own
 * stream) and the task (from the local copy of planning's events).
 */
@CommandHandler(ExecuteAssignmentCommand)
export class ExecuteAssignmentHandler implements ICommandHandler<ExecuteAssignmentCommand, AssignmentResult> {
  constructor(
    private readonly writePath: WritePath,
    private readonly reads: ResourceReadQueries,
    private readonly sync: ReadModelSync,
  ) {}

  async execute({ request, ctx }: ExecuteAssignmentCommand): Promise<AssignmentResult> {
    const command = await this.toCommand(request, ctx);
    const result = await this.writePath.handle(ctx, assignmentAggregate, assignmentStreamId(ctx.principal.tenantId, request.assignmentId), command);
    await this.sync.sync();
    return { assignmentId: request.assignmentId, version: result.version, state: result.state, events: result.events };
  }

  private async toCommand(request: AssignmentRequest, ctx: RequestContext): Promise<AssignmentCommand> {
    const metadata = commandMetadata(ctx);
    const assignmentId = request.assignmentId as AssignmentCommand['data']['assignmentId'];
    switch (request.kind) {
      case 'assign': {
        const task = await this.reads.task(ctx.principal.tenantId, request.projectId, request.taskId);
        return {
          type: 'AssignResource',
          data: { assignmentId, resource: await this.resourceFacts(request.resourceId, ctx), task: task && { taskId: task.taskId, projectId: task.projectId }, requestedTaskId: request.taskId, load: request.load },
          metadata,
        };
      }
      case 'revise':
        return { type: 'ReviseAssignmentLoad', data: { assignmentId, load: request.load }, metadata };
      case 'replace':
        return { type: 'ReplaceAssignedResource', data: { assignmentId, replacement: await this.resourceFacts(request.resourceId, ctx), requestedResourceId: request.resourceId }, metadata };
      case 'remove':
        return { type: 'RemoveAssignment', data: { assignmentId, reason: request.reason }, metadata };
    }
  }

  private async resourceFacts(resourceId: string, ctx: RequestContext): Promise<ResourceFacts | null> {
    const tenantId = ctx.principal.tenantId;
    const { state } = await this.writePath.load(resourceAggregate, resourceStreamId(tenantId, resourceId), tenantId);
    return state.status === 'registered' ? { resourceId: toResourceId(resourceId), kind: state.resource.kind } : null;
  }
}

export class GetAssignmentQuery {
  constructor(
    readonly tenantId: string,
    readonly assignmentId: string,
  ) {}
}

/** An assignment as its stream tells it, with everyone who has held it (a placeholder, then the person). */
@QueryHandler(GetAssignmentQuery)
export class GetAssignmentHandler implements IQueryHandler<GetAssignmentQuery, { version: number; state: AssignmentState }> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ tenantId, assignmentId }: GetAssignmentQuery): Promise<{ version: number; state: AssignmentState }> {
    const { state, version } = await this.writePath.load(assignmentAggregate, assignmentStreamId(tenantId, assignmentId), tenantId);
    if (state.status === 'none') throw new DomainError('ASSIGNMENT_NOT_FOUND', 'not-found', `Assignment ${assignmentId} does not exist`, { assignmentId });
    return { version, state };
  }
}
