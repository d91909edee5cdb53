import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration, Metric } from 'prom-client';

/**
 * The one registry `/metrics` serves. Other libs add their metrics to it through the
 * `define*` helpers (e.g. relay lag, consumer retries), never to prom-client's global one.
 */
export const metricsRegistry = new Registry();

let defaultMetricsCollected = false;

/** Process metrics (CPU, memory, event loop lag, GC) on the shared registry, once per process. */
export function collectProcessMetrics(): void {
  if (defaultMetricsCollected) return;
  collectDefaultMetrics({ register: metricsRegistry });
  defaultMetricsCollected = true;
}

type Configuration<C> = Omit<C, 'registers'>;

// Get-or-create: modules are instantiated once per app, but tests build many apps in one
// process, and prom-client throws when a name is registered twice.
function define<M extends Metric<string>>(name: string, create: () => M, kind: new (...args: never[]) => M): M {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) {
    if (!(existing instanceof kind)) throw new Error(`Metric ${name} is already registered as another type`);
    return existing;
  }
  return create();
}

export function defineCounter<T extends string>(config: Configuration<CounterConfiguration<T>>): Counter<T> {
  return define(config.name, () => new Counter<T>({ ...config, registers: [metricsRegistry] }), Counter);
}

export function defineGauge<T extends string>(config: Configuration<GaugeConfiguration<T>>): Gauge<T> {
  return define(config.name, () => new Gauge<T>({ ...config, registers: [metricsRegistry] }), Gauge);
}

export function defineHistogram<T extends string>(config: Configuration<HistogramConfiguration<T>>): Histogram<T> {
  return define(config.name, () => new Histogram<T>({ ...config, registers: [metricsRegistry] }), Histogram);
}

export const HTTP_DURATION_METRIC = 'http_server_request_duration_seconds';

export function httpRequestDuration(): Histogram<'method' | 'route' | 'status'> {
  return defineHistogram({
    name: HTTP_DURATION_METRIC,
    help: 'Duration of HTTP requests handled, by method, matched route and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
}
