import { CommandBus, CommandHandler, QueryHandler } from '@nestjs/cqrs';
import type { ICommandHandler, IQueryHandler } from '@nestjs/cqrs';
import { TENANT_DEFAULT_CALENDAR_ID, tenantCalendarAggregate, tenantCalendarStreamId, tenantDefaultCalendar, toProjectId } from '@pm/planning/domain';
import type { ProjectCalendar, SetDefaultCalendar, TenantCalendarEvent } from '@pm/planning/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { ChangeScheduleCommand } from '../schedule/change-schedule.handler';
import type { ScheduleChangeResult } from '../schedule/change-schedule.handler';
import { commandMetadata } from '../schedule/schedule-http';
import { ScheduleViewRunner } from '../schedule/read/schedule-view.runner';

export interface TenantCalendarView {
  readonly calendar: ProjectCalendar;
  /** `built-in` until a pmo-admin sets one. */
  readonly source: 'built-in' | 'set';
  readonly version: number;
}

export class GetTenantCalendarQuery {
  constructor(readonly tenantId: string) {}
}

@QueryHandler(GetTenantCalendarQuery)
export class GetTenantCalendarHandler implements IQueryHandler<GetTenantCalendarQuery, TenantCalendarView> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ tenantId }: GetTenantCalendarQuery): Promise<TenantCalendarView> {
    const { state, version } = await this.writePath.load(tenantCalendarAggregate, tenantCalendarStreamId(tenantId), tenantId);
    return { calendar: tenantDefaultCalendar(state), source: state.status === 'set' ? 'set' : 'built-in', version };
  }
}

export class SetDefaultCalendarCommand {
  constructor(
    readonly ctx: RequestContext,
    readonly calendar: SetDefaultCalendar['data']['calendar'],
  ) {}
}

export interface DefaultCalendarSetResult extends TenantCalendarView {
  readonly changes: readonly TenantCalendarEvent[];
  /** Schedules that follow the default and moved onto it (with what their recalculation published). */
  readonly schedules: ReadonlyArray<{ projectId: string; version: number; calculation: number }>;
}

/**
 * Sets the tenant default, then moves every schedule that follows it (ADR 0104), each in its own plan: one
 * transaction per project, so a tenant with many projects never holds one long transaction. The schedules are
 * brought over even when the default itself did not change: a retry finishes a propagation that failed half-way,
 * and each schedule's own step is a no-op once it runs on the default.
 */
@CommandHandler(SetDefaultCalendarCommand)
export class SetDefaultCalendarHandler implements ICommandHandler<SetDefaultCalendarCommand, DefaultCalendarSetResult> {
  constructor(
    private readonly writePath: WritePath,
    private readonly commands: CommandBus,
    private readonly views: ScheduleViewRunner,
  ) {}

  async execute({ ctx, calendar }: SetDefaultCalendarCommand): Promise<DefaultCalendarSetResult> {
    const tenantId = ctx.principal.tenantId;
    const metadata = commandMetadata(ctx);
    const result = await this.writePath.handle(ctx, tenantCalendarAggregate, tenantCalendarStreamId(tenantId), { type: 'SetDefaultCalendar', data: { calendar }, metadata });
    const current = tenantDefaultCalendar(result.state);
    await this.views.catchUp(tenantId);
    const schedules = [];
    for (const projectId of await this.views.repository.projectsFollowingTenantCalendar(tenantId, TENANT_DEFAULT_CALENDAR_ID)) {
      const follow = { type: 'FollowTenantCalendar', data: { projectId: toProjectId(projectId), calendar: current }, metadata } as const;
      const moved = await this.commands.execute<ChangeScheduleCommand, ScheduleChangeResult>(new ChangeScheduleCommand(projectId, ctx, [follow]));
      if (moved.changes.length > 0) schedules.push({ projectId, version: moved.version, calculation: moved.calculation.length });
    }
    return { calendar: current, source: 'set', version: result.version, changes: result.events, schedules };
  }
}
