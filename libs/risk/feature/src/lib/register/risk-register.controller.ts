import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { AnyRole, CurrentPrincipal } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodParam, ZodQuery } from '@pm/platform/http';
import { RiskReadQueries } from '@pm/risk/data-access';
import { notFound } from '@pm/shared/ddd';
import { ApiRiskDetail, ApiRiskMatrix, ApiRiskPage } from '../openapi-bodies';
import { VersionETag } from '../shared/command-context';
import { uuidParam } from '../shared/request-schemas';
import { listRisksQuery } from './risk.requests';

/** The register as its read model shows it: rows per risk, per project, of the caller's tenant only. */
@ApiTags('risk register')
@ApiBearerAuth()
@Controller('projects/:projectId')
@UseInterceptors(VersionETag)
export class RiskRegisterController {
  constructor(private readonly reads: RiskReadQueries) {}

  @Get('risks')
  @AnyRole()
  @ApiOperation({ summary: 'The project’s risk register, filtered by status, kind, rating, category or owner; pages with `limit` and `after`' })
  @ApiRiskPage()
  list(@ZodParam('projectId', uuidParam) projectId: string, @ZodQuery(listRisksQuery) query: z.output<typeof listRisksQuery>, @CurrentPrincipal() p: Principal) {
    return this.reads.risks(p.tenantId, projectId, query);
  }

  @Get('risks/:riskId')
  @AnyRole()
  @ApiOperation({ summary: 'A risk with its inherent and residual assessments, responses, mitigation actions, secondary risks and overdue flags' })
  @ApiRiskDetail()
  async get(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('riskId', uuidParam) riskId: string, @CurrentPrincipal() p: Principal) {
    const risk = await this.reads.risk(p.tenantId, projectId, riskId);
    if (!risk) throw notFound('RISK_NOT_FOUND', 'Risk does not exist');
    return risk;
  }

  @Get('risk-matrix')
  @AnyRole()
  @ApiOperation({ summary: 'Open risks counted per probability × impact cell of their current assessment (residual, else inherent)' })
  @ApiRiskMatrix()
  async matrix(@ZodParam('projectId', uuidParam) projectId: string, @CurrentPrincipal() p: Principal) {
    return { cells: await this.reads.matrix(p.tenantId, projectId) };
  }
}
