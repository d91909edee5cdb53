export * from './lib/reporting-feature.module';
export * from './lib/portfolio-projections.consumer';
export * from './lib/reporting-rebuild';
export * from './lib/rebuild-history';
