export * from './lib/portfolio-health.rules';
export * from './lib/portfolio-order';
export * from './lib/health-rules.policy';
