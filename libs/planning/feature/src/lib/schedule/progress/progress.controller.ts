import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { toTaskId } from '@pm/planning/domain';
import { Roles } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { ProjectIdParam } from '../project-id.param';
import { ScheduleCaller, changeSchedule } from '../schedule-http';
import type { ScheduleCall, ScheduleChangeResponse } from '../schedule-http';
import { actualCostRequestSchema, entityIdSchema, finishTaskRequestSchema, progressRequestSchema, startTaskRequestSchema } from '../schedule.requests';
import { ApiScheduleChange } from '../../openapi-bodies';

const TaskIdParam = (): ParameterDecorator => ZodParam('taskId', entityIdSchema);

/** Progress reforecasts the schedule from the data date (the latest date progress was reported for). */
@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule/tasks/:taskId')
@Roles('pmo-admin', 'project-manager')
export class ProgressController {
  constructor(private readonly commands: CommandBus) {}

  @Post('start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the actual start of a task' })
  @ApiScheduleChange()
  start(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(startTaskRequestSchema) body: z.output<typeof startTaskRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'StartTask', data: { projectId: pid, taskId: toTaskId(taskId), ...body }, metadata }]);
  }

  @Post('progress')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record percent complete (below 100) and remaining duration of a started task' })
  @ApiScheduleChange()
  progress(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(progressRequestSchema) body: z.output<typeof progressRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'RecordTaskProgress', data: { projectId: pid, taskId: toTaskId(taskId), ...body }, metadata }]);
  }

  @Post('finish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the actual finish of a task (100 % complete)' })
  @ApiScheduleChange()
  finish(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(finishTaskRequestSchema) body: z.output<typeof finishTaskRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'FinishTask', data: { projectId: pid, taskId: toTaskId(taskId), ...body }, metadata }]);
  }

  @Post('actual-cost')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the cumulative actual cost of a work package' })
  @ApiScheduleChange()
  actualCost(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(actualCostRequestSchema) body: z.output<typeof actualCostRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'RecordTaskActualCost', data: { projectId: pid, taskId: toTaskId(taskId), ...body }, metadata }]);
  }
}
