import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// Its own W3C propagator rather than the global one: a traceparent is W3C by definition, and
// this keeps working in tests and tools that never start the SDK.
const w3c = new W3CTraceContextPropagator();
const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };
const getter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};

export interface TraceIds {
  traceId: string;
  spanId: string;
}

/** Trace and span id of the active span, for logs and problem responses. */
export function activeTraceIds(): TraceIds | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/**
 * The active trace context as a W3C `traceparent` header value. The event store saves it with
 * each event, so whoever handles the event later continues the same trace.
 */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(context.active(), carrier, setter);
  return carrier['traceparent'];
}

/** The context a stored `traceparent` describes, as the parent for new spans. */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return context.active();
  return w3c.extract(context.active(), { traceparent }, getter);
}

/**
 * Runs `fn` as a continuation of the trace a stored `traceparent` names: the Kafka relay
 * publishes each event inside it, so the producer span joins the trace of the request that
 * appended the event. An absent or malformed value runs `fn` in the current context.
 */
export function withTraceparent<T>(traceparent: string | undefined, fn: () => T): T {
  return context.with(contextFromTraceparent(traceparent), fn);
}
