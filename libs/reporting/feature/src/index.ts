export * from './lib/reporting-feature.module';
export * from './lib/portfolio-projections.consumer';
export * from './lib/read-your-writes';
export * from './lib/freshness.providers';
export * from './lib/reporting-rebuild';
export * from './lib/rebuild-history';
