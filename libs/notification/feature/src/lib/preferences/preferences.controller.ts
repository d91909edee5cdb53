import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { userPreferencesAggregate, userPreferencesStreamId } from '@pm/notification/domain';
import type { UserPreferencesCommand } from '@pm/notification/domain';
import { AnyRole } from '@pm/platform/auth';
import { WritePath } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, ZodParam, clientIdSchema, decidedEventsSchema } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { Caller, metadataOf } from '../shared/caller';
import { ChangePreferencesCommand, preferencesJson } from './preferences.handler';
import { preferencesRequest, subscriptionRequest } from './preferences.requests';
import type { PreferencesRequest, SubscriptionRequest } from './preferences.requests';

const preferencesBody = { type: 'object' as const, additionalProperties: true, description: 'timeZone, quietHours, digest, channels, subscriptions' };
const changeBody = { type: 'object' as const, required: ['version', 'events', 'preferences'], properties: { version: { type: 'integer' as const }, events: decidedEventsSchema, preferences: preferencesBody } };

/** What the body asks for, as the decider's commands, in a fixed order: zone first, so quiet hours read in it. */
function commandsOf(body: PreferencesRequest, ctx: RequestContext): UserPreferencesCommand[] {
  const data = { userId: ctx.principal.sub };
  const metadata = metadataOf(ctx);
  const commands: UserPreferencesCommand[] = [];
  if (body.timeZone !== undefined) commands.push({ type: 'SetTimeZone', data: { ...data, timeZone: body.timeZone }, metadata });
  if (body.quietHours !== undefined) commands.push({ type: 'SetQuietHours', data: { ...data, quietHours: body.quietHours }, metadata });
  if (body.digest !== undefined) commands.push({ type: 'SetDigestCadence', data: { ...data, ...body.digest }, metadata });
  for (const channel of body.channels ?? []) commands.push({ type: 'SetChannelPreference', data: { ...data, ...channel }, metadata });
  return commands;
}

/** My preferences and subscriptions: the stream is always the caller's own (`sub`), there is no user id to pass. */
@ApiTags('preferences')
@ApiBearerAuth()
@Controller()
export class PreferencesController {
  constructor(
    private readonly writePath: WritePath,
    private readonly commands: CommandBus,
  ) {}

  @Get('me/preferences')
  @AnyRole()
  @ApiOperation({ summary: 'My channels per event type, quiet hours (in my IANA time zone), digest cadence and subscriptions' })
  @ApiSuccessBody({ type: 'object', required: ['version', 'preferences'], properties: { version: { type: 'integer' }, preferences: preferencesBody } })
  async get(@Caller() ctx: RequestContext) {
    const { tenantId, sub } = ctx.principal;
    const { state, version } = await this.writePath.load(userPreferencesAggregate, userPreferencesStreamId(tenantId, sub), tenantId);
    return { version, preferences: preferencesJson(state) };
  }

  @Put('me/preferences')
  @AnyRole()
  @ApiOperation({ summary: 'Change my time zone, quiet hours, digest cadence or channels (only the parts given)' })
  @ApiSuccessBody(changeBody)
  put(@ZodBody(preferencesRequest) body: PreferencesRequest, @Caller() ctx: RequestContext) {
    return this.commands.execute(new ChangePreferencesCommand(commandsOf(body, ctx), ctx));
  }

  @Post('subscriptions')
  @HttpCode(201)
  @AnyRole()
  @ApiOperation({ summary: 'Subscribe myself to event types of a project, my own projects or the tenant, from a severity up' })
  @ApiSuccessBody(changeBody)
  subscribe(@ZodBody(subscriptionRequest) body: SubscriptionRequest, @Caller() ctx: RequestContext) {
    const command: UserPreferencesCommand = { type: 'StartUserSubscription', data: { userId: ctx.principal.sub, ...body }, metadata: metadataOf(ctx) };
    return this.commands.execute(new ChangePreferencesCommand([command], ctx));
  }

  @Delete('subscriptions/:subscriptionId')
  @HttpCode(200)
  @AnyRole()
  @ApiOperation({ summary: 'End one of my subscriptions' })
  @ApiSuccessBody(changeBody)
  unsubscribe(@ZodParam('subscriptionId', clientIdSchema) subscriptionId: string, @Caller() ctx: RequestContext) {
    const command: UserPreferencesCommand = { type: 'EndUserSubscription', data: { userId: ctx.principal.sub, subscriptionId }, metadata: metadataOf(ctx) };
    return this.commands.execute(new ChangePreferencesCommand([command], ctx));
  }
}
