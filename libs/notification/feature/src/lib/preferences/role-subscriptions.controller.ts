import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DEFAULT_SUBSCRIPTION_PREFIX, roleSubscriptionsOf, tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId } from '@pm/notification/domain';
import type { Subscription, TenantNotificationSettings, TenantNotificationSettingsCommand } from '@pm/notification/domain';
import { AnyRole, Roles } from '@pm/platform/auth';
import { WritePath, committedOf } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, ZodParam, clientIdSchema, decidedEventsSchema } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { Caller, metadataOf } from '../shared/caller';
import { subscriptionRequest } from './preferences.requests';

const roleSubscriptionRequest = subscriptionRequest.extend({
  role: z.enum(['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer']).describe('Everyone holding this role in the tenant'),
});
/** A built-in default's id (`default:<role>:<name>`) may be ended too; a tenant's own ids follow the client id rules. */
const subscriptionIdParam = z.union([clientIdSchema, z.string().regex(/^default:[a-z-]{1,40}:[a-z0-9-]{1,60}$/)]);

const subscriptionJson = (s: Subscription) => ({
  subscriptionId: s.subscriptionId,
  role: s.audience.kind === 'role' ? s.audience.role : null,
  builtIn: s.subscriptionId.startsWith(DEFAULT_SUBSCRIPTION_PREFIX),
  scope: s.scope,
  eventTypes: [...s.eventTypes],
  minSeverity: s.minSeverity,
});
const settingsJson = (state: TenantNotificationSettings) => roleSubscriptionsOf(state).map(subscriptionJson);

const subscriptionsBody = {
  type: 'object' as const,
  required: ['version', 'subscriptions'],
  properties: {
    version: { type: 'integer' as const },
    events: decidedEventsSchema,
    subscriptions: { type: 'array' as const, items: { type: 'object' as const, additionalProperties: true, description: 'subscriptionId, role, builtIn, scope, eventTypes, minSeverity' } },
  },
};

export class ChangeRoleSubscriptionsCommand {
  constructor(
    readonly command: TenantNotificationSettingsCommand,
    readonly ctx: RequestContext,
  ) {}
}

/** One change to the tenant's role subscriptions, on its settings stream. */
@CommandHandler(ChangeRoleSubscriptionsCommand)
export class ChangeRoleSubscriptionsHandler implements ICommandHandler<ChangeRoleSubscriptionsCommand> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ command, ctx }: ChangeRoleSubscriptionsCommand) {
    const { tenantId } = ctx.principal;
    const stream = tenantNotificationSettingsStreamId(tenantId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { events, state } = await tx.decide(tenantNotificationSettingsAggregate, stream, command);
      return { events, subscriptions: settingsJson(state) };
    });
    return { version: committedOf(outcome, tenantNotificationSettingsAggregate, stream)?.version ?? 0, ...outcome.result };
  }
}

/**
 * Who hears what by role (issue 12 point 1): the built-in defaults (a project manager hears of critical-path slips and
 * high risks in their projects, a resource manager of over-allocations, a pmo-admin of gates and change requests) and
 * the tenant's own, which a pmo-admin starts and ends; a default ended stays ended. Everyone in the tenant may read them
 * (they say why a notification came).
 */
@ApiTags('preferences')
@ApiBearerAuth()
@Controller('notification-settings/role-subscriptions')
export class RoleSubscriptionsController {
  constructor(
    private readonly writePath: WritePath,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The role subscriptions in force in the tenant: built-in defaults not ended, then the tenant's own" })
  @ApiSuccessBody(subscriptionsBody)
  async list(@Caller() ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    const { state, version } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    return { version, subscriptions: settingsJson(state) };
  }

  @Post()
  @HttpCode(201)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Subscribe everyone with a role to event types of a project, their own projects or the tenant, from a severity up' })
  @ApiSuccessBody(subscriptionsBody)
  start(@ZodBody(roleSubscriptionRequest) body: z.output<typeof roleSubscriptionRequest>, @Caller() ctx: RequestContext) {
    return this.commands.execute(new ChangeRoleSubscriptionsCommand({ type: 'StartRoleSubscription', data: body, metadata: metadataOf(ctx) }, ctx));
  }

  @Delete(':subscriptionId')
  @HttpCode(200)
  @Roles('pmo-admin')
  @ApiOperation({ summary: "End a role subscription, the tenant's own or a built-in default" })
  @ApiSuccessBody(subscriptionsBody)
  end(@ZodParam('subscriptionId', subscriptionIdParam) subscriptionId: string, @Caller() ctx: RequestContext) {
    return this.commands.execute(new ChangeRoleSubscriptionsCommand({ type: 'EndRoleSubscription', data: { subscriptionId }, metadata: metadataOf(ctx) }, ctx));
  }
}
