import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam, ZodQuery } from '@pm/platform/http';
import { RiskReadQueries } from '@pm/risk/data-access';
import { toIssueId } from '@pm/risk/domain';
import type { IssueCommand } from '@pm/risk/domain';
import { notFound } from '@pm/shared/ddd';
import { ApiIssueChange, ApiIssueDetail, ApiIssuePage } from '../openapi-bodies';
import { CommandCtx, VersionETag } from '../shared/command-context';
import { commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { isoDate, pageQuery, person, requiredText, riskRating, uuidParam } from '../shared/request-schemas';
import { ExecuteIssueCommand } from './issue.handler';
import type { IssueResult } from './issue.handler';

const raiseRequest = z.strictObject({
  issueId: uuidParam.optional(),
  title: requiredText(200),
  description: requiredText(2000),
  severity: riskRating,
  ownerId: person.nullable().optional(),
  dueOn: isoDate.nullable().optional(),
});
const resolveRequest = z.strictObject({ resolution: requiredText(2000) });
const linkRequest = z.strictObject({ changeRequestId: uuidParam.describe("Planning's change request that answers the issue") });
const listIssuesQuery = z.strictObject({ status: z.enum(['open', 'resolved']).optional(), severity: riskRating.optional(), ...pageQuery });

@ApiTags('issue log')
@ApiBearerAuth()
@Controller('projects/:projectId/issues')
@UseInterceptors(VersionETag)
export class IssuesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reads: RiskReadQueries,
  ) {}

  private run(projectId: string, ctx: RequestContext, command: IssueCommand): Promise<IssueResult> {
    return this.commands.execute(new ExecuteIssueCommand(projectId, command, ctx));
  }

  @Post()
  @HttpCode(201)
  @Roles('pmo-admin', 'project-manager', 'team-member')
  @ApiOperation({ summary: 'Raise an issue directly (pm.risk.IssueRaised); an occurred risk raises its own' })
  @ApiIssueChange()
  raise(@ZodParam('projectId', uuidParam) projectId: string, @ZodBody(raiseRequest) body: z.output<typeof raiseRequest>, @CommandCtx() ctx: RequestContext) {
    const data = { ...body, issueId: toIssueId(body.issueId ?? randomUUID()), projectId, source: { type: 'direct' as const } };
    return this.run(projectId, ctx, { type: 'RaiseIssue', data, metadata: commandMetadata(ctx) });
  }

  @Post(':issueId/resolution')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Resolve an issue with its resolution (pm.risk.IssueResolved)' })
  @ApiIssueChange()
  resolve(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('issueId', uuidParam) issueId: string, @ZodBody(resolveRequest) body: z.output<typeof resolveRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(projectId, ctx, { type: 'ResolveIssue', data: { issueId: toIssueId(issueId), resolution: body.resolution }, metadata: commandMetadata(ctx) });
  }

  @Post(':issueId/change-requests')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: "Link planning's change request that answers the issue (pm.risk.IssueLinkedToChangeRequest)" })
  @ApiIssueChange()
  link(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('issueId', uuidParam) issueId: string, @ZodBody(linkRequest) body: z.output<typeof linkRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(projectId, ctx, { type: 'LinkIssueToChangeRequest', data: { issueId: toIssueId(issueId), changeRequestId: body.changeRequestId }, metadata: commandMetadata(ctx) });
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The project's issue log, filtered by status or severity; pages with `limit` and `after`" })
  @ApiIssuePage()
  list(@ZodParam('projectId', uuidParam) projectId: string, @ZodQuery(listIssuesQuery) query: z.output<typeof listIssuesQuery>, @CurrentPrincipal() p: Principal) {
    return this.reads.issues(p.tenantId, projectId, query);
  }

  @Get(':issueId')
  @AnyRole()
  @ApiOperation({ summary: 'An issue with its source risk, resolution and linked change requests' })
  @ApiIssueDetail()
  async get(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('issueId', uuidParam) issueId: string, @CurrentPrincipal() p: Principal) {
    const issue = await this.reads.issue(p.tenantId, projectId, issueId);
    if (!issue) throw notFound('ISSUE_NOT_FOUND', 'Issue does not exist');
    return issue;
  }
}
