import { randomUUID } from 'node:crypto';
import { Controller, Delete, HttpCode, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { toTaskId } from '@pm/planning/domain';
import type { CommandMetadata, ProjectId, ScheduleCommand } from '@pm/planning/domain';
import { Roles } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { ProjectIdParam } from '../project-id.param';
import { ScheduleCaller, changeSchedule } from '../schedule-http';
import type { ScheduleCall, ScheduleChangeResponse } from '../schedule-http';
import { addTaskRequestSchema, entityIdSchema, moveTaskRequestSchema, updateTaskRequestSchema } from '../schedule.requests';
import type { AddTaskRequest, UpdateTaskRequest } from '../schedule.requests';
import { ApiScheduleChange } from '../../openapi-bodies';

/** The estimate fields of one PATCH, as the schedule commands they stand for, in a fixed order. */
function taskUpdates(projectId: ProjectId, taskId: string, body: UpdateTaskRequest, metadata: CommandMetadata): ScheduleCommand[] {
  const id = toTaskId(taskId);
  const commands: ScheduleCommand[] = [];
  if (body.name !== undefined) commands.push({ type: 'RenameTask', data: { projectId, taskId: id, name: body.name }, metadata });
  if (body.durationDays !== undefined) commands.push({ type: 'EstimateTaskDuration', data: { projectId, taskId: id, durationDays: body.durationDays }, metadata });
  if (body.threePoint !== undefined) commands.push({ type: 'EstimateTaskThreePoint', data: { projectId, taskId: id, ...body.threePoint }, metadata });
  if (body.workHours !== undefined) commands.push({ type: 'PlanTaskWork', data: { projectId, taskId: id, workHours: body.workHours }, metadata });
  if (body.costBudget !== undefined) commands.push({ type: 'BudgetTaskCost', data: { projectId, taskId: id, costBudget: body.costBudget }, metadata });
  if (body.constraint !== undefined) commands.push({ type: 'ConstrainTask', data: { projectId, taskId: id, constraint: body.constraint }, metadata });
  return commands;
}

const TaskIdParam = (): ParameterDecorator => ZodParam('taskId', entityIdSchema);

@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule/tasks')
@Roles('pmo-admin', 'project-manager')
export class WbsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a summary task, task or milestone to the WBS (publishes TaskAddedToWbs and what moved)' })
  @ApiScheduleChange()
  async add(
    @ProjectIdParam() projectId: string,
    @ZodBody(addTaskRequestSchema) body: AddTaskRequest,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse & { taskId: string }> {
    const taskId = body.taskId ?? randomUUID();
    const { parentId, ...rest } = body;
    call.res.setHeader('Location', `/projects/${projectId}/schedule/tasks/${taskId}`);
    const changed = await changeSchedule(this.commands, projectId, call, (metadata, pid) => [
      { type: 'AddTaskToWbs', data: { ...rest, projectId: pid, taskId: toTaskId(taskId), parentId: parentId ? toTaskId(parentId) : null }, metadata },
    ]);
    return { taskId, ...changed };
  }

  @Patch(':taskId')
  @ApiOperation({ summary: 'Rename or re-estimate a task: duration, three-point, work, cost budget, constraint' })
  @ApiScheduleChange()
  update(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(updateTaskRequestSchema) body: UpdateTaskRequest,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => taskUpdates(pid, taskId, body, metadata));
  }

  @Post(':taskId/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a task under another summary (or to the top level) and/or to another position' })
  @ApiScheduleChange()
  move(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(moveTaskRequestSchema) body: z.output<typeof moveTaskRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [
      {
        type: 'MoveTaskInWbs',
        data: { projectId: pid, taskId: toTaskId(taskId), parentId: body.parentId === null ? null : toTaskId(body.parentId), ...(body.position !== undefined ? { position: body.position } : {}) },
        metadata,
      },
    ]);
  }

  @Delete(':taskId')
  @ApiOperation({ summary: 'Remove a task without progress from the WBS' })
  @ApiScheduleChange()
  remove(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'RemoveTaskFromWbs', data: { projectId: pid, taskId: toTaskId(taskId) }, metadata }]);
  }
}
