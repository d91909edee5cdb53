import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { projectAggregate, projectStreamId, scheduleAggregate, scheduleStreamId, toProjectId } from '@pm/planning/domain';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { commandMetadata } from '../../schedule/schedule-http';
import type { ScheduleChangeResponse } from '../../schedule/schedule-http';
import type { ProjectChangeResult } from './change-project.handler';

export class SetStatusDateCommand {
  constructor(
    readonly projectId: string,
    readonly ctx: RequestContext,
    readonly statusDate: string,
  ) {}
}

export interface StatusDateResult {
  readonly project: ProjectChangeResult;
  /** The schedule's reforecast, or null when the project has no schedule yet. */
  readonly schedule: ScheduleChangeResponse | null;
}

/**
 * The project's status date is also the data date its schedule reforecasts from (ADR 0105): both streams take it in
 * one transaction, so no reader ever sees one without the other.
 */
@CommandHandler(SetStatusDateCommand)
export class SetStatusDateHandler implements ICommandHandler<SetStatusDateCommand, StatusDateResult> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ projectId, ctx, statusDate }: SetStatusDateCommand): Promise<StatusDateResult> {
    const tenantId = ctx.principal.tenantId;
    const pid = toProjectId(projectId);
    const metadata = commandMetadata(ctx);
    const projectStream = projectStreamId(tenantId, projectId);
    const scheduleStream = scheduleStreamId(tenantId, projectId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const project = await tx.decide(projectAggregate, projectStream, { type: 'SetProjectStatusDate', data: { projectId: pid, statusDate }, metadata });
      const schedule = await tx.load(scheduleAggregate, scheduleStream);
      if (schedule.state.status === 'open') await tx.decide(scheduleAggregate, scheduleStream, { type: 'SetScheduleStatusDate', data: { projectId: pid, statusDate }, metadata });
      return { status: project.state.status, scheduleOpen: schedule.state.status === 'open' };
    });
    const project = committedOf(outcome, projectAggregate, projectStream);
    const schedule = outcome.result.scheduleOpen ? committedOf(outcome, scheduleAggregate, scheduleStream) : undefined;
    return {
      project: { projectId, version: project?.version ?? 0, status: outcome.result.status, changes: project?.decided ?? [] },
      schedule: schedule
        ? { projectId, version: schedule.version, changes: schedule.decided, calculation: schedule.concluded }
        : null,
    };
  }
}
