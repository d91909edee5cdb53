// One line per aggregate: importing a contract module is what registers its events.
export {
  issueSeveritySchema,
  opportunityStrategySchema,
  responseStrategySchema,
  riskDimensionSchema,
  riskKindSchema,
  riskLocalIdSchema,
  riskRatingSchema,
  riskStatusSchema,
  scaleLevelSchema,
  threatStrategySchema,
} from './risk-primitives.schema';
export * from './risk.contracts';
export * from './risk-response.contracts';
export * from './risk-schedule-impact.contracts';
export * from './issue.contracts';
export * from './risk-settings.contracts';
export * from './risk-due.contracts';
export * from './automatic-risk.contracts';
export * from './exposure.contracts';
export * from './schedule-risk.contracts';
