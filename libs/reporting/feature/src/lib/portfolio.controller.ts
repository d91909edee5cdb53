import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ZodQuery } from '@pm/platform/http';
import { ProjectSummaryQueries } from '@pm/reporting/data-access';
import type { ProjectSummaryPage } from '@pm/reporting/data-access';

const listProjectsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  status: z.enum(['initiating', 'planning', 'executing', 'closing', 'closed', 'on-hold', 'cancelled']).optional(),
});
type ListProjectsQuery = z.output<typeof listProjectsQuerySchema>;

@ApiTags('portfolio')
@ApiBearerAuth()
@Controller('projects')
export class PortfolioController {
  private readonly summaries: ProjectSummaryQueries;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.summaries = new ProjectSummaryQueries(pool);
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The caller's tenant's projects (read model built from pm.planning.events)" })
  @ApiOkResponse({ description: 'A page of project summaries' })
  list(@ZodQuery(listProjectsQuerySchema) query: ListProjectsQuery, @CurrentPrincipal() principal: Principal): Promise<ProjectSummaryPage> {
    return this.summaries.list(principal.tenantId, query);
  }
}
