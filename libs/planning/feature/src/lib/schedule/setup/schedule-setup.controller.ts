import { Controller, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { invalid } from '@pm/planning/domain';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody } from '@pm/platform/http';
import { GetProjectQuery } from '../../projects/get-project.handler';
import type { ProjectView } from '../../projects/get-project.handler';
import { ProjectIdParam } from '../project-id.param';
import { GetTenantCalendarQuery } from '../../tenant-calendar/tenant-calendar.handlers';
import type { TenantCalendarView } from '../../tenant-calendar/tenant-calendar.handlers';
import type { ScheduleCommand } from '@pm/planning/domain';
import { changeSchedule } from '../schedule-http';
import type { HeaderWriter, ScheduleChangeResponse, TraceHeaders } from '../schedule-http';
import {
  calendarExceptionRequestSchema,
  calendarRequestSchema,
  holidayRequestSchema,
  openScheduleRequestSchema,
  projectStartRequestSchema,
} from '../schedule.requests';

@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule')
@Roles('pmo-admin', 'project-manager')
export class ScheduleSetupController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open the schedule (publishes pm.planning.ScheduleOpened)' })
  async open(
    @ProjectIdParam() projectId: string,
    @ZodBody(openScheduleRequestSchema) body: z.output<typeof openScheduleRequestSchema>,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    // The project must exist in the caller's tenant: another tenant's project is a 404 here, as everywhere.
    const project = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(principal.tenantId, projectId));
    const projectStart = body.projectStart ?? project.state.project.profile.startDate;
    const statusDate = project.state.project.statusDate;
    if (!projectStart) throw invalid('PROJECT_START_REQUIRED', 'The project has no planned start date; give projectStart');
    // Without a calendar of its own the schedule runs on, and follows, the tenant default (ADR 0104).
    const calendar = body.calendar
      ? { ...body.calendar, exceptions: body.calendar.exceptions.map((e) => ({ ...e, hours: e.hours ?? null, reason: e.reason ?? null })) }
      : (await this.queries.execute<GetTenantCalendarQuery, TenantCalendarView>(new GetTenantCalendarQuery(principal.tenantId))).calendar;
    res.setHeader('Location', `/projects/${projectId}/schedule`);
    return changeSchedule(
      this.commands,
      projectId,
      principal,
      headers,
      res,
      // A status date set on the project before the schedule existed is the data date from the start.
      (metadata, pid) => {
        const commands: ScheduleCommand[] = [{ type: 'OpenSchedule', data: { projectId: pid, projectStart, calendar }, metadata }];
        if (statusDate) commands.push({ type: 'SetScheduleStatusDate', data: { projectId: pid, statusDate }, metadata });
        return commands;
      },
    );
  }

  @Put('start')
  @ApiOperation({ summary: 'Move the project start date the schedule runs from' })
  start(
    @ProjectIdParam() projectId: string,
    @ZodBody(projectStartRequestSchema) body: z.output<typeof projectStartRequestSchema>,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, principal, headers, res, (metadata, pid) => [{ type: 'RescheduleProjectStart', data: { projectId: pid, ...body }, metadata }]);
  }

  @Put('calendar')
  @ApiOperation({ summary: 'Replace the working calendar (weekdays, hours, holidays, exceptions)' })
  calendar(
    @ProjectIdParam() projectId: string,
    @ZodBody(calendarRequestSchema) body: z.output<typeof calendarRequestSchema>,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    const calendar = { ...body, exceptions: body.exceptions.map((e) => ({ ...e, hours: e.hours ?? null, reason: e.reason ?? null })) };
    return changeSchedule(this.commands, projectId, principal, headers, res, (metadata, pid) => [{ type: 'DefineWorkingCalendar', data: { projectId: pid, calendar }, metadata }]);
  }

  @Post('calendar/holidays')
  @ApiOperation({ summary: 'Declare a holiday' })
  holiday(
    @ProjectIdParam() projectId: string,
    @ZodBody(holidayRequestSchema) body: z.output<typeof holidayRequestSchema>,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, principal, headers, res, (metadata, pid) => [{ type: 'DeclareHoliday', data: { projectId: pid, ...body }, metadata }]);
  }

  @Post('calendar/exceptions')
  @ApiOperation({ summary: 'Record a calendar exception (a worked or closed date)' })
  exception(
    @ProjectIdParam() projectId: string,
    @ZodBody(calendarExceptionRequestSchema) body: z.output<typeof calendarExceptionRequestSchema>,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, principal, headers, res, (metadata, pid) => [{ type: 'RecordCalendarException', data: { projectId: pid, ...body }, metadata }]);
  }
}
