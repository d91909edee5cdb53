import { Controller, Get, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { openedScheduleOf } from '@pm/planning/data-access';
import { DomainError } from '@pm/planning/domain';
import { isMspdiError, parseMspdi, writeMspdi } from '@pm/shared/interchange';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { readXmlUpload } from '@pm/platform/http';
import type { RawBodyRequest } from '@pm/platform/http';
import { GetProjectQuery } from '../../projects/get-project.handler';
import type { ProjectView } from '../../projects/get-project.handler';
import { ProjectIdParam } from '../project-id.param';
import { ScheduleViewRunner } from '../read/schedule-view.runner';
import { contextOf } from '../schedule-http';
import type { HeaderWriter, ScheduleChangeResponse, TraceHeaders } from '../schedule-http';
import { ImportScheduleCommand } from './import-schedule.handler';
import type { ScheduleImportResult } from './import-schedule.handler';
import { toMspdiProject } from './mspdi-export.mapper';

/** MSPDI files of the largest plans run to tens of megabytes; only the import route accepts that much. */
const DEFAULT_MSPDI_BODY_LIMIT = 32 * 1024 * 1024;

@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule')
export class ScheduleInterchangeController {
  private readonly bodyLimit = Number(process.env['MSPDI_BODY_LIMIT'] ?? DEFAULT_MSPDI_BODY_LIMIT);

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly views: ScheduleViewRunner,
  ) {}

  @Post('import')
  @HttpCode(201)
  @Roles('pmo-admin', 'project-manager')
  @ApiConsumes('application/xml')
  @ApiOperation({ summary: 'Import a Microsoft Project XML (MSPDI) file into an empty schedule' })
  async import(
    @ProjectIdParam() projectId: string,
    @Req() req: RawBodyRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse & { warnings: string[] }> {
    await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(principal.tenantId, projectId));
    const project = await readXmlUpload(req, this.bodyLimit, { parse: parseMspdi, isRefusal: isMspdiError, notXmlCode: 'MSPDI_NOT_XML' });
    const result = await this.commands.execute<ImportScheduleCommand, ScheduleImportResult>(new ImportScheduleCommand(projectId, contextOf(principal, headers), project));
    res.setHeader('ETag', `"${result.version}"`);
    return { ...result, warnings: [...result.warnings] };
  }

  @Get('export')
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'The schedule as Microsoft Project XML (MSPDI), for Microsoft Project and ProjectLibre' })
  async export(@ProjectIdParam() projectId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderWriter): Promise<string> {
    const project = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(principal.tenantId, projectId));
    const stored = await this.views.current(principal.tenantId, projectId);
    if (!stored) throw new DomainError('SCHEDULE_NOT_OPEN', 'not-found', `Project ${projectId} has no schedule`, { projectId });
    const state = openedScheduleOf(stored.state, projectId);
    const profile = project.state.project.profile;
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${projectId}.xml"`);
    return writeMspdi(toMspdiProject(state, profile.name, profile.currency));
  }
}
