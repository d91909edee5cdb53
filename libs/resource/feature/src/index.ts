export * from './lib/resource-feature.module';
export * from './lib/shared/resource-options';
