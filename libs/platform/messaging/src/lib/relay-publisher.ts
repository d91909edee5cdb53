import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { Message, Producer } from 'kafkajs';
import type { KafkaEventMessage } from '@pm/contracts';

/**
 * Below the broker's default `message.max.bytes` (1,048,588) for the record batch of one partition, with room
 * for the batch header. A request never holds more than this in total, so no partition's batch can exceed it.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 1_000_000;

// A record's own framing in a v2 record batch (length, attributes, deltas, key/value lengths as varints) and
// each header's (two lengths), rounded up.
const RECORD_OVERHEAD_BYTES = 32;
const HEADER_OVERHEAD_BYTES = 10;

/** What one record adds to a produce request, uncompressed. */
export function recordBytes(message: KafkaEventMessage): number {
  let n = RECORD_OVERHEAD_BYTES + Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [k, v] of Object.entries(message.headers)) {
    if (typeof v === 'string') n += HEADER_OVERHEAD_BYTES + Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  return n;
}

/**
 * Gathers items, in order, into requests of at most `maxBytes`. An item larger than that on its own is sent
 * alone: the broker refuses it, and the relay stops there rather than skip it (the error is logged).
 */
export class ByteBatcher<T> {
  private items: T[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds an item; returns the request it closed when the item did not fit in the open one. */
  add(item: T, size: number): T[] | undefined {
    const closed = this.items.length > 0 && this.bytes + size > this.maxBytes ? this.take() : undefined;
    this.items.push(item);
    this.bytes += size;
    return closed;
  }

  /** The open request (possibly empty); the next add starts a new one. */
  take(): T[] {
    const items = this.items;
    this.items = [];
    this.bytes = 0;
    return items;
  }
}

const tracer = trace.getTracer('@pm/platform/messaging');

export interface TracedRequest {
  readonly messages: Message[];
  end(error?: unknown): void;
}

/**
 * One producer span per message, each a child of the trace context stored with its own event (a request carries
 * events of many commands, and each publish belongs to the trace of the command that stored it). The message's
 * `traceparent` header stays the stored one: headers repeat the CloudEvent's attributes (the contract), so the
 * header and the `traceparent` extension in the value always agree, and a consumer continues the command's trace.
 */
export function tracedRequest(topic: string, messages: readonly KafkaEventMessage[], traceparents: ReadonlyArray<string | null | undefined>): TracedRequest {
  const spans: Span[] = [];
  const out = messages.map((m, i): Message => {
    const stored = traceparents[i];
    const parent = stored ? propagation.extract(ROOT_CONTEXT, { traceparent: stored }) : ROOT_CONTEXT;
    spans.push(
      tracer.startSpan(
        `send ${topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.kafka.message.key': m.key, 'messaging.operation.type': 'send' },
        },
        parent,
      ),
    );
    return { key: m.key, value: m.value, headers: { ...m.headers } };
  });
  return {
    messages: out,
    end(error?: unknown) {
      for (const span of spans) {
        if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
      }
    },
  };
}

type Send = Producer['send'];

/**
 * The producer's `send` without the OpenTelemetry kafkajs instrumentation's wrapper (shimmer keeps the original
 * as `__original`). That wrapper starts every message's span in the one context active at the call and writes
 * its context over each message's `traceparent` header: a whole batch would be filed under one trace, and the
 * header would no longer repeat the event's `traceparent`. The relay starts the per-message spans itself.
 */
export function uninstrumentedSend(producer: Producer): Send {
  const send = producer.send as Send & { __original?: Send };
  const original = typeof send.__original === 'function' ? send.__original : send;
  return original.bind(producer);
}
