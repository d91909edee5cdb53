import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { scheduleAggregate, scheduleStreamId } from '@pm/planning/domain';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import type { MspdiProject } from '@pm/shared/interchange';
import type { ScheduleChangeResult } from '../change-schedule.handler';
import { commandMetadata } from '../schedule-http';
import { importMspdiPlan } from './mspdi-import.plan';

export class ImportScheduleCommand {
  constructor(
    readonly projectId: string,
    readonly ctx: RequestContext,
    readonly project: MspdiProject,
  ) {}
}

export interface ScheduleImportResult extends ScheduleChangeResult {
  readonly warnings: readonly string[];
}

/** A Microsoft Project plan into an empty schedule: one plan, one transaction, one recalculation. */
@CommandHandler(ImportScheduleCommand)
export class ImportScheduleHandler implements ICommandHandler<ImportScheduleCommand, ScheduleImportResult> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ projectId, ctx, project }: ImportScheduleCommand): Promise<ScheduleImportResult> {
    const streamId = scheduleStreamId(ctx.principal.tenantId, projectId);
    const outcome = await this.writePath.run(ctx, (tx) => importMspdiPlan(tx, streamId, projectId, project, commandMetadata(ctx)));
    const schedule = committedOf(outcome, scheduleAggregate, streamId);
    return { projectId, version: schedule?.version ?? 0, changes: schedule?.decided ?? [], calculation: schedule?.concluded ?? [], warnings: [...new Set(outcome.result)] };
  }
}
