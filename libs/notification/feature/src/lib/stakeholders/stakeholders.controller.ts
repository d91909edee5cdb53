import { Controller, Delete, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { stakeholderRegisterAggregate, stakeholderRegisterStreamId } from '@pm/notification/domain';
import type { StakeholderRegisterCommand } from '@pm/notification/domain';
import { Roles } from '@pm/platform/auth';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, ZodParam, clientIdSchema, decidedEventsSchema } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { Caller, metadataOf } from '../shared/caller';
import { personIdSchema } from '../shared/person-id';
import { mustManageProject } from '../shared/project-access';
import { COMMUNICATION_RUN, communicationRunKey } from './communication-runs';
import { ChangeStakeholderRegisterCommand } from './stakeholders.handler';
import { registerJson } from './stakeholders.json';

const uuid = z.uuid();
const text = z.string().min(1).max(200);
const level = z.enum(['low', 'medium', 'high']);
const stakeholderBody = {
  name: text,
  role: text.nullable().default(null),
  organisation: text.nullable().default(null),
  interest: level,
  influence: level,
  preferredChannel: z.enum(['in-app', 'email']).default('in-app'),
  userId: personIdSchema.nullable().default(null).describe('Their account on the platform, when they have one: how they are reached'),
};
const registerRequest = z.strictObject({ stakeholderId: clientIdSchema, ...stakeholderBody });
const reviseRequest = z.strictObject(stakeholderBody);
const planRequest = z.strictObject({
  report: z.enum(['status-summary']).default('status-summary'),
  audience: z.strictObject({
    stakeholders: z.array(clientIdSchema).max(200).default([]),
    roles: z.array(z.enum(['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'])).max(5).default([]),
  }),
  cadence: z.strictObject({
    every: z.enum(['day', 'week']),
    at: z.string().regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$/).describe('HH:MM wall-clock time in timeZone'),
    weekday: z.number().int().min(1).max(7).nullable().default(null),
    timeZone: z.string().min(1).max(64).regex(/^[A-Za-z][A-Za-z0-9_+/-]*$/),
  }),
});

const registerBody = { type: 'object' as const, required: ['version', 'stakeholders', 'communications'], properties: { version: { type: 'integer' as const }, stakeholders: { type: 'array' as const, items: { type: 'object' as const, additionalProperties: true } }, communications: { type: 'array' as const, items: { type: 'object' as const, additionalProperties: true } }, events: decidedEventsSchema } };
const READERS = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member'] as const;

/**
 * A project's stakeholder register and communication plan (ADR 0404): read by the project's people (not viewers: the
 * register judges people's interest and influence), changed by a pmo-admin or the project's manager.
 */
@ApiTags('stakeholders')
@ApiBearerAuth()
@Controller('projects/:projectId')
export class StakeholdersController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
    private readonly commands: CommandBus,
  ) {}

  @Get('stakeholders')
  @Roles(...READERS)
  @ApiOperation({ summary: "The project's stakeholder register and communication plan (with each report's next run)" })
  @ApiSuccessBody(registerBody)
  async register(@ZodParam('projectId', uuid) projectId: string, @Caller() ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    const { state, version } = await this.writePath.load(stakeholderRegisterAggregate, stakeholderRegisterStreamId(tenantId, projectId), tenantId);
    const json = registerJson(state);
    const communications = [];
    for (const c of json.communications) communications.push({ ...c, nextRunAt: (await this.scheduler.get(tenantId, COMMUNICATION_RUN, communicationRunKey(projectId, c.communicationId)))?.dueAt.toISOString() ?? null });
    return { version, stakeholders: json.stakeholders, communications };
  }

  @Post('stakeholders')
  @HttpCode(201)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Register a stakeholder (name, role, organisation, interest, influence, preferred channel, account)' })
  @ApiSuccessBody(registerBody)
  add(@ZodParam('projectId', uuid) projectId: string, @ZodBody(registerRequest) body: z.output<typeof registerRequest>, @Caller() ctx: RequestContext) {
    return this.change(projectId, ctx, (metadata) => ({ type: 'RegisterStakeholder', data: { projectId, ...body }, metadata }));
  }

  @Put('stakeholders/:stakeholderId')
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: "Revise a stakeholder's entry (the whole entry)" })
  @ApiSuccessBody(registerBody)
  revise(@ZodParam('projectId', uuid) projectId: string, @ZodParam('stakeholderId', clientIdSchema) stakeholderId: string, @ZodBody(reviseRequest) body: z.output<typeof reviseRequest>, @Caller() ctx: RequestContext) {
    return this.change(projectId, ctx, (metadata) => ({ type: 'ReviseStakeholder', data: { projectId, stakeholderId, ...body }, metadata }));
  }

  @Delete('stakeholders/:stakeholderId')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Remove a stakeholder from the register' })
  @ApiSuccessBody(registerBody)
  remove(@ZodParam('projectId', uuid) projectId: string, @ZodParam('stakeholderId', clientIdSchema) stakeholderId: string, @Caller() ctx: RequestContext) {
    return this.change(projectId, ctx, (metadata) => ({ type: 'RemoveStakeholder', data: { projectId, stakeholderId }, metadata }));
  }

  @Put('communication-plan/:communicationId')
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Plan (or re-plan) a report: which stakeholders and roles receive it, daily or weekly at a wall-clock time' })
  @ApiSuccessBody(registerBody)
  plan(@ZodParam('projectId', uuid) projectId: string, @ZodParam('communicationId', clientIdSchema) communicationId: string, @ZodBody(planRequest) body: z.output<typeof planRequest>, @Caller() ctx: RequestContext) {
    return this.change(projectId, ctx, (metadata) => ({ type: 'PlanCommunication', data: { projectId, communicationId, ...body }, metadata }));
  }

  @Delete('communication-plan/:communicationId')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Cancel a planned report' })
  @ApiSuccessBody(registerBody)
  cancel(@ZodParam('projectId', uuid) projectId: string, @ZodParam('communicationId', clientIdSchema) communicationId: string, @Caller() ctx: RequestContext) {
    return this.change(projectId, ctx, (metadata) => ({ type: 'CancelCommunication', data: { projectId, communicationId }, metadata }));
  }

  private async change(projectId: string, ctx: RequestContext, build: (metadata: StakeholderRegisterCommand['metadata']) => StakeholderRegisterCommand) {
    await mustManageProject(this.pool, ctx, projectId);
    return this.commands.execute(new ChangeStakeholderRegisterCommand(projectId, build(metadataOf(ctx)), ctx));
  }
}
