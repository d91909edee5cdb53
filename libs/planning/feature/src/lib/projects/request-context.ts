import { randomUUID } from 'node:crypto';
import { propagation, context } from '@opentelemetry/api';
import type { Principal } from '@pm/platform/auth';
import { eventMetadata } from '@pm/platform/event-store';
import type { EventMetadata } from '@pm/platform/event-store';

/** Who asked, when, and under which trace: everything a command carries in besides its data. */
export interface RequestContext {
  readonly principal: Principal;
  readonly now: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly traceparent: string | null;
}

const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace context stored with the events is the active span's (OpenTelemetry continues the caller's trace);
 * without an active span, a valid incoming `traceparent` is carried as is, so the chain is not lost.
 */
export function requestContext(principal: Principal, headers: { correlationId?: string; traceparent?: string } = {}): RequestContext {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent && headers.traceparent && TRACEPARENT.test(headers.traceparent)) carrier.traceparent = headers.traceparent;
  const correlationHeader = headers.correlationId;
  const commandId = randomUUID();
  const correlation = correlationHeader && /^[\w.:-]{1,128}$/.test(correlationHeader) ? correlationHeader : commandId;
  return { principal, now: new Date().toISOString(), commandId, correlationId: correlation, traceparent: carrier.traceparent ?? null };
}

export function metadataFor(ctx: RequestContext): EventMetadata {
  return eventMetadata({
    tenantId: ctx.principal.tenantId,
    actor: ctx.principal.actor,
    occurredAt: ctx.now,
    correlationId: ctx.correlationId,
    causationId: ctx.commandId,
    traceparent: ctx.traceparent,
  });
}
