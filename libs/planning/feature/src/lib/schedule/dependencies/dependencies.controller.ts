import { randomUUID } from 'node:crypto';
import { Controller, Delete, HttpCode, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { toDependencyId, toTaskId } from '@pm/planning/domain';
import { Roles } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { ProjectIdParam } from '../project-id.param';
import { ScheduleCaller, changeSchedule } from '../schedule-http';
import type { ScheduleCall, ScheduleChangeResponse } from '../schedule-http';
import { adjustLagRequestSchema, entityIdSchema, linkDependencyRequestSchema } from '../schedule.requests';
import type { LinkDependencyRequest } from '../schedule.requests';
import { ApiScheduleChange } from '../../openapi-bodies';

const DependencyIdParam = (): ParameterDecorator => ZodParam('dependencyId', entityIdSchema);

@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule/dependencies')
@Roles('pmo-admin', 'project-manager')
export class DependenciesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Link two work packages (FS/SS/FF/SF with lag); a link that closes a cycle is a 409 DEPENDENCY_CYCLE naming it' })
  @ApiScheduleChange()
  async link(
    @ProjectIdParam() projectId: string,
    @ZodBody(linkDependencyRequestSchema) body: LinkDependencyRequest,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse & { dependencyId: string }> {
    const dependencyId = body.dependencyId ?? randomUUID();
    call.res.setHeader('Location', `/projects/${projectId}/schedule/dependencies/${dependencyId}`);
    return { dependencyId, ...(await changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'LinkDependency', data: { projectId: pid, dependencyId: toDependencyId(dependencyId),
      predecessorId: toTaskId(body.predecessorId),
      successorId: toTaskId(body.successorId),
      dependencyType: body.type,
      lagDays: body.lagDays }, metadata }])) };
  }

  @Patch(':dependencyId')
  @ApiOperation({ summary: 'Change the lag (negative: lead) of a dependency' })
  @ApiScheduleChange()
  adjust(
    @ProjectIdParam() projectId: string,
    @DependencyIdParam() dependencyId: string,
    @ZodBody(adjustLagRequestSchema) body: z.output<typeof adjustLagRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'AdjustDependencyLag', data: { projectId: pid, dependencyId: toDependencyId(dependencyId), lagDays: body.lagDays }, metadata }]);
  }

  @Delete(':dependencyId')
  @ApiOperation({ summary: 'Remove a dependency' })
  @ApiScheduleChange()
  unlink(
    @ProjectIdParam() projectId: string,
    @DependencyIdParam() dependencyId: string,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'UnlinkDependency', data: { projectId: pid, dependencyId: toDependencyId(dependencyId) }, metadata }]);
  }
}
