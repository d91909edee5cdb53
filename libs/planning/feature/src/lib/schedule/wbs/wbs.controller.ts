import { randomUUID } from 'node:crypto';
import { Controller, Delete, Headers, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { toTaskId } from '@pm/planning/domain';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { ProjectIdParam } from '../project-id.param';
import { changeSchedule, fixedPlan, scheduleCommand } from '../schedule-http';
import type { HeaderWriter, ScheduleChangeResponse, ScheduleCommandBuilder, TraceHeaders } from '../schedule-http';
import { addTaskRequestSchema, entityIdSchema, moveTaskRequestSchema, updateTaskRequestSchema } from '../schedule.requests';
import type { AddTaskRequest, UpdateTaskRequest } from '../schedule.requests';

/** The estimate fields of one PATCH, as the schedule commands they stand for, in a fixed order. */
function taskUpdates(projectId: string, taskId: string, body: UpdateTaskRequest): ScheduleCommandBuilder[] {
  const id = toTaskId(taskId);
  const builders: ScheduleCommandBuilder[] = [];
  if (body.name !== undefined) builders.push(scheduleCommand('RenameTask', projectId, { taskId: id, name: body.name }));
  if (body.durationDays !== undefined) builders.push(scheduleCommand('EstimateTaskDuration', projectId, { taskId: id, durationDays: body.durationDays }));
  if (body.threePoint !== undefined) builders.push(scheduleCommand('EstimateTaskThreePoint', projectId, { taskId: id, ...body.threePoint }));
  if (body.workHours !== undefined) builders.push(scheduleCommand('PlanTaskWork', projectId, { taskId: id, workHours: body.workHours }));
  if (body.costBudget !== undefined) builders.push(scheduleCommand('BudgetTaskCost', projectId, { taskId: id, costBudget: body.costBudget }));
  if (body.constraint !== undefined) builders.push(scheduleCommand('ConstrainTask', projectId, { taskId: id, constraint: body.constraint }));
  return builders;
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
  async add(
    @ProjectIdParam() projectId: string,
    @ZodBody(addTaskRequestSchema) body: AddTaskRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse & { taskId: string }> {
    const taskId = body.taskId ?? randomUUID();
    const { parentId, ...rest } = body;
    const command = scheduleCommand('AddTaskToWbs', projectId, {
      ...rest,
      taskId: toTaskId(taskId),
      parentId: parentId ? toTaskId(parentId) : null,
    });
    res.setHeader('Location', `/projects/${projectId}/schedule/tasks/${taskId}`);
    return { taskId, ...(await changeSchedule(this.commands, projectId, principal, headers, res, fixedPlan(command))) };
  }

  @Patch(':taskId')
  @ApiOperation({ summary: 'Rename or re-estimate a task: duration, three-point, work, cost budget, constraint' })
  update(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(updateTaskRequestSchema) body: UpdateTaskRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, principal, headers, res, fixedPlan(...taskUpdates(projectId, taskId, body)));
  }

  @Post(':taskId/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a task under another summary (or to the top level) and/or to another position' })
  move(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @ZodBody(moveTaskRequestSchema) body: z.output<typeof moveTaskRequestSchema>,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    const command = scheduleCommand('MoveTaskInWbs', projectId, {
      taskId: toTaskId(taskId),
      parentId: body.parentId === null ? null : toTaskId(body.parentId),
      ...(body.position !== undefined ? { position: body.position } : {}),
    });
    return changeSchedule(this.commands, projectId, principal, headers, res, fixedPlan(command));
  }

  @Delete(':taskId')
  @ApiOperation({ summary: 'Remove a task without progress from the WBS' })
  remove(
    @ProjectIdParam() projectId: string,
    @TaskIdParam() taskId: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: TraceHeaders,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, principal, headers, res, fixedPlan(scheduleCommand('RemoveTaskFromWbs', projectId, { taskId: toTaskId(taskId) })));
  }
}
