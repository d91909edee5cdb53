import { Controller, Get, Put } from '@nestjs/common';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { WritePath, committedOf } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, zodToOpenApi } from '@pm/platform/http';
import { dueSettingsAggregate, dueSettingsStreamId } from '@pm/risk/domain';
import type { SetDueTimeZone } from '@pm/risk/domain';
import { CommandCtx } from '../shared/command-context';
import { commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { TenantCalendarReactor } from './tenant-calendar.reactor';

export class SetDueTimeZoneCommand {
  constructor(
    readonly command: SetDueTimeZone,
    readonly ctx: RequestContext,
  ) {}
}

/**
 * The tenant's own settings stream; the zone is written to `risk_tenant_calendars` and the tenant's pending due items
 * moved in the same transaction as the event (ADR 0302, "Due moment").
 */
@CommandHandler(SetDueTimeZoneCommand)
export class SetDueTimeZoneHandler implements ICommandHandler<SetDueTimeZoneCommand> {
  constructor(
    private readonly writePath: WritePath,
    private readonly calendars: TenantCalendarReactor,
  ) {}

  async execute({ command, ctx }: SetDueTimeZoneCommand) {
    const tenantId = ctx.principal.tenantId;
    const stream = dueSettingsStreamId(tenantId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      await tx.load(dueSettingsAggregate, stream);
      const { events } = await tx.decide(dueSettingsAggregate, stream, command);
      const set = events.find((e) => e.type === 'DueTimeZoneSet');
      if (set) tx.alsoInTransaction((client) => this.calendars.timeZoneSet(tenantId, set.data.timeZone, client));
    });
    const handled = committedOf(outcome, dueSettingsAggregate, stream);
    // Decided or a no-op, the zone is now the one asked for.
    const version = handled?.version ?? (await this.writePath.load(dueSettingsAggregate, stream, tenantId)).version;
    return { version, events: handled?.events ?? [], timeZone: command.data.timeZone };
  }
}

const timeZoneRequest = z.strictObject({ timeZone: z.string().min(1).max(64).describe('IANA time zone such as Europe/Berlin, or UTC') });
const settingsView = z.object({ version: z.number().int(), timeZone: z.string().describe('UTC until a pmo-admin sets one') });
const changeView = z.object({
  version: z.number().int(),
  events: z.array(z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) })).describe('The decided events; none when the zone was already the one set'),
  timeZone: z.string(),
});

/** The tenant's time zone for review and action due days (ADR 0302): planning's calendar says which days are worked, this where they end. */
@ApiTags('risk settings')
@ApiBearerAuth()
@Controller('risk-settings/time-zone')
export class DueSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly writePath: WritePath,
  ) {}

  @Get()
  @AnyRole()
  @ApiSuccessBody(zodToOpenApi(settingsView))
  @ApiOperation({ summary: 'The time zone in which the tenant’s review and action due days end (UTC until set)' })
  async get(@CurrentPrincipal() p: Principal) {
    const { state, version } = await this.writePath.load(dueSettingsAggregate, dueSettingsStreamId(p.tenantId), p.tenantId);
    return { version, timeZone: state.timeZone };
  }

  @Put()
  @Roles('pmo-admin')
  @ApiSuccessBody(zodToOpenApi(changeView))
  @ApiOperation({ summary: 'Set the tenant’s time zone for due dates (pm.risk.DueTimeZoneSet); pending due items move to their new moment' })
  set(@ZodBody(timeZoneRequest) body: z.output<typeof timeZoneRequest>, @CommandCtx() ctx: RequestContext) {
    return this.commands.execute(new SetDueTimeZoneCommand({ type: 'SetDueTimeZone', data: body, metadata: commandMetadata(ctx) }, ctx));
  }
}
