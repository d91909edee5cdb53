import type { DestinationStream } from 'pino';
import { resolveMetricsExposure } from './metrics-exposure';
import type { MetricsExposure } from './metrics-exposure';
import type { ReadinessCheck } from './readiness';

export interface ObservabilityOptions {
  serviceName: string;
  /** Checks known up front; modules add theirs with `provideReadinessCheck`. */
  readinessChecks?: ReadinessCheck[];
  /** Per check; `READINESS_TIMEOUT_MS`, else 2000. */
  readinessTimeoutMs?: number;
  /**
   * How long to keep serving after SIGTERM while readiness already answers 503, so the load
   * balancer stops routing here before the server closes; `SHUTDOWN_DELAY_MS`, else 0.
   */
  shutdownDelayMs?: number;
  /** Log level; `LOG_LEVEL`, else `info`. */
  logLevel?: string;
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
  /** Where `/metrics` is served; `METRICS_PORT`, `METRICS_TOKEN` and `NODE_ENV` (see {@link resolveMetricsExposure}). */
  metrics?: MetricsExposure;
}

export type ResolvedObservabilityOptions = ObservabilityOptions & { metrics: MetricsExposure };

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

export function withEnvDefaults(options: ObservabilityOptions, env: NodeJS.ProcessEnv = process.env): ResolvedObservabilityOptions {
  const intFrom = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);
  return {
    ...options,
    readinessTimeoutMs: options.readinessTimeoutMs ?? intFrom(env['READINESS_TIMEOUT_MS']),
    shutdownDelayMs: options.shutdownDelayMs ?? intFrom(env['SHUTDOWN_DELAY_MS']) ?? 0,
    logLevel: options.logLevel ?? env['LOG_LEVEL'] ?? 'info',
    metrics: options.metrics ?? resolveMetricsExposure(env),
  };
}
