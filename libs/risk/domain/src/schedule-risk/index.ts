export * from './schedule-risk.decider';
export * from './schedule-risk-settings.decider';
export * from './register-risk-events';
