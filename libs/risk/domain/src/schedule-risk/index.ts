export * from './schedule-risk.decider';
