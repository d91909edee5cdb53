import { trace } from '@opentelemetry/api';
import { shutdownTelemetry, startTelemetry } from './telemetry.sdk';
import { activeTraceIds, currentTraceparent, withTraceparent } from './trace-context.util';

describe('trace context helpers', () => {
  beforeAll(() => {
    delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    const telemetry = startTelemetry({ serviceName: 'trace-spec' });
    expect(telemetry.exporting).toBe(false);
  });

  afterAll(() => shutdownTelemetry());

  const tracer = () => trace.getTracer('spec');

  it('has no traceparent outside a span', () => {
    expect(currentTraceparent()).toBeUndefined();
    expect(activeTraceIds()).toBeUndefined();
  });

  it('gives trace ids without an exporter, and the active span as a W3C traceparent; a trace started here records nothing', () => {
    tracer().startActiveSpan('append events', (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(activeTraceIds()).toEqual({ traceId, spanId });
      // Nothing exports, so a trace that starts here is not sampled, and says so to whoever continues it.
      expect(span.isRecording()).toBe(false);
      expect(currentTraceparent()).toBe(`00-${traceId}-${spanId}-00`);
      span.end();
    });
  });

  it('continues a stored trace: spans started inside are children of the stored context', async () => {
    const stored = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const child = await withTraceparent(stored, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return tracer().startActiveSpan('publish', (span) => {
        span.end();
        return { context: span.spanContext(), traceparent: currentTraceparent() };
      });
    });
    expect(child.context.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    // A caller that samples keeps its trace whole through a service that does not export.
    expect(child.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(child.context.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('runs in the current context when there is no stored traceparent, or a malformed one', () => {
    expect(withTraceparent(undefined, () => currentTraceparent())).toBeUndefined();
    expect(withTraceparent('garbage', () => currentTraceparent())).toBeUndefined();
  });
});
