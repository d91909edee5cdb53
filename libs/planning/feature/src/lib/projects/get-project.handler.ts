import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DomainError, projectAggregate, projectStreamId } from '@pm/planning/domain';
import type { ProjectState } from '@pm/planning/domain';
import { WritePath } from '@pm/platform/event-store';

export class GetProjectQuery {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
  ) {}
}

export interface ProjectView {
  readonly projectId: string;
  readonly version: number;
  readonly status: Exclude<ProjectState['status'], 'not-created'>;
  readonly state: Exclude<ProjectState, { status: 'not-created' }>;
}

/** The project as its own stream tells it (always current, unlike a projection); another tenant's project is a 404. */
@QueryHandler(GetProjectQuery)
export class GetProjectHandler implements IQueryHandler<GetProjectQuery, ProjectView> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ tenantId, projectId }: GetProjectQuery): Promise<ProjectView> {
    const { state, version } = await this.writePath.load(projectAggregate, projectStreamId(tenantId, projectId), tenantId);
    if (state.status === 'not-created') {
      throw new DomainError('PROJECT_NOT_FOUND', 'not-found', `Project ${projectId} does not exist`, { projectId });
    }
    return { projectId, version, status: state.status, state };
  }
}
