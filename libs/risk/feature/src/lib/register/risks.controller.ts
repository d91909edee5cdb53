import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Post, Put, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Roles } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { toRiskId, toRiskProjectId } from '@pm/risk/domain';
import { ApiRiskChange } from '../openapi-bodies';
import { CommandCtx, VersionETag } from '../shared/command-context';
import { commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { localIdParam, uuidParam } from '../shared/request-schemas';
import { IdentifySecondaryRiskCommand, RecordOccurrenceCommand } from './risk-plans.handler';
import { DefineRiskScheduleImpactCommand } from './risk-schedule-impact.handler';
import { ExecuteRiskCommand } from './risk.handler';
import type { RiskRequest, RiskResult } from './risk.handler';
import {
  actionRequest,
  assessRequest,
  completionRequest,
  identifyRiskRequest,
  occurrenceRequest,
  ownerRequest,
  responseRequest,
  reviewRequest,
  scheduleImpactRequest,
  statusRequest,
} from './risk.requests';
import type { IdentifyRiskRequest } from './risk.requests';

type Body<T extends z.ZodType> = z.output<T>;
/** Roles that may act on a risk they own; the handler lets a team member through only as the owner (ADR 0302). */
const OWNER_OR_MANAGER = ['pmo-admin', 'project-manager', 'team-member'] as const;

const identification = (projectId: string, riskId: string, body: IdentifyRiskRequest, ctx: RequestContext) => ({
  type: 'IdentifyRisk' as const,
  data: { ...body, riskId: toRiskId(riskId), projectId: toRiskProjectId(projectId) },
  metadata: commandMetadata(ctx),
});

@ApiTags('risk register')
@ApiBearerAuth()
@Controller('projects/:projectId/risks')
@UseInterceptors(VersionETag)
export class RisksController {
  constructor(private readonly commands: CommandBus) {}

  private run(projectId: string, ctx: RequestContext, ownerMay: boolean, request: RiskRequest): Promise<RiskResult> {
    return this.commands.execute(new ExecuteRiskCommand(projectId, request, ctx, ownerMay));
  }

  @Post()
  @HttpCode(201)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: "Identify a threat or an opportunity, in a category of the tenant's risk breakdown structure (pm.risk.RiskIdentified)" })
  @ApiRiskChange()
  identify(@ZodParam('projectId', uuidParam) projectId: string, @ZodBody(identifyRiskRequest) body: Body<typeof identifyRiskRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(projectId, ctx, false, identification(projectId, body.riskId ?? randomUUID(), body, ctx));
  }

  @Post(':riskId/assessments')
  @HttpCode(200)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: "Assess probability and impact per dimension on the tenant's matrix, optionally the cost impact in money (its EMV: ADR 0304); the owner may (pm.risk.RiskAssessed)" })
  @ApiRiskChange()
  assess(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('riskId', uuidParam) riskId: string, @ZodBody(assessRequest) body: Body<typeof assessRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(projectId, ctx, true, { type: 'AssessRisk', data: { riskId: toRiskId(riskId), ...body }, metadata: commandMetadata(ctx) });
  }

  @Post(':riskId/status')
  @HttpCode(200)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: 'Move to responding, monitoring or closed (with a reason); the owner may (pm.risk.RiskStatusChanged)' })
  @ApiRiskChange()
  status(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('riskId', uuidParam) riskId: string, @ZodBody(statusRequest) body: Body<typeof statusRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(projectId, ctx, true, { type: 'ChangeRiskStatus', data: { riskId: toRiskId(riskId), ...body }, metadata: commandMetadata(ctx) });
  }

  @Put(':riskId/owner')
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Assign the owner: a person, by their token subject (pm.risk.RiskOwnerAssigned)' })
  @ApiRiskChange()
  owner(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('riskId', uuidParam) riskId: string, @ZodBody(ownerRequest) body: Body<typeof ownerRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(projectId, ctx, false, { type: 'AssignRiskOwner', data: { riskId: toRiskId(riskId), ...body }, metadata: commandMetadata(ctx) });
  }

  @Put(':riskId/review')
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: 'Set the next review date; pm.risk.RiskReviewOverdue follows if it passes first; the owner may (pm.risk.RiskReviewScheduled)' })
  @ApiRiskChange()
  review(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('riskId', uuidParam) riskId: string, @ZodBody(reviewRequest) body: Body<typeof reviewRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(projectId, ctx, true, { type: 'ScheduleRiskReview', data: { riskId: toRiskId(riskId), ...body }, metadata: commandMetadata(ctx) });
  }

  @Put(':riskId/schedule-impact')
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({
    summary:
      "Link the threat to the plan's tasks it delays if it occurs, each with a three-point delay in working days; replaces the previous link, an empty list clears it; a simulation may take it as a risk event (ADR 0305); the owner may (pm.risk.RiskScheduleImpactDefined)",
  })
  @ApiRiskChange()
  scheduleImpact(
    @ZodParam('projectId', uuidParam) projectId: string,
    @ZodParam('riskId', uuidParam) riskId: string,
    @ZodBody(scheduleImpactRequest) body: Body<typeof scheduleImpactRequest>,
    @CommandCtx() ctx: RequestContext,
  ) {
    const request = { type: 'DefineRiskScheduleImpact' as const, data: { riskId: toRiskId(riskId), tasks: body.tasks }, metadata: commandMetadata(ctx) };
    return this.commands.execute(new DefineRiskScheduleImpactCommand(projectId, request, ctx));
  }

  @Post(':riskId/occurrence')
  @HttpCode(200)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: 'Record that the risk occurred and raise its issue, in one step; the owner may (pm.risk.RiskOccurred, RiskStatusChanged, IssueRaised)' })
  @ApiRiskChange()
  occurrence(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('riskId', uuidParam) riskId: string, @ZodBody(occurrenceRequest) body: Body<typeof occurrenceRequest>, @CommandCtx() ctx: RequestContext) {
    const occurrence = { type: 'RecordRiskOccurrence' as const, data: { riskId: toRiskId(riskId), occurredOn: body.occurredOn, description: body.description }, metadata: commandMetadata(ctx) };
    const issue = { issueId: body.issueId ?? randomUUID(), severity: body.severity ?? null, dueOn: body.dueOn ?? null };
    return this.commands.execute(new RecordOccurrenceCommand(projectId, occurrence, issue, ctx));
  }

  @Post(':riskId/responses')
  @HttpCode(201)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: "Plan a response whose strategy fits the risk's kind; the owner may (pm.risk.ResponsePlanned)" })
  @ApiRiskChange()
  respond(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('riskId', uuidParam) riskId: string, @ZodBody(responseRequest) body: Body<typeof responseRequest>, @CommandCtx() ctx: RequestContext) {
    const data = { riskId: toRiskId(riskId), ...body, responseId: body.responseId ?? randomUUID() };
    return this.run(projectId, ctx, true, { type: 'PlanRiskResponse', data, metadata: commandMetadata(ctx) });
  }

  @Post(':riskId/responses/:responseId/actions')
  @HttpCode(201)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: 'Add a mitigation action with owner, due date and cost; pm.risk.MitigationActionOverdue follows if it is still open after its due day (pm.risk.MitigationActionAdded)' })
  @ApiRiskChange()
  addAction(
    @ZodParam('projectId', uuidParam) projectId: string,
    @ZodParam('riskId', uuidParam) riskId: string,
    @ZodParam('responseId', localIdParam) responseId: string,
    @ZodBody(actionRequest) body: Body<typeof actionRequest>,
    @CommandCtx() ctx: RequestContext,
  ) {
    const data = { riskId: toRiskId(riskId), responseId, ...body, actionId: body.actionId ?? randomUUID() };
    return this.run(projectId, ctx, true, { type: 'AddMitigationAction', data, metadata: commandMetadata(ctx) });
  }

  @Post(':riskId/actions/:actionId/completion')
  @HttpCode(200)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: 'Complete a mitigation action; the owner may (pm.risk.MitigationActionCompleted)' })
  @ApiRiskChange()
  complete(
    @ZodParam('projectId', uuidParam) projectId: string,
    @ZodParam('riskId', uuidParam) riskId: string,
    @ZodParam('actionId', localIdParam) actionId: string,
    @ZodBody(completionRequest) body: Body<typeof completionRequest>,
    @CommandCtx() ctx: RequestContext,
  ) {
    return this.run(projectId, ctx, true, { type: 'CompleteMitigationAction', data: { riskId: toRiskId(riskId), actionId, note: body.note ?? null }, metadata: commandMetadata(ctx) });
  }

  @Post(':riskId/responses/:responseId/secondary-risks')
  @HttpCode(201)
  @Roles(...OWNER_OR_MANAGER)
  @ApiOperation({ summary: 'Identify a secondary risk that the response creates and link it to that response, in one step (pm.risk.RiskIdentified, SecondaryRiskLinked)' })
  @ApiRiskChange()
  secondary(
    @ZodParam('projectId', uuidParam) projectId: string,
    @ZodParam('riskId', uuidParam) riskId: string,
    @ZodParam('responseId', localIdParam) responseId: string,
    @ZodBody(identifyRiskRequest) body: Body<typeof identifyRiskRequest>,
    @CommandCtx() ctx: RequestContext,
  ) {
    const secondaryRiskId = toRiskId(body.riskId ?? randomUUID());
    const link = { type: 'LinkSecondaryRisk' as const, data: { riskId: toRiskId(riskId), responseId, secondaryRiskId }, metadata: commandMetadata(ctx) };
    return this.commands.execute(new IdentifySecondaryRiskCommand(projectId, identification(projectId, secondaryRiskId, body, ctx), link, ctx));
  }
}
