import { randomUUID } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { changeImpact, changeRequestAggregate, changeRequestStreamId, scheduleAggregate, scheduleStreamId, toChangeRequestId, toProjectId } from '@pm/planning/domain';
import type { ChangeImpactReport, ChangeRequestCommand, ChangeRequestState, CommandMetadata, ProposedScheduleChange } from '@pm/planning/domain';
import { WritePath } from '@pm/platform/event-store';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam, ZodQuery, jsonView } from '@pm/platform/http';
import { CHANGE_REQUEST_STATUSES } from '@pm/planning/data-access';
import type { ChangeRequestPage } from '@pm/planning/data-access';
import { GetProjectQuery } from '../projects/get-project.handler';
import { ProjectIdParam } from '../schedule/project-id.param';
import { commandMetadata, contextOf } from '../schedule/schedule-http';
import type { HeaderWriter, TraceHeaders } from '../schedule/schedule-http';
import { DecideChangeRequestCommand, changeRequestOfProject } from './change-request.handlers';
import type { ChangeRequestResult } from './change-request.handlers';
import {
  approveChangeRequestSchema,
  assessChangeRequestSchema,
  emptyBodySchema,
  raiseChangeRequestSchema,
  rejectChangeRequestSchema,
  withdrawChangeRequestSchema,
} from './change-request.requests';
import type { RaiseChangeRequestBody } from './change-request.requests';
import { ChangeRequestRowsRunner } from './change-request-rows.runner';
import { ApiChangeRequestDecision } from '../openapi-bodies';

const ChangeRequestIdParam = (): ParameterDecorator => ZodParam('changeRequestId', z.uuid());
const READERS = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;
const statusSchema = z.enum(CHANGE_REQUEST_STATUSES);
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().regex(/^[1-9][0-9]{0,17}$/).optional().describe('`page.next` of the previous page'),
  status: z
    .string()
    .max(100)
    .transform((v) => v.split(','))
    .pipe(z.array(statusSchema).min(1).max(CHANGE_REQUEST_STATUSES.length))
    .optional()
    .describe('Comma-separated statuses to keep, e.g. `raised,assessed` for the pending ones'),
});
const approverOf = (p: Principal) => ({ id: p.sub, roles: p.roles });
const proposed = (state: ChangeRequestState): readonly ProposedScheduleChange[] => (state.status === 'not-raised' ? [] : state.request.proposedChanges);

/** Change control: raise, see the computed impact, assess, approve or reject (limits from configuration), apply. */
const nullable = (schema: Record<string, unknown>) => ({ ...schema, nullable: true });
const CHANGE_REQUEST_PAGE_SCHEMA = {
  type: 'object',
  required: ['items', 'page'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          changeRequestId: { type: 'string', format: 'uuid' },
          projectId: { type: 'string', format: 'uuid' },
          title: { type: 'string' },
          status: { type: 'string', enum: [...CHANGE_REQUEST_STATUSES] },
          proposedChanges: { type: 'integer', description: 'Changes the request proposes (GET …/change-requests/{id} has them)' },
          rebaselineAs: nullable({ type: 'integer' }),
          impact: nullable({
            type: 'object',
            description: 'The impact its last assessment recorded; null until assessed (GET …/impact computes it on demand)',
            properties: { scheduleImpactDays: { type: 'number' }, costImpact: { type: 'number' }, notes: nullable({ type: 'string' }) },
          }),
          raisedBy: { type: 'string' },
          raisedAt: { type: 'string', format: 'date-time' },
          decidedBy: nullable({ type: 'string' }),
          decidedAt: nullable({ type: 'string', format: 'date-time' }),
          reason: nullable({ type: 'string', description: "The rejection's or withdrawal's reason, or the approval's comment" }),
          version: { type: 'integer' },
        },
      },
    },
    page: { type: 'object', properties: { limit: { type: 'integer' }, next: nullable({ type: 'string' }) } },
  },
};

@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('projects/:projectId/change-requests')
@Roles('pmo-admin', 'project-manager')
export class ChangeRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly writePath: WritePath,
    private readonly rows: ChangeRequestRowsRunner,
  ) {}

  /** The command is a typed literal built by the route from the request's metadata; nothing else is carried. */
  private async decide(projectId: string, changeRequestId: string, p: Principal, h: TraceHeaders, res: HeaderWriter, command: (metadata: CommandMetadata) => ChangeRequestCommand) {
    const ctx = contextOf(p, h);
    const result = await this.commands.execute<DecideChangeRequestCommand, ChangeRequestResult>(new DecideChangeRequestCommand(projectId, changeRequestId, ctx, command(commandMetadata(ctx))));
    res.setHeader('ETag', `"${result.version}"`);
    return result;
  }

  private async load(projectId: string, changeRequestId: string, tenantId: string) {
    const loaded = await this.writePath.load(changeRequestAggregate, changeRequestStreamId(tenantId, changeRequestId), tenantId);
    return { state: changeRequestOfProject(loaded.state, projectId, changeRequestId), version: loaded.version };
  }

  private async impact(projectId: string, changeRequestId: string, p: Principal, notes: string | null): Promise<ChangeImpactReport> {
    const { state } = await this.load(projectId, changeRequestId, p.tenantId);
    const schedule = await this.writePath.load(scheduleAggregate, scheduleStreamId(p.tenantId, projectId), p.tenantId);
    const metadata = { now: new Date().toISOString(), actor: p.actor, tenantId: p.tenantId };
    return changeImpact(schedule.state, proposed(state), metadata, notes);
  }

  @Post()
  @HttpCode(201)
  @Roles('pmo-admin', 'project-manager', 'team-member')
  @ApiOperation({ summary: 'Raise a change request with the proposed schedule and cost changes' })
  @ApiChangeRequestDecision()
  async raise(@ProjectIdParam() projectId: string, @ZodBody(raiseChangeRequestSchema) body: RaiseChangeRequestBody, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    await this.queries.execute(new GetProjectQuery(p.tenantId, projectId));
    const changeRequestId = body.changeRequestId ?? randomUUID();
    res.setHeader('Location', `/projects/${projectId}/change-requests/${changeRequestId}`);
    return this.decide(projectId, changeRequestId, p, h, res, (metadata) => ({
      type: 'RaiseChangeRequest',
      // The request's changes have the contract's shapes (with the edge's stricter ids); the decider re-validates each when applied.
      data: { changeRequestId: toChangeRequestId(changeRequestId), projectId: toProjectId(projectId), title: body.title, description: body.description, proposedChanges: body.proposedChanges, rebaselineAs: body.rebaselineAs ?? null },
      metadata,
    }));
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: "The project's change requests, newest first: status, the impact recorded by the last assessment, the last decision" })
  @ApiOkResponse({ description: 'A page of change requests; `page.next` is the `after` of the next page, null on the last', schema: CHANGE_REQUEST_PAGE_SCHEMA })
  async list(@ProjectIdParam() projectId: string, @ZodQuery(listQuery) query: z.output<typeof listQuery>, @CurrentPrincipal() p: Principal): Promise<ChangeRequestPage> {
    await this.queries.execute(new GetProjectQuery(p.tenantId, projectId));
    return this.rows.list(p.tenantId, projectId, query);
  }

  @Get(':changeRequestId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A change request as its stream tells it' })
  async get(@ProjectIdParam() projectId: string, @ChangeRequestIdParam() changeRequestId: string, @CurrentPrincipal() p: Principal) {
    const { state, version } = await this.load(projectId, changeRequestId, p.tenantId);
    return jsonView({ changeRequestId, version, ...state });
  }

  @Get(':changeRequestId/impact')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The computed impact of the proposed changes: new finish date, schedule impact in working days, cost delta' })
  preview(@ProjectIdParam() projectId: string, @ChangeRequestIdParam() changeRequestId: string, @CurrentPrincipal() p: Principal): Promise<ChangeImpactReport> {
    return this.impact(projectId, changeRequestId, p, null);
  }

  @Post(':changeRequestId/assess')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the computed impact (the body carries notes only; the numbers are never typed in)' })
  @ApiChangeRequestDecision()
  async assess(@ProjectIdParam() projectId: string, @ChangeRequestIdParam() changeRequestId: string, @ZodBody(assessChangeRequestSchema) body: z.output<typeof assessChangeRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    const { scheduleImpactDays, costImpact, notes } = await this.impact(projectId, changeRequestId, p, body.notes ?? null);
    return this.decide(projectId, changeRequestId, p, h, res, (metadata) => ({ type: 'AssessChangeRequest', data: { changeRequestId: toChangeRequestId(changeRequestId), scheduleImpactDays, costImpact, notes }, metadata }));
  }

  @Post(':changeRequestId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve: pmo-admin always; a project manager only below the configured limits and without re-baselining' })
  @ApiChangeRequestDecision()
  approve(@ProjectIdParam() projectId: string, @ChangeRequestIdParam() changeRequestId: string, @ZodBody(approveChangeRequestSchema) body: z.output<typeof approveChangeRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.decide(projectId, changeRequestId, p, h, res, (metadata) => ({ type: 'ApproveChangeRequest', data: { changeRequestId: toChangeRequestId(changeRequestId), approver: approverOf(p), comment: body.comment ?? null }, metadata }));
  }

  @Post(':changeRequestId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject, under the same authority as approving' })
  @ApiChangeRequestDecision()
  reject(@ProjectIdParam() projectId: string, @ChangeRequestIdParam() changeRequestId: string, @ZodBody(rejectChangeRequestSchema) body: z.output<typeof rejectChangeRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.decide(projectId, changeRequestId, p, h, res, (metadata) => ({ type: 'RejectChangeRequest', data: { changeRequestId: toChangeRequestId(changeRequestId), approver: approverOf(p), reason: body.reason }, metadata }));
  }

  @Post(':changeRequestId/withdraw')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager', 'team-member')
  @ApiOperation({ summary: 'Withdraw a pending change request' })
  @ApiChangeRequestDecision()
  withdraw(@ProjectIdParam() projectId: string, @ChangeRequestIdParam() changeRequestId: string, @ZodBody(withdrawChangeRequestSchema) body: z.output<typeof withdrawChangeRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.decide(projectId, changeRequestId, p, h, res, (metadata) => ({ type: 'WithdrawChangeRequest', data: { changeRequestId: toChangeRequestId(changeRequestId), withdrawer: approverOf(p), reason: body.reason ?? null }, metadata }));
  }

  @Post(':changeRequestId/apply')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply an approved change to the schedule (and save the requested baseline)' })
  @ApiChangeRequestDecision()
  apply(@ProjectIdParam() projectId: string, @ChangeRequestIdParam() changeRequestId: string, @ZodBody(emptyBodySchema) _body: object, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.decide(projectId, changeRequestId, p, h, res, (metadata) => ({ type: 'ApplyChangeRequest', data: { changeRequestId: toChangeRequestId(changeRequestId) }, metadata }));
  }
}
