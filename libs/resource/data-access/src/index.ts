export * from './lib/resource.migrations';
export * from './lib/resource-read-model.schema';
export * from './lib/allocation-dirty';
export * from './lib/resource-pool.projection';
export * from './lib/planning-tasks.projection';
export * from './lib/resource-read.queries';
export * from './lib/utilisation.queries';
export * from './lib/tenant-settings.schema';
