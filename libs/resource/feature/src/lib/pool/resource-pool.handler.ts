import { CommandHandler, QueryHandler } from '@nestjs/cqrs';
import type { ICommandHandler, IQueryHandler } from '@nestjs/cqrs';
import { WritePath } from '@pm/platform/event-store';
import { DomainError, resourceAggregate, resourceStreamId } from '@pm/resource/domain';
import type { RegisteredResource, ResourceCommand, ResourceEvent } from '@pm/resource/domain';
import { ReadModelSync } from '../allocation/read-model.sync';
import type { RequestContext } from '../shared/request-context';

export class ExecuteResourceCommand {
  constructor(
    readonly command: ResourceCommand,
    readonly ctx: RequestContext,
  ) {}
}

export interface ResourceResult {
  readonly resourceId: string;
  readonly version: number;
  readonly events: ResourceEvent[];
}

/** Every pool command: decide against the resource's stream, append, then bring the read models up to date. */
@CommandHandler(ExecuteResourceCommand)
export class ExecuteResourceHandler implements ICommandHandler<ExecuteResourceCommand, ResourceResult> {
  constructor(
    private readonly writePath: WritePath,
    private readonly sync: ReadModelSync,
  ) {}

  async execute({ command, ctx }: ExecuteResourceCommand): Promise<ResourceResult> {
    const resourceId = command.data.resourceId;
    const { events, version } = await this.writePath.handle(ctx, resourceAggregate, resourceStreamId(ctx.principal.tenantId, resourceId), command);
    await this.sync.sync();
    return { resourceId, version, events };
  }
}

export class GetResourceQuery {
  constructor(
    readonly tenantId: string,
    readonly resourceId: string,
  ) {}
}

/** The resource as its own stream tells it, rate table included; another tenant's resource is a 404. */
@QueryHandler(GetResourceQuery)
export class GetResourceHandler implements IQueryHandler<GetResourceQuery, { version: number; resource: RegisteredResource }> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ tenantId, resourceId }: GetResourceQuery): Promise<{ version: number; resource: RegisteredResource }> {
    const { state, version } = await this.writePath.load(resourceAggregate, resourceStreamId(tenantId, resourceId), tenantId);
    if (state.status !== 'registered') throw new DomainError('RESOURCE_NOT_FOUND', 'not-found', `Resource ${resourceId} does not exist`, { resourceId });
    return { version, resource: state.resource };
  }
}
