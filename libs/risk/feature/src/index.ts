export * from './lib/risk-feature.module';
export * from './lib/shared/risk-options';
export { RiskReadModel } from './lib/shared/risk-read-model';
