export * from './lib/risk.migrations';
export * from './lib/risk-read-model.schema';
export * from './lib/risk-register.projection';
export * from './lib/risk-read.queries';
export * from './lib/read-model-lag';
export * from './lib/exposure/risk-exposure.schema';
export * from './lib/exposure/exposure-marking.projection';
export * from './lib/exposure/risk-exposure.queries';
