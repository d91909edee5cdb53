import { Controller, HttpCode, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { invalid } from '@pm/planning/domain';
import { Roles } from '@pm/platform/auth';
import { ZodBody } from '@pm/platform/http';
import { GetProjectQuery } from '../../projects/get-project.handler';
import type { ProjectView } from '../../projects/get-project.handler';
import { ProjectIdParam } from '../project-id.param';
import { GetTenantCalendarQuery } from '../../tenant-calendar/tenant-calendar.handlers';
import type { TenantCalendarView } from '../../tenant-calendar/tenant-calendar.handlers';
import type { ScheduleCommand } from '@pm/planning/domain';
import { ScheduleCaller, changeSchedule } from '../schedule-http';
import type { ScheduleCall, ScheduleChangeResponse } from '../schedule-http';
import {
  calendarExceptionRequestSchema,
  calendarRequestSchema,
  holidayRequestSchema,
  openScheduleRequestSchema,
  projectStartRequestSchema,
} from '../schedule.requests';
import { ApiScheduleChange } from '../../openapi-bodies';

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
  @ApiScheduleChange()
  async open(
    @ProjectIdParam() projectId: string,
    @ZodBody(openScheduleRequestSchema) body: z.output<typeof openScheduleRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    // The project must exist in the caller's tenant: another tenant's project is a 404 here, as everywhere.
    const project = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(call.principal.tenantId, projectId));
    const projectStart = body.projectStart ?? project.state.project.profile.startDate;
    const statusDate = project.state.project.statusDate;
    if (!projectStart) throw invalid('PROJECT_START_REQUIRED', 'The project has no planned start date; give projectStart');
    // Without a calendar of its own the schedule runs on, and follows, the tenant default (ADR 0104).
    const calendar = body.calendar
      ? { ...body.calendar, exceptions: body.calendar.exceptions.map((e) => ({ ...e, hours: e.hours ?? null, reason: e.reason ?? null })) }
      : (await this.queries.execute<GetTenantCalendarQuery, TenantCalendarView>(new GetTenantCalendarQuery(call.principal.tenantId))).calendar;
    call.res.setHeader('Location', `/projects/${projectId}/schedule`);
    return changeSchedule(
      this.commands,
      projectId,
      call,
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
  @ApiScheduleChange()
  start(
    @ProjectIdParam() projectId: string,
    @ZodBody(projectStartRequestSchema) body: z.output<typeof projectStartRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'RescheduleProjectStart', data: { projectId: pid, ...body }, metadata }]);
  }

  @Put('calendar')
  @ApiOperation({ summary: 'Replace the working calendar (weekdays, hours, holidays, exceptions)' })
  @ApiScheduleChange()
  calendar(
    @ProjectIdParam() projectId: string,
    @ZodBody(calendarRequestSchema) body: z.output<typeof calendarRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    const calendar = { ...body, exceptions: body.exceptions.map((e) => ({ ...e, hours: e.hours ?? null, reason: e.reason ?? null })) };
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'DefineWorkingCalendar', data: { projectId: pid, calendar }, metadata }]);
  }

  @Post('calendar/holidays')
  @ApiOperation({ summary: 'Declare a holiday' })
  @ApiScheduleChange()
  holiday(
    @ProjectIdParam() projectId: string,
    @ZodBody(holidayRequestSchema) body: z.output<typeof holidayRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'DeclareHoliday', data: { projectId: pid, ...body }, metadata }]);
  }

  @Post('calendar/exceptions')
  @ApiOperation({ summary: 'Record a calendar exception (a worked or closed date)' })
  @ApiScheduleChange()
  exception(
    @ProjectIdParam() projectId: string,
    @ZodBody(calendarExceptionRequestSchema) body: z.output<typeof calendarExceptionRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'RecordCalendarException', data: { projectId: pid, ...body }, metadata }]);
  }
}
