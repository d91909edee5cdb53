import { CommandHandler, QueryHandler } from '@nestjs/cqrs';
import type { ICommandHandler, IQueryHandler } from '@nestjs/cqrs';
import { DomainError, resourceDecider, resourceStreamId } from '@pm/resource/domain';
import type { RegisteredResource, ResourceCommand, ResourceEvent, ResourceState } from '@pm/resource/domain';
import { ReadModelSync } from '../allocation/read-model.sync';
import { DeciderRunner } from '../shared/decider-runner';
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
    private readonly runner: DeciderRunner,
    private readonly sync: ReadModelSync,
  ) {}

  async execute({ command, ctx }: ExecuteResourceCommand): Promise<ResourceResult> {
    const resourceId = command.data.resourceId;
    const { events, version } = await this.runner.run<ResourceCommand, ResourceEvent, ResourceState>(resourceDecider, resourceStreamId(resourceId), command, ctx);
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
  constructor(private readonly runner: DeciderRunner) {}

  async execute({ tenantId, resourceId }: GetResourceQuery): Promise<{ version: number; resource: RegisteredResource }> {
    const { state, version } = await this.runner.load<ResourceCommand, ResourceEvent, ResourceState>(resourceDecider, resourceStreamId(resourceId), tenantId);
    if (state.status !== 'registered') throw new DomainError('RESOURCE_NOT_FOUND', 'not-found', `Resource ${resourceId} does not exist`, { resourceId });
    return { version, resource: state.resource };
  }
}
