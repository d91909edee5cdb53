import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Producer } from 'kafkajs';
import type { KafkaEventMessage } from '@pm/contracts';
import { ByteBatcher, recordBytes, tracedRequest, uninstrumentedSend } from './relay-publisher';

const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const stored = [traceparentOf('a'.repeat(32), '1'.repeat(16)), traceparentOf('b'.repeat(32), '2'.repeat(16)), null, traceparentOf('c'.repeat(32), '3'.repeat(16))];

function message(i: number, traceparent: string | null): KafkaEventMessage {
  return {
    key: `stream-${i}`,
    value: JSON.stringify({ id: i, data: 'x'.repeat(i * 10) }),
    headers: {
      ce_type: 'pm.planning.ProjectCreated',
      ce_id: `id-${i}`,
      ce_tenantid: 't',
      'content-type': 'application/cloudevents+json',
      ...(traceparent ? { traceparent } : {}),
    },
  };
}
const messages = stored.map((t, i) => message(i, t));

describe('ByteBatcher', () => {
  it('keeps the order and puts at most maxBytes in a request; an oversized item goes alone', () => {
    const sizes = [3, 4, 2, 9, 1, 1, 5];
    const batcher = new ByteBatcher<number>(7);
    const requests: number[][] = [];
    for (const n of sizes) {
      const closed = batcher.add(n, n);
      if (closed) requests.push(closed);
    }
    requests.push(batcher.take());
    expect(requests).toEqual([[3, 4], [2], [9], [1, 1, 5]]);
    expect(requests.flat()).toEqual(sizes);
  });

  it('counts key, value and headers of a record', () => {
    const m = messages[1];
    expect(recordBytes(m)).toBeGreaterThan(Buffer.byteLength(m.value) + Buffer.byteLength(m.key) + Object.keys(m.headers).length);
  });
});

describe('tracedRequest', () => {
  it('without an OpenTelemetry SDK, gives each message exactly the traceparent stored with its event', () => {
    const req = tracedRequest('pm.planning.events', messages, stored);
    req.end();
    expect(req.messages.map((m) => m.headers?.['traceparent'])).toEqual([stored[0], stored[1], undefined, stored[3]]);
    expect(req.messages.map((m) => m.value)).toEqual(messages.map((m) => m.value));
  });

  describe('with an SDK', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    beforeAll(() => {
      trace.setGlobalTracerProvider(provider);
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      trace.disable();
      propagation.disable();
    });

    it('starts one producer span per message, each the child of its own event\'s stored context; headers keep the stored one', async () => {
      const req = tracedRequest('pm.planning.events', messages, stored);
      req.end();
      await provider.forceFlush();
      const spans = exporter.getFinishedSpans();
      expect(spans).toHaveLength(4);
      expect(req.messages.map((m) => m.headers?.['traceparent'])).toEqual([stored[0], stored[1], undefined, stored[3]]);
      spans.forEach((span, i) => {
        if (stored[i]) {
          const [, storedTrace, storedSpan] = stored[i]!.split('-');
          expect(span.spanContext().traceId).toBe(storedTrace);
          expect(span.parentSpanContext?.spanId).toBe(storedSpan);
        } else {
          // No stored context: the publish starts a trace of its own rather than borrow a neighbour's.
          expect(span.parentSpanContext).toBeUndefined();
          expect(['a', 'b', 'c'].map((c) => c.repeat(32))).not.toContain(span.spanContext().traceId);
        }
      });
    });
  });
});

describe('uninstrumentedSend', () => {
  it('calls the function the OpenTelemetry kafkajs wrapper keeps as __original', async () => {
    const calls: string[] = [];
    const original = async () => {
      calls.push('original');
      return [];
    };
    const wrapper = Object.assign(async () => {
      calls.push('wrapper');
      return [];
    }, { __original: original });
    await uninstrumentedSend({ send: wrapper } as unknown as Producer)({ topic: 't', messages: [] });
    await uninstrumentedSend({ send: original } as unknown as Producer)({ topic: 't', messages: [] });
    expect(calls).toEqual(['original', 'original']);
  });
});
