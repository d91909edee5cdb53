import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { scheduleAggregate, scheduleStreamId } from '@pm/planning/domain';
import type { ScheduleCommand, ScheduleStreamEvent } from '@pm/planning/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';

/** Changes to one project's schedule, decided together and concluded by one critical-path recalculation. */
export class ChangeScheduleCommand {
  constructor(
    readonly projectId: string,
    readonly ctx: RequestContext,
    readonly commands: readonly ScheduleCommand[],
  ) {}
}

export interface ScheduleChangeResult {
  readonly projectId: string;
  readonly version: number;
  /** What the commands decided. */
  readonly changes: readonly ScheduleStreamEvent[];
  /** What the recalculation concluded from them (ADR 0100). */
  readonly calculation: readonly ScheduleStreamEvent[];
}

@CommandHandler(ChangeScheduleCommand)
export class ChangeScheduleHandler implements ICommandHandler<ChangeScheduleCommand, ScheduleChangeResult> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ projectId, ctx, commands }: ChangeScheduleCommand): Promise<ScheduleChangeResult> {
    const streamId = scheduleStreamId(ctx.principal.tenantId, projectId);
    const { decided, concluded, version } = await this.writePath.handle(ctx, scheduleAggregate, streamId, commands);
    return { projectId, version, changes: decided, calculation: concluded };
  }
}
