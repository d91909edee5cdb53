export * from './lib/reporting-feature.module';
export * from './lib/portfolio-projections.consumer';
