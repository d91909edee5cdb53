export * from './lib/portfolio-health.rules';
export * from './lib/portfolio-order';
export * from './lib/earned-value-curves';
export * from './lib/milestone-trend';
export * from './lib/portfolio-heat-maps';
export * from './lib/health-rules.policy';
