import { Controller, Get, Put } from '@nestjs/common';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { WritePath } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, zodToOpenApi } from '@pm/platform/http';
import { scheduleRiskSettingsAggregate, scheduleRiskSettingsStreamId } from '@pm/risk/domain';
import type { DefineScheduleRiskSpread } from '@pm/risk/domain';
import { CommandCtx } from '../shared/command-context';
import { commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';

export class DefineScheduleRiskSpreadCommand {
  constructor(
    readonly command: DefineScheduleRiskSpread,
    readonly ctx: RequestContext,
  ) {}
}

/** The tenant's own settings stream: no tenant reads or changes another's. */
@CommandHandler(DefineScheduleRiskSpreadCommand)
export class DefineScheduleRiskSpreadHandler implements ICommandHandler<DefineScheduleRiskSpreadCommand> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ command, ctx }: DefineScheduleRiskSpreadCommand) {
    const { events, version, state } = await this.writePath.handle(ctx, scheduleRiskSettingsAggregate, scheduleRiskSettingsStreamId(ctx.principal.tenantId), command);
    return { version, events, spread: state.spread };
  }
}

const spreadRequest = z.strictObject({
  optimistic: z.number().min(-1).max(0).describe('Fraction of the planned duration: -0.1 is 10% shorter'),
  pessimistic: z.number().min(0).max(100).describe('Fraction of the planned duration: 0.25 is 25% longer'),
  distribution: z.enum(['pert', 'triangular']),
});

const spreadView = z.object({ optimistic: z.number(), pessimistic: z.number(), distribution: z.enum(['pert', 'triangular']) });
const settingsView = z.object({ version: z.number().int(), defined: z.boolean().describe('False while the engine’s default applies'), spread: spreadView });
const changeView = z.object({
  version: z.number().int(),
  events: z.array(z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) })).describe('The decided events; none when the spread was already the one defined'),
  spread: spreadView,
});

/** The tenant's Monte Carlo default spread (ADR 0304): how tasks without a three-point estimate vary. */
@ApiTags('schedule risk')
@ApiBearerAuth()
@Controller('risk-settings/schedule-risk-spread')
export class ScheduleRiskSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly writePath: WritePath,
  ) {}

  @Get()
  @AnyRole()
  @ApiSuccessBody(zodToOpenApi(settingsView))
  @ApiOperation({ summary: 'The tenant’s default spread for tasks without a three-point estimate (the engine’s 10% shorter to 25% longer, triangular, until defined)' })
  async get(@CurrentPrincipal() p: Principal) {
    const { state, version } = await this.writePath.load(scheduleRiskSettingsAggregate, scheduleRiskSettingsStreamId(p.tenantId), p.tenantId);
    return { version, defined: state.defined, spread: state.spread };
  }

  @Put()
  @Roles('pmo-admin')
  @ApiSuccessBody(zodToOpenApi(changeView))
  @ApiOperation({ summary: 'Define the tenant’s default spread for Monte Carlo runs (pm.risk.ScheduleRiskSpreadDefined)' })
  define(@ZodBody(spreadRequest) body: z.output<typeof spreadRequest>, @CommandCtx() ctx: RequestContext) {
    return this.commands.execute(new DefineScheduleRiskSpreadCommand({ type: 'DefineScheduleRiskSpread', data: body, metadata: commandMetadata(ctx) }, ctx));
  }
}
