import { randomUUID } from 'node:crypto';
import { Controller, Headers, HttpCode, Patch, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { toKpiId, toObjectiveId, toPhaseGateId, toProjectId } from '@pm/planning/domain';
import type { CommandMetadata, ProjectCommand, ProjectId } from '@pm/planning/domain';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { ProjectIdParam } from '../../schedule/project-id.param';
import { commandMetadata, contextOf } from '../../schedule/schedule-http';
import type { HeaderWriter, ScheduleChangeResponse, TraceHeaders } from '../../schedule/schedule-http';
import { ChangeProjectCommand } from './change-project.handler';
import type { ProjectChangeResult } from './change-project.handler';
import { SetStatusDateCommand } from './set-status-date.handler';
import type { StatusDateResult } from './set-status-date.handler';
import {
  approveGateRequestSchema,
  emptyRequestSchema,
  idParamSchema,
  kpiActualRequestSchema,
  objectiveRequestSchema,
  reasonRequestSchema,
  renameProjectRequestSchema,
  requestGateRequestSchema,
  scopeRequestSchema,
  statusDateRequestSchema,
} from './project-lifecycle.requests';
import { ApiProjectChange } from '../../openapi-bodies';

const IdParam = (name: string): ParameterDecorator => ZodParam(name, idParamSchema);

/**
 * Lifecycle, phase gates and charter. Gate decisions are open to every role here because the domain
 * decides who may (a pmo-admin or the project's sponsor, whatever other roles the sponsor has).
 */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects/:projectId')
@Roles('pmo-admin', 'project-manager')
export class ProjectLifecycleController {
  constructor(private readonly commands: CommandBus) {}

  /** The command is a typed literal built by the route from the request's metadata; nothing else is carried. */
  private async change(
    projectId: string,
    principal: Principal,
    headers: TraceHeaders,
    res: HeaderWriter,
    command: (metadata: CommandMetadata, projectId: ProjectId) => ProjectCommand,
  ): Promise<ProjectChangeResult> {
    const ctx = contextOf(principal, headers);
    const result = await this.commands.execute<ChangeProjectCommand, ProjectChangeResult>(new ChangeProjectCommand(projectId, ctx, command(commandMetadata(ctx), toProjectId(projectId))));
    res.setHeader('ETag', `"${result.version}"`);
    return result;
  }

  @Patch()
  @ApiOperation({ summary: 'Rename the project' })
  @ApiProjectChange()
  rename(@ProjectIdParam() projectId: string, @ZodBody(renameProjectRequestSchema) body: z.output<typeof renameProjectRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'RenameProject', data: { ...body, projectId: pid }, metadata }));
  }

  @Post('phase-gates')
  @HttpCode(201)
  @ApiOperation({ summary: 'Request the gate to the next phase' })
  @ApiProjectChange()
  async requestGate(@ProjectIdParam() projectId: string, @ZodBody(requestGateRequestSchema) body: z.output<typeof requestGateRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    const gateId = body.gateId ?? randomUUID();
    return { gateId, ...(await this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'RequestPhaseGate', data: { projectId: pid, gateId: toPhaseGateId(gateId), note: body.note ?? null }, metadata }))) };
  }

  @Post('phase-gates/:gateId/approve')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer')
  @ApiOperation({ summary: 'Approve a gate (pmo-admin or the sponsor); the project advances to the next phase' })
  @ApiProjectChange()
  approveGate(@ProjectIdParam() projectId: string, @IdParam('gateId') gateId: string, @ZodBody(approveGateRequestSchema) body: z.output<typeof approveGateRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'ApprovePhaseGate', data: { projectId: pid, gateId: toPhaseGateId(gateId), approver: { id: p.sub, roles: p.roles }, comment: body.comment ?? null }, metadata }));
  }

  @Post('phase-gates/:gateId/reject')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer')
  @ApiOperation({ summary: 'Reject a gate (pmo-admin or the sponsor)' })
  @ApiProjectChange()
  rejectGate(@ProjectIdParam() projectId: string, @IdParam('gateId') gateId: string, @ZodBody(reasonRequestSchema) body: z.output<typeof reasonRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'RejectPhaseGate', data: { projectId: pid, gateId: toPhaseGateId(gateId), approver: { id: p.sub, roles: p.roles }, reason: body.reason }, metadata }));
  }

  @Post('hold')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put the project on hold (from planning or executing)' })
  @ApiProjectChange()
  hold(@ProjectIdParam() projectId: string, @ZodBody(reasonRequestSchema) body: z.output<typeof reasonRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'PutProjectOnHold', data: { ...body, projectId: pid }, metadata }));
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a project on hold in the phase it was interrupted in' })
  @ApiProjectChange()
  resume(@ProjectIdParam() projectId: string, @ZodBody(emptyRequestSchema) _body: object, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'ResumeProject', data: { projectId: pid }, metadata }));
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the project' })
  @ApiProjectChange()
  cancel(@ProjectIdParam() projectId: string, @ZodBody(reasonRequestSchema) body: z.output<typeof reasonRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'CancelProject', data: { ...body, projectId: pid }, metadata }));
  }

  @Put('scope')
  @ApiOperation({ summary: 'Define the scope statement (initiating or planning only)' })
  @ApiProjectChange()
  scope(@ProjectIdParam() projectId: string, @ZodBody(scopeRequestSchema) body: z.output<typeof scopeRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'DefineScopeStatement', data: { ...body, projectId: pid }, metadata }));
  }

  @Post('objectives')
  @HttpCode(201)
  @ApiOperation({ summary: 'Define an objective with measurable KPIs (target, unit)' })
  @ApiProjectChange()
  async objective(@ProjectIdParam() projectId: string, @ZodBody(objectiveRequestSchema) body: z.output<typeof objectiveRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    const objectiveId = body.objectiveId ?? randomUUID();
    const kpis = body.kpis.map((k) => ({ ...k, kpiId: toKpiId(k.kpiId ?? randomUUID()) }));
    return { objectiveId, ...(await this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'DefineObjective', data: { projectId: pid, objectiveId: toObjectiveId(objectiveId), description: body.description, kpis }, metadata }))) };
  }

  @Post('objectives/:objectiveId/kpis/:kpiId/actuals')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the actual value of a KPI' })
  @ApiProjectChange()
  kpiActual(@ProjectIdParam() projectId: string, @IdParam('objectiveId') objectiveId: string, @IdParam('kpiId') kpiId: string, @ZodBody(kpiActualRequestSchema) body: z.output<typeof kpiActualRequestSchema>, @CurrentPrincipal() p: Principal, @Headers() h: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter) {
    return this.change(projectId, p, h, res, (metadata, pid) => ({ type: 'RecordKpiActual', data: { projectId: pid, objectiveId: toObjectiveId(objectiveId), kpiId: toKpiId(kpiId), ...body }, metadata }));
  }

  @Put('status-date')
  @ApiOperation({ summary: "Set the project's status date; an open schedule reforecasts from it (pm.planning.ScheduleStatusDateSet)" })
  @ApiProjectChange()
  async statusDate(
    @ProjectIdParam() projectId: string,
    @ZodBody(statusDateRequestSchema) body: z.output<typeof statusDateRequestSchema>,
    @CurrentPrincipal() p: Principal,
    @Headers() h: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ProjectChangeResult & { schedule: ScheduleChangeResponse | null }> {
    // The project and its open schedule take the date in one transaction (ADR 0105).
    const ctx = contextOf(p, h);
    const result = await this.commands.execute<SetStatusDateCommand, StatusDateResult>(new SetStatusDateCommand(projectId, ctx, body.statusDate));
    res.setHeader('ETag', `"${result.project.version}"`);
    return { ...result.project, schedule: result.schedule };
  }
}
