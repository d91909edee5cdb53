import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import type { Principal } from '@pm/platform/auth';
import type { EventMetadata } from './event-store.types';
import { eventMetadata } from './pg-event-store';

/** Who asked, when, and under which trace: everything a command carries in besides its data. */
export interface RequestContext {
  readonly principal: Principal;
  readonly now: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly traceparent: string | null;
}

const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/**
 * The trace context stored with the events is the active span's (OpenTelemetry continues the caller's trace);
 * without an active span, a valid incoming `traceparent` is carried as is, so the chain is not lost. A caller's
 * `x-correlation-id` is kept when it is a sane token; otherwise the command id correlates.
 */
export function requestContext(principal: Principal, headers: { correlationId?: string; traceparent?: string } = {}): RequestContext {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent && headers.traceparent && TRACEPARENT.test(headers.traceparent)) carrier.traceparent = headers.traceparent;
  const commandId = randomUUID();
  const header = headers.correlationId;
  const correlationId = header && CORRELATION_ID.test(header) ? header : commandId;
  return { principal, now: new Date().toISOString(), commandId, correlationId, traceparent: carrier.traceparent ?? null };
}

/** A context for work a service does on its own behalf (reacting to another context's event). */
export function systemContext(service: string, tenantId: string, correlationId: string = randomUUID()): RequestContext {
  return {
    principal: { sub: service, tenantId, roles: [], actor: `service:${service}` },
    now: new Date().toISOString(),
    commandId: randomUUID(),
    correlationId,
    traceparent: null,
  };
}

/** Metadata of the events a command produces: caused by the command, correlated with the request. */
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
