export { startTelemetry, shutdownTelemetry } from './telemetry.sdk';
export type { Telemetry, TelemetryOptions } from './telemetry.sdk';
export { activeTraceIds, currentTraceparent, contextFromTraceparent, withTraceparent } from './trace-context.util';
export type { TraceIds } from './trace-context.util';
export { ObservabilityModule, ObservabilityLifecycle } from './observability.module';
export { resolveMetricsExposure, hasMetricsToken } from './metrics-exposure';
export type { MetricsExposure } from './metrics-exposure';
export { OBSERVABILITY_OPTIONS } from './observability.options';
export type { ObservabilityOptions, ResolvedObservabilityOptions } from './observability.options';
export { loggerParams, REQUEST_ID_HEADER } from './logger.config';
export { redactSensitive, REDACTED, SENSITIVE_KEY } from './log-redaction';
export {
  metricsRegistry,
  defineCounter,
  defineGauge,
  defineHistogram,
  httpRequestDuration,
  HTTP_DURATION_METRIC,
} from './metrics.registry';
export { UNMATCHED_ROUTE } from './http-metrics.middleware';
export { READINESS_CHECKS, provideReadinessCheck, isReadinessCheck } from './readiness';
export type { ReadinessCheck, ReadinessCheckProviderOptions } from './readiness';
export { ReadinessService } from './readiness.service';
export { HealthController, DEFAULT_READINESS_TIMEOUT_MS } from './health.controller';
export { bootstrapService, hostModule, runService } from './service.bootstrap';
export type { AppModuleRef, BootstrapServiceOptions } from './service.bootstrap';
export { nestLogger, silentLogger } from './structured-logger';
export type { StructuredLogger } from './structured-logger';
