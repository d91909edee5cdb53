// One line per aggregate: importing a contract module is what registers its events.
export * from './project.contracts';
export {
  baselineNumberSchema,
  constraintTypeSchema,
  dependencyIdSchema,
  dependencyTypeSchema,
  projectCalendarSchema,
  taskConstraintSchema,
  taskIdSchema,
  taskKindSchema,
  taskNameSchema,
} from './schedule-primitives.schema';
export * from './schedule-wbs.contracts';
export * from './schedule-estimates.contracts';
export * from './schedule-progress.contracts';
export * from './schedule-calculation.contracts';
export * from './project-lifecycle.contracts';
export * from './change-request.contracts';
export * from './tenant-calendar.contracts';
export * from './schedule-status-date.contracts';
export * from './levelling-decision.contracts';
export * from './schedule-import.contracts';
export * from './earned-value.contracts';
