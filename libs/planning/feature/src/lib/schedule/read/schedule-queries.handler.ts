import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { actualCostsOfProject, buildEarnedValueView, buildScheduleView, buildVarianceView, reportedCostsInProjectCurrency } from '@pm/planning/data-access';
import type { EarnedValueView, ScheduleView, StoredScheduleView, VarianceView } from '@pm/planning/data-access';
import { DomainError } from '@pm/planning/domain';
import { PG_POOL } from '@pm/platform/event-store';
import { GetProjectQuery } from '../../projects/get-project.handler';
import type { ProjectView } from '../../projects/get-project.handler';
import { ScheduleViewRunner } from './schedule-view.runner';

export type ScheduleReport =
  | { readonly kind: 'schedule' }
  | { readonly kind: 'variance'; readonly baselineNumber: number }
  | { readonly kind: 'earned-value'; readonly baselineNumber: number; readonly statusDate: string };

export class GetScheduleReportQuery {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly report: ScheduleReport,
  ) {}
}

export type ScheduleReportResult = ScheduleView | VarianceView | EarnedValueView;

/** Every report is a function of the schedule read model (a projection), never of the write stream. */
@QueryHandler(GetScheduleReportQuery)
export class GetScheduleReportHandler implements IQueryHandler<GetScheduleReportQuery, { version: number; body: ScheduleReportResult }> {
  constructor(
    private readonly views: ScheduleViewRunner,
    private readonly queries: QueryBus,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async execute({ tenantId, projectId, report }: GetScheduleReportQuery): Promise<{ version: number; body: ScheduleReportResult }> {
    const stored: StoredScheduleView | null = await this.views.current(tenantId, projectId);
    if (!stored) throw new DomainError('SCHEDULE_NOT_OPEN', 'not-found', `Project ${projectId} has no schedule`, { projectId });
    switch (report.kind) {
      case 'schedule':
        return { version: stored.version, body: buildScheduleView(stored.state, projectId, stored.version) };
      case 'variance':
        return { version: stored.version, body: buildVarianceView(stored.state, projectId, report.baselineNumber) };
      case 'earned-value': {
        // Costs reported by the resource service (consumed from pm.resource.events) are AC in the project's currency.
        const project = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(tenantId, projectId));
        const rows = await actualCostsOfProject(this.pool, tenantId, projectId);
        const costs = reportedCostsInProjectCurrency(rows, project.state.project.profile.currency, report.statusDate);
        return { version: stored.version, body: buildEarnedValueView(stored.state, projectId, report.baselineNumber, report.statusDate, costs) };
      }
    }
  }
}
