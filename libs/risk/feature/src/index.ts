export * from './lib/risk-feature.module';
export * from './lib/shared/risk-options';
export { RiskReadModel } from './lib/shared/risk-read-model';
export { RiskExposureRefresher } from './lib/exposure/risk-exposure.refresher';
