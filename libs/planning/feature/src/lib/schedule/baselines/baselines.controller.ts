import { Controller, Delete, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Roles } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { ProjectIdParam } from '../project-id.param';
import { ScheduleCaller, changeSchedule } from '../schedule-http';
import type { ScheduleCall, ScheduleChangeResponse } from '../schedule-http';
import { baselineNumberParam, saveBaselineRequestSchema } from '../schedule.requests';
import { ApiScheduleChange } from '../../openapi-bodies';

const BaselineNumberParam = (): ParameterDecorator => ZodParam('baselineNumber', baselineNumberParam);

@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule/baselines')
@Roles('pmo-admin', 'project-manager')
export class BaselinesController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':baselineNumber')
  @ApiOperation({ summary: 'Save baseline N (0…10) of the current dates, work and cost; overwriting needs overwrite: true' })
  @ApiScheduleChange()
  save(
    @ProjectIdParam() projectId: string,
    @BaselineNumberParam() baselineNumber: number,
    @ZodBody(saveBaselineRequestSchema) body: z.output<typeof saveBaselineRequestSchema>,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    // The schedule computes the dates itself (the engine's current ones), so the caller cannot supply others.
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [
      { type: 'SaveBaseline', data: { projectId: pid, baselineNumber, overwrite: body.overwrite }, metadata },
    ]);
  }

  @Delete(':baselineNumber')
  @ApiOperation({ summary: 'Clear baseline N' })
  @ApiScheduleChange()
  clear(
    @ProjectIdParam() projectId: string,
    @BaselineNumberParam() baselineNumber: number,
    @ScheduleCaller() call: ScheduleCall,
  ): Promise<ScheduleChangeResponse> {
    return changeSchedule(this.commands, projectId, call, (metadata, pid) => [{ type: 'ClearBaseline', data: { projectId: pid, baselineNumber }, metadata }]);
  }
}
