import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { TextMapGetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

const headerGetter: TextMapGetter<IHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    const one = Array.isArray(value) ? value[0] : value;
    return one === undefined ? undefined : one.toString();
  },
};

const tracer = trace.getTracer('@pm/platform/messaging');

/**
 * Runs one message's handler in a span that continues the trace its `traceparent` header carries. A batch holds
 * events of many requests, so the trace is per message, not per batch (the kafkajs instrumentation only links
 * a batch's messages to its receive span).
 */
export async function inMessageTrace<T>(
  message: { topic: string; partition: number; offset: string; headers?: IHeaders },
  fn: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, message.headers ?? {}, headerGetter);
  const span = tracer.startSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': message.topic,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.kafka.offset': Number(message.offset),
        'messaging.operation.type': 'process',
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}
