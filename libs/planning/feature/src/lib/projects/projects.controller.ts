import { Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { CreateProjectCommand } from './create-project.handler';
import type { ProjectCreatedResult } from './create-project.handler';
import { createProjectRequestSchema } from './create-project.request';
import type { CreateProjectRequest } from './create-project.request';
import { GetProjectQuery } from './get-project.handler';
import type { ProjectView } from './get-project.handler';
import { jsonView } from '@pm/platform/http';
import { requestContext } from '@pm/platform/request-context';

/** The slice of the HTTP response a handler may touch (headers); the body is the return value. */
interface HeaderWriter {
  setHeader(name: string, value: string): unknown;
}

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Create a project (publishes pm.planning.ProjectCreated)' })
  @ApiCreatedResponse({ description: 'Created; Location names the project' })
  @ApiConflictResponse({ description: 'PROJECT_ALREADY_EXISTS when the given projectId is taken' })
  async create(
    @ZodBody(createProjectRequestSchema) body: CreateProjectRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ProjectCreatedResult> {
    const result = await this.commands.execute<CreateProjectCommand, ProjectCreatedResult>(
      new CreateProjectCommand(body, requestContext(principal, { correlationId, traceparent })),
    );
    res.setHeader('Location', `/projects/${result.projectId}`);
    res.setHeader('ETag', `"${result.version}"`);
    return result;
  }

  @Get(':projectId')
  @AnyRole()
  @ApiOperation({ summary: 'A project as its event stream tells it' })
  @ApiOkResponse({ description: 'The project' })
  async get(
    @ZodParam('projectId', z.uuid()) projectId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<unknown> {
    const view = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(principal.tenantId, projectId));
    res.setHeader('ETag', `"${view.version}"`);
    return jsonView(view);
  }
}
