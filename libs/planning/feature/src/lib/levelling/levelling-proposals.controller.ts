import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { notFound, scheduleAggregate, scheduleStreamId } from '@pm/planning/domain';
import { levellingProposalOfProject, levellingProposalsOfProject } from '@pm/planning/data-access';
import type { StoredLevellingProposal } from '@pm/planning/data-access';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { GetProjectQuery } from '../projects/get-project.handler';
import { ProjectIdParam } from '../schedule/project-id.param';
import { ScheduleCaller, changeSchedule } from '../schedule/schedule-http';
import type { ScheduleCall, ScheduleChangeResponse } from '../schedule/schedule-http';
import { levellingProposalView } from './levelling-proposal.view';
import type { LevellingProposalView } from './levelling-proposal.view';
import { ApiScheduleChange } from '../openapi-bodies';

const ProposalIdParam = (): ParameterDecorator => ZodParam('proposalId', z.uuid());
const acceptLevellingSchema = z.strictObject({}).default({});
const rejectLevellingSchema = z.strictObject({ reason: z.string().trim().min(1).max(4000).nullable().optional() }).default({});

/**
 * Levelling proposals published by the resource service, as planning keeps them (ADR 0107), and the project
 * manager's decision: accepting applies the moves to the schedule in one append with the recalculated dates.
 */
@ApiTags('levelling')
@ApiBearerAuth()
@Controller('projects/:projectId/levelling-proposals')
@Roles('pmo-admin', 'project-manager')
export class LevellingProposalsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly writePath: WritePath,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  private async schedule(projectId: string, tenantId: string) {
    return (await this.writePath.load(scheduleAggregate, scheduleStreamId(tenantId, projectId), tenantId)).state;
  }

  /** The proposal as this project's tenant knows it; anything else (another tenant's, unknown) is a 404. */
  private async proposal(projectId: string, proposalId: string, p: Principal): Promise<StoredLevellingProposal> {
    await this.queries.execute(new GetProjectQuery(p.tenantId, projectId));
    const proposal = await levellingProposalOfProject(this.pool, p.tenantId, projectId, proposalId);
    if (!proposal) throw notFound('LEVELLING_PROPOSAL_NOT_FOUND', `Levelling proposal ${proposalId} is not known for project ${projectId}`, { projectId, proposalId });
    return proposal;
  }

  @Get()
  @Roles('pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer')
  @ApiOperation({ summary: 'Levelling proposals for the project, newest first, each read against the plan as it stands' })
  async list(@ProjectIdParam() projectId: string, @CurrentPrincipal() p: Principal): Promise<{ proposals: LevellingProposalView[] }> {
    await this.queries.execute(new GetProjectQuery(p.tenantId, projectId));
    const [stored, schedule] = await Promise.all([levellingProposalsOfProject(this.pool, p.tenantId, projectId), this.schedule(projectId, p.tenantId)]);
    return { proposals: stored.map((s) => levellingProposalView(s, schedule)) };
  }

  @Get(':proposalId')
  @Roles('pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer')
  @ApiOperation({ summary: 'One levelling proposal: moves (and whether each still applies), finish before/after, unresolved conflicts' })
  async get(@ProjectIdParam() projectId: string, @ProposalIdParam() proposalId: string, @CurrentPrincipal() p: Principal): Promise<LevellingProposalView> {
    const proposal = await this.proposal(projectId, proposalId, p);
    return levellingProposalView(proposal, await this.schedule(projectId, p.tenantId));
  }

  @Post(':proposalId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply the moves (start no earlier than the levelled start) in one append with the CPM results; 409 LEVELLING_PROPOSAL_STALE if the plan moved' })
  @ApiScheduleChange()
  async accept(
    @ProjectIdParam() projectId: string,
    @ProposalIdParam() proposalId: string,
    @ZodBody(acceptLevellingSchema) _body: z.output<typeof acceptLevellingSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    const { moves } = await this.proposal(projectId, proposalId, call.principal);
    // Decided against the state the append expects (the schedule reads its own published starts), so a concurrent
    // change is retried and re-checked, never half-applied.
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [
      { type: 'AcceptLevellingProposal', data: { projectId: pid, proposalId, moves: moves.map(({ taskId, fromStart, toStart }) => ({ taskId, fromStart, toStart })) }, metadata },
    ]);
  }

  @Post(':proposalId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the proposal will not be applied (the plan does not change)' })
  @ApiScheduleChange()
  async reject(
    @ProjectIdParam() projectId: string,
    @ProposalIdParam() proposalId: string,
    @ZodBody(rejectLevellingSchema) body: z.output<typeof rejectLevellingSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    await this.proposal(projectId, proposalId, call.principal);
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [
      { type: 'RejectLevellingProposal', data: { projectId: pid, proposalId, reason: body.reason ?? null }, metadata },
    ]);
  }
}
