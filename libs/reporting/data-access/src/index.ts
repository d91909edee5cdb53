export * from './lib/project-summary.schema';
export * from './lib/project-summary.projection';
export * from './lib/project-summary.queries';
export * from './lib/reporting.migrations';
