import { Controller, Get, Inject, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { escalationChainAggregate, escalationChainStreamId, tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId, ACK_WITHIN_RANGE, MAX_ESCALATION_CHAIN } from '@pm/notification/domain';
import { Roles } from '@pm/platform/auth';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, ZodParam, decidedEventsSchema } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { Caller } from '../shared/caller';
import { personIdSchema } from '../shared/person-id';
import { mustManageProject } from '../shared/project-access';
import { ChangeEscalationSettingsCommand } from './escalation-settings.handler';

const projectIdParam = z.uuid();
const personId = personIdSchema;
const chainRequest = z.strictObject({ chain: z.array(personId).min(1).max(MAX_ESCALATION_CHAIN).describe('People (token `sub`) in the order they are escalated to') });
const timeoutRequest = z.strictObject({ ackWithinMinutes: z.number().int().min(ACK_WITHIN_RANGE.min).max(ACK_WITHIN_RANGE.max).describe('How long a critical notification may wait for an acknowledgement') });

const chainBody = {
  type: 'object' as const,
  required: ['version', 'projectId', 'chain'],
  properties: { version: { type: 'integer' as const }, projectId: { type: 'string' as const }, chain: { type: 'array' as const, items: { type: 'string' as const } }, events: decidedEventsSchema },
};
const timeoutBody = { type: 'object' as const, required: ['version', 'ackWithinMinutes'], properties: { version: { type: 'integer' as const }, ackWithinMinutes: { type: 'integer' as const }, events: decidedEventsSchema } };

/** Escalation of critical notifications (ADR 0404): a project's chain, by a pmo-admin or its manager; the tenant's time, by a pmo-admin. */
@ApiTags('escalation')
@ApiBearerAuth()
@Controller()
export class EscalationController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly writePath: WritePath,
    private readonly commands: CommandBus,
  ) {}

  @Get('projects/:projectId/escalation-chain')
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: "The project's escalation chain (empty until defined); a pmo-admin or the project's manager" })
  @ApiSuccessBody(chainBody)
  async chain(@ZodParam('projectId', projectIdParam) projectId: string, @Caller() ctx: RequestContext) {
    await mustManageProject(this.pool, ctx, projectId);
    const { tenantId } = ctx.principal;
    const { state, version } = await this.writePath.load(escalationChainAggregate, escalationChainStreamId(tenantId, projectId), tenantId);
    return { version, projectId, chain: [...state.chain] };
  }

  @Put('projects/:projectId/escalation-chain')
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: "Define the project's escalation chain (1–10 people, each once); a running escalation keeps the chain it started with" })
  @ApiSuccessBody(chainBody)
  async defineChain(@ZodParam('projectId', projectIdParam) projectId: string, @ZodBody(chainRequest) body: z.output<typeof chainRequest>, @Caller() ctx: RequestContext) {
    await mustManageProject(this.pool, ctx, projectId);
    return this.commands.execute(new ChangeEscalationSettingsCommand({ kind: 'chain', projectId, chain: body.chain }, ctx));
  }

  @Get('notification-settings/escalation')
  @Roles('pmo-admin')
  @ApiOperation({ summary: "The tenant's acknowledgement time for critical notifications (minutes)" })
  @ApiSuccessBody(timeoutBody)
  async timeout(@Caller() ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    const { state, version } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    return { version, ackWithinMinutes: state.ackWithinMinutes };
  }

  @Put('notification-settings/escalation')
  @Roles('pmo-admin')
  @ApiOperation({ summary: "Set the tenant's acknowledgement time (5 minutes to 7 days); running escalations use it from their next step" })
  @ApiSuccessBody(timeoutBody)
  setTimeout(@ZodBody(timeoutRequest) body: z.output<typeof timeoutRequest>, @Caller() ctx: RequestContext) {
    return this.commands.execute(new ChangeEscalationSettingsCommand({ kind: 'timeout', ackWithinMinutes: body.ackWithinMinutes }, ctx));
  }
}
