import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { actualCostsOfProject, buildEarnedValueView, buildVarianceView, readSchedulePage, reportedCostsInProjectCurrency } from '@pm/planning/data-access';
import type { EarnedValueView, SchedulePage, SchedulePageRequest, VarianceView } from '@pm/planning/data-access';
import { DomainError } from '@pm/planning/domain';
import { PG_POOL } from '@pm/platform/event-store';
import { GetProjectQuery } from '../../projects/get-project.handler';
import type { ProjectView } from '../../projects/get-project.handler';
import { ScheduleViewRunner } from './schedule-view.runner';

export type ScheduleReport =
  | { readonly kind: 'schedule'; readonly page?: SchedulePageRequest }
  | { readonly kind: 'variance'; readonly baselineNumber: number }
  | { readonly kind: 'earned-value'; readonly baselineNumber: number; readonly statusDate: string };

export class GetScheduleReportQuery {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly report: ScheduleReport,
  ) {}
}

export type ScheduleReportResult = SchedulePage | VarianceView | EarnedValueView;

/**
 * Every report is a function of the schedule read model (a projection), never of the write stream. The schedule
 * itself is read from its rows a page at a time; variance and earned value still need the whole plan.
 */
@QueryHandler(GetScheduleReportQuery)
export class GetScheduleReportHandler implements IQueryHandler<GetScheduleReportQuery, { version: number; body: ScheduleReportResult }> {
  constructor(
    private readonly views: ScheduleViewRunner,
    private readonly queries: QueryBus,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async execute({ tenantId, projectId, report }: GetScheduleReportQuery): Promise<{ version: number; body: ScheduleReportResult }> {
    const notOpen = () => new DomainError('SCHEDULE_NOT_OPEN', 'not-found', `Project ${projectId} has no schedule`, { projectId });
    if (report.kind === 'schedule') {
      const header = await this.views.header(tenantId, projectId);
      if (!header) throw notOpen();
      return { version: header.version, body: await readSchedulePage(this.views.repository, tenantId, header, report.page) };
    }
    const stored = await this.views.current(tenantId, projectId);
    if (!stored) throw notOpen();
    switch (report.kind) {
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
