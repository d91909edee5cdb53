// One line per aggregate: importing a contract module is what registers its events.
export {
  assignmentLoadSchema,
  costCategorySchema,
  moneySchema,
  overallocatedPeriodSchema,
  planningTaskIdSchema,
  proficiencySchema,
  resourceCalendarSchema,
  resourceKindSchema,
} from './resource-primitives.schema';
export * from './resource-pool.contracts';
export * from './assignment.contracts';
export * from './cost.contracts';
export * from './budget.contracts';
export * from './levelling.contracts';
export * from './tenant-settings.contracts';
export * from './utilisation.contracts';
