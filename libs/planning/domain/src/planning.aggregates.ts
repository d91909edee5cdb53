import { snapshotPolicy } from '@pm/shared/ddd';
import type { Aggregate } from '@pm/shared/ddd';
import { changeRequestDecider } from './change-request/change-request.decider';
import type { ChangeRequestCommand } from './change-request/change-request.commands';
import type { ChangeRequestEvent } from './change-request/change-request.events';
import type { ChangeRequestState } from './change-request/change-request.state';
import { projectDecider } from './project/project.decider';
import type { ProjectCommand } from './project/project.commands';
import type { ProjectEvent } from './project/project.events';
import type { ProjectState } from './project/project.state';
import { tenantCalendarDecider } from './tenant-calendar/tenant-calendar.decider';
import type { TenantCalendarCommand, TenantCalendarEvent, TenantCalendarState } from './tenant-calendar/tenant-calendar.decider';

export { scheduleAggregate } from './schedule/schedule.aggregate';

/** A project's lifecycle, gates and charter: a stream that grows for years, so it is loaded from snapshots. */
export const projectAggregate: Aggregate<ProjectCommand, ProjectEvent, ProjectState> = {
  name: 'planning.project',
  context: 'planning',
  decider: projectDecider,
  snapshot: snapshotPolicy<ProjectState>('planning.project', 1, 100),
};

export const changeRequestAggregate: Aggregate<ChangeRequestCommand, ChangeRequestEvent, ChangeRequestState> = {
  name: 'planning.change-request',
  context: 'planning',
  decider: changeRequestDecider,
};

export const tenantCalendarAggregate: Aggregate<TenantCalendarCommand, TenantCalendarEvent, TenantCalendarState> = {
  name: 'planning.tenant-calendar',
  context: 'planning',
  decider: tenantCalendarDecider,
};
