export * from './lib/project-summary.schema';
export * from './lib/project-summary.projection';
export * from './lib/project-summary.queries';
export * from './lib/reporting.migrations';
export * from './lib/portfolio.schema';
export * from './lib/portfolio.projection';
export * from './lib/portfolio.queries';
export * from './lib/portfolio.test-events';
