export * from '@pm/shared/ddd';
export * from './shared/command-metadata';
export * from './shared/iso-date';

// Project: lifecycle, phase gates, objectives and KPIs, scope statement, status date.
export * from './project/project.ids';
export * from './project/project.commands';
export * from './project/project.events';
export * from './project/project.state';
export * from './project/project.rules';
export * from './project/project.decider';
export { evolveProject } from './project/project.evolve';
export { objectiveMustBeMeasurable } from './project/project-charter.decisions';
export { DEFAULT_PROJECT_CURRENCY, DEFAULT_PROJECT_PRIORITY } from './project/project-lifecycle.decisions';

// Schedule: WBS, estimates, dependencies, calendar, progress, baselines, variance.
export * from './schedule/schedule.ids';
export * from './schedule/schedule.commands';
export * from './schedule/schedule.events';
export * from './schedule/schedule.state';
export * from './schedule/published-schedule';
export * from './schedule/schedule.rules';
export * from './schedule/schedule.decider';
export * from './schedule/project-calendar';
export * from './schedule/wbs';
export * from './schedule/variance';
export { evolveSchedule } from './schedule/schedule.evolve';
export * from './schedule/schedule-calculation';
export * from './schedule/schedule.aggregate';
export { baselineDatesMustCoverTheWbs, baselineNumberMustBeValid } from './schedule/baseline.decisions';
export { MAX_LAG_DAYS, dependencyMustNotCloseACycle, linkDependencies } from './schedule/dependency.decisions';
export * from './schedule/levelling.decisions';

// Tenant calendar: the default working calendar of a tenant, followed by schedules without their own.
export * from './tenant-calendar/tenant-calendar.decider';

// Earned value: pure functions over measures, time-phased planned value, schedule report.
export * from './earned-value/earned-value';
export * from './earned-value/planned-value';
export * from './earned-value/schedule-earned-value';
export * from './earned-value/reported-actual-cost';
export * from './earned-value/project-earned-value';

// Change requests: raise, assess, approve/reject under the change-control policy, apply.
export * from './change-request/change-request.ids';
export * from './change-request/change-request.commands';
export * from './change-request/change-request.events';
export * from './change-request/change-request.state';
export * from './change-request/change-request.rules';
export * from './change-request/change-request.decider';
export * from './change-request/proposed-change';
export * from './change-request/apply-change-to-schedule';
export { evolveChangeRequest } from './change-request/change-request.evolve';
export { proposedChangesMustBePlanChanges } from './change-request/change-request.decisions';
export * from './planning.aggregates';
export * from './change-request/change-impact';
