import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, BatchSpanProcessor, NoopSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { HttpRequest } from '@pm/platform/http';
import { handlerRoute } from './http-metrics.middleware';
import { isProbePath } from './probe-paths';

export interface TelemetryOptions {
  serviceName: string;
}

export interface Telemetry {
  /** True when spans leave the process (OTLP endpoint configured). */
  readonly exporting: boolean;
  /** Flushes pending spans; safe to call more than once. */
  shutdown(): Promise<void>;
}

let started: Telemetry | undefined;

/**
 * Starts OpenTelemetry tracing. Call it before anything loads `pg` or `kafkajs` (the first
 * thing in main.ts; `bootstrapService` does) because instrumentation patches modules as they
 * are first required. Idempotent: later calls return the first handle.
 *
 * Spans are exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces-specific
 * variable) is set, sampled as `OTEL_TRACES_SAMPLER` says (parent-based, always on, by default).
 * Without it a tracer provider is still installed, so requests still get trace ids for logs,
 * problem responses and the traceparent stored with each event, but its spans record nothing:
 * nobody would read them, and recording them (attributes, events, timings of every request and
 * query, then dropped) was about an eighth of a busy service's CPU (ADR 0023).
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (started) return started;
  const exporting = Boolean(
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
  );
  const spanProcessor: SpanProcessor = exporting ? new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }) : new NoopSpanProcessor();
  const instrumentations = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => isProbePath(request.url),
      // No Express instrumentation is installed; name server spans after the matched route
      // so traces read `GET /projects/:projectId` rather than just `GET`.
      applyCustomAttributesOnSpan: (span, request) => {
        // Client spans get a ClientRequest, which never has a matched route.
        const route = handlerRoute(request as HttpRequest);
        if (!route) return;
        span.setAttribute('http.route', route);
        span.updateName(`${(request as HttpRequest).method ?? 'GET'} ${route}`);
      },
    }),
    // Pollers (relay, projections) query constantly; only queries inside a trace are worth a span, and only when
    // spans leave the process (a query's span is nothing but cost otherwise: the trace ids come from the request's).
    ...(exporting ? [new PgInstrumentation({ requireParentSpan: true })] : []),
    new KafkaJsInstrumentation(),
  ];
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    textMapPropagator: new W3CTraceContextPropagator(),
    // Not recording still propagates: a non-recording span keeps its trace and span ids.
    ...(exporting ? {} : { sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }),
    spanProcessors: [spanProcessor],
    // Metrics are Prometheus (prom-client) and logs are pino on stdout; without these empty
    // lists the SDK would start OTLP metric and log exporters of its own.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  let shutdown: Promise<void> | undefined;
  const stop = async () => {
    await sdk.shutdown();
    // The SDK leaves modules patched and its globals registered; undo both so a process (a
    // test worker) can start telemetry again cleanly.
    for (const instrumentation of instrumentations) instrumentation.disable();
    trace.disable();
    context.disable();
    propagation.disable();
    started = undefined;
  };
  started = { exporting, shutdown: () => (shutdown ??= stop()) };
  return started;
}

/** Flushes and stops the SDK if it was started; used by the observability module on shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  await started?.shutdown();
}
