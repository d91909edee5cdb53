import { randomUUID } from 'node:crypto';
import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam, clientIdSchema } from '@pm/platform/http';
import { loadBody, optionalText, toLoad } from '../shared/request-schemas';
import { requestContext } from '../shared/request-context';
import { ExecuteAssignmentCommand, GetAssignmentQuery } from './assignments.handler';
import type { AssignmentRequest, AssignmentResult } from './assignments.handler';
import { ApiAssignmentChange } from '../openapi-bodies';

const assignRequest = z.strictObject({
  assignmentId: z.uuid().optional(),
  resourceId: z.uuid(),
  projectId: z.uuid(),
  taskId: clientIdSchema.describe("Planning's task id"),
  load: loadBody,
});
const reviseRequest = z.strictObject({ load: loadBody });
const replaceRequest = z.strictObject({ resourceId: z.uuid().describe('The named person who takes over') });
const removeRequest = z.strictObject({ reason: optionalText(500) }).optional();
const idParam = z.uuid();

@ApiTags('assignments')
@ApiBearerAuth()
@Roles('resource-manager', 'pmo-admin', 'project-manager')
@Controller('assignments')
export class AssignmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private run(request: AssignmentRequest, principal: Principal): Promise<AssignmentResult> {
    return this.commands.execute<ExecuteAssignmentCommand, AssignmentResult>(new ExecuteAssignmentCommand(request, requestContext(principal)));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Assign a resource to a planning task by units or hours (pm.resource.ResourceAssigned)' })
  @ApiAssignmentChange()
  assign(@ZodBody(assignRequest) body: z.output<typeof assignRequest>, @CurrentPrincipal() p: Principal) {
    return this.run({ kind: 'assign', ...body, assignmentId: body.assignmentId ?? randomUUID(), load: toLoad(body.load) }, p);
  }

  @Post(':assignmentId/load')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-estimate units or work (pm.resource.AssignmentLoadRevised)' })
  @ApiAssignmentChange()
  revise(@ZodParam('assignmentId', idParam) assignmentId: string, @ZodBody(reviseRequest) body: z.output<typeof reviseRequest>, @CurrentPrincipal() p: Principal) {
    return this.run({ kind: 'revise', assignmentId, load: toLoad(body.load) }, p);
  }

  @Post(':assignmentId/replacement')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the assignment to a named person, keeping the history (pm.resource.AssignedResourceReplaced)' })
  @ApiAssignmentChange()
  replace(@ZodParam('assignmentId', idParam) assignmentId: string, @ZodBody(replaceRequest) body: z.output<typeof replaceRequest>, @CurrentPrincipal() p: Principal) {
    return this.run({ kind: 'replace', assignmentId, resourceId: body.resourceId }, p);
  }

  @Get(':assignmentId')
  @Roles('resource-manager', 'pmo-admin', 'project-manager', 'team-member', 'viewer')
  @ApiOperation({ summary: 'An assignment with its staffing history' })
  get(@ZodParam('assignmentId', idParam) assignmentId: string, @CurrentPrincipal() p: Principal) {
    return this.queries.execute(new GetAssignmentQuery(p.tenantId, assignmentId));
  }

  @Delete(':assignmentId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw an assignment (pm.resource.AssignmentRemoved)' })
  @ApiAssignmentChange()
  remove(@ZodParam('assignmentId', idParam) assignmentId: string, @ZodBody(removeRequest) body: z.output<typeof removeRequest>, @CurrentPrincipal() p: Principal) {
    return this.run({ kind: 'remove', assignmentId, reason: body?.reason ?? null }, p);
  }
}
