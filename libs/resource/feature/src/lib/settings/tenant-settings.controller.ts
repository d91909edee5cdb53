import { Controller, Get, Put } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { ICommandHandler, IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody } from '@pm/platform/http';
import { WritePath } from '@pm/platform/event-store';
import { tenantSettingsAggregate, tenantSettingsStreamId } from '@pm/resource/domain';
import type { TenantSettingsCommand } from '@pm/resource/domain';
import { ReadModelSync } from '../allocation/read-model.sync';
import { callerOf, commandMetadata, requestContext } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { calendarBody } from '../shared/request-schemas';

export class ExecuteTenantSettingsCommand {
  constructor(
    readonly build: (ctx: RequestContext) => TenantSettingsCommand,
    readonly ctx: RequestContext,
  ) {}
}

/** Tenant settings: the stream is the tenant's own, so no tenant can touch another's. */
@CommandHandler(ExecuteTenantSettingsCommand)
export class ExecuteTenantSettingsHandler implements ICommandHandler<ExecuteTenantSettingsCommand> {
  constructor(
    private readonly writePath: WritePath,
    private readonly sync: ReadModelSync,
  ) {}

  async execute({ build, ctx }: ExecuteTenantSettingsCommand) {
    const { events, version, state } = await this.writePath.handle(ctx, tenantSettingsAggregate, tenantSettingsStreamId(ctx.principal.tenantId), build(ctx));
    await this.sync.sync();
    return { version, settings: state, events };
  }
}

export class GetTenantSettingsQuery {
  constructor(readonly tenantId: string) {}
}

@QueryHandler(GetTenantSettingsQuery)
export class GetTenantSettingsHandler implements IQueryHandler<GetTenantSettingsQuery> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ tenantId }: GetTenantSettingsQuery) {
    const { state, version } = await this.writePath.load(tenantSettingsAggregate, tenantSettingsStreamId(tenantId), tenantId);
    return { version, settings: state };
  }
}

const thresholdRequest = z.strictObject({ thresholdPercent: z.number().int().min(1).max(1000) });

@ApiTags('tenant settings')
@ApiBearerAuth()
@Controller('settings')
export class TenantSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The tenant's default calendar and budget threshold (null where the service defaults apply)" })
  get(@CurrentPrincipal() p: Principal) {
    return this.queries.execute(new GetTenantSettingsQuery(p.tenantId));
  }

  @Put('calendar')
  @Roles('pmo-admin', 'resource-manager')
  @ApiOperation({ summary: 'Set the default calendar of people without their own (pm.resource.TenantCalendarSet)' })
  setCalendar(@ZodBody(calendarBody) calendar: z.output<typeof calendarBody>, @CurrentPrincipal() p: Principal) {
    const ctx = requestContext(p);
    return this.commands.execute(new ExecuteTenantSettingsCommand((c) => ({ type: 'SetTenantCalendar', data: { calendar, caller: callerOf(c) }, metadata: commandMetadata(c) }), ctx));
  }

  @Put('budget-threshold')
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Set the default budget warning threshold for new budgets (pm.resource.BudgetThresholdSet)' })
  setThreshold(@ZodBody(thresholdRequest) body: z.output<typeof thresholdRequest>, @CurrentPrincipal() p: Principal) {
    const ctx = requestContext(p);
    return this.commands.execute(new ExecuteTenantSettingsCommand((c) => ({ type: 'SetBudgetThreshold', data: { ...body, caller: callerOf(c) }, metadata: commandMetadata(c) }), ctx));
  }
}
