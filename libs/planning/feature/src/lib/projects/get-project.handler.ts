import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DomainError, projectDecider, projectStreamId } from '@pm/planning/domain';
import type { ProjectCommand, ProjectEvent, ProjectState } from '@pm/planning/domain';
import { PgEventStore, loadState } from '@pm/platform/event-store';

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
  constructor(private readonly store: PgEventStore) {}

  async execute({ tenantId, projectId }: GetProjectQuery): Promise<ProjectView> {
    const { state, version } = await loadState<ProjectCommand, ProjectEvent, ProjectState>(
      this.store,
      projectStreamId(projectId),
      projectDecider,
      tenantId,
    );
    if (state.status === 'not-created') {
      throw new DomainError('PROJECT_NOT_FOUND', 'not-found', `Project ${projectId} does not exist`, { projectId });
    }
    return { projectId, version, status: state.status, state };
  }
}
