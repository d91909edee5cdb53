export * from './lib/reporting-feature.module';
export * from './lib/portfolio-projections.consumer';
export * from './lib/read-your-writes';
export * from './lib/freshness.providers';
