import { Controller, Get, Headers, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody } from '@pm/platform/http';
import { requestContext } from '@pm/platform/request-context';
import { calendarRequestSchema } from '../schedule/schedule.requests';
import type { TraceHeaders } from '../schedule/schedule-http';
import { GetTenantCalendarQuery, SetDefaultCalendarCommand } from './tenant-calendar.handlers';
import type { DefaultCalendarSetResult, TenantCalendarView } from './tenant-calendar.handlers';

/** The tenant default has one id, `tenant-default`; the body carries everything else. */
export const defaultCalendarRequestSchema = calendarRequestSchema.omit({ calendarId: true });

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('calendars')
export class CalendarsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('default')
  @Roles('pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer')
  @ApiOperation({ summary: "The tenant's default working calendar (the built-in Mon–Fri 8 h until one is set)" })
  get(@CurrentPrincipal() principal: Principal): Promise<TenantCalendarView> {
    return this.queries.execute<GetTenantCalendarQuery, TenantCalendarView>(new GetTenantCalendarQuery(principal.tenantId));
  }

  @Put('default')
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Set the tenant default calendar (pm.planning.DefaultCalendarSet); schedules without their own calendar move onto it' })
  set(
    @ZodBody(defaultCalendarRequestSchema) body: z.output<typeof defaultCalendarRequestSchema>,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
  ): Promise<DefaultCalendarSetResult> {
    const ctx = requestContext(principal, { correlationId: headers['x-correlation-id'], traceparent: headers.traceparent });
    const calendar = { ...body, exceptions: body.exceptions.map((e) => ({ ...e, hours: e.hours ?? null, reason: e.reason ?? null })) };
    return this.commands.execute<SetDefaultCalendarCommand, DefaultCalendarSetResult>(new SetDefaultCalendarCommand(ctx, calendar));
  }
}
