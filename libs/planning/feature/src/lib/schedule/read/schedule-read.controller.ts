import { Controller, Get, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { AnyRole, CurrentPrincipal } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodQuery } from '@pm/platform/http';
import { ProjectIdParam } from '../project-id.param';
import type { HeaderWriter } from '../schedule-http';
import { evmQuerySchema, varianceQuerySchema } from '../schedule.requests';
import { GetScheduleReportQuery } from './schedule-queries.handler';
import { scheduleQuerySchema } from './schedule-read.requests';
import type { ScheduleReport, ScheduleReportResult } from './schedule-queries.handler';

/** Reading needs any role of the tenant (viewers and team members included); another tenant gets a 404. */
@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId')
export class ScheduleReadController {
  constructor(private readonly queries: QueryBus) {}

  private async report(principal: Principal, projectId: string, report: ScheduleReport, res: HeaderWriter): Promise<ScheduleReportResult> {
    const { version, body } = await this.queries.execute<GetScheduleReportQuery, { version: number; body: ScheduleReportResult }>(
      new GetScheduleReportQuery(principal.tenantId, projectId, report),
    );
    res.setHeader('ETag', `"${version}"`);
    return body;
  }

  @Get('schedule')
  @AnyRole()
  @ApiOperation({
    summary: 'Every task with WBS code, dates, early/late dates, floats (working days), critical; project start and finish',
    description: 'Pages in WBS order with `limit` and `after` (the `page.next` of the previous page); `fields` picks the task columns. Without them, the whole schedule up to 5,000 tasks; a larger plan answers its first 5,000 with `page.next`.',
  })
  schedule(
    @ProjectIdParam() projectId: string,
    @ZodQuery(scheduleQuerySchema) query: z.output<typeof scheduleQuerySchema>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderWriter,
  ) {
    return this.report(principal, projectId, { kind: 'schedule', page: query }, res);
  }

  @Get('schedule/variance')
  @AnyRole()
  @ApiOperation({ summary: 'Start, finish, duration, work and cost variance per task and for the project against baseline N' })
  variance(
    @ProjectIdParam() projectId: string,
    @ZodQuery(varianceQuerySchema) query: z.output<typeof varianceQuerySchema>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderWriter,
  ) {
    return this.report(principal, projectId, { kind: 'variance', baselineNumber: query.baseline }, res);
  }

  @Get('evm')
  @AnyRole()
  @ApiOperation({ summary: 'Earned value at statusDate against baseline N: PV, EV, AC, SV, CV, SPI, CPI, EACs, ETC, VAC, TCPI' })
  evm(
    @ProjectIdParam() projectId: string,
    @ZodQuery(evmQuerySchema) query: z.output<typeof evmQuerySchema>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderWriter,
  ) {
    return this.report(principal, projectId, { kind: 'earned-value', baselineNumber: query.baseline, statusDate: query.statusDate }, res);
  }
}
