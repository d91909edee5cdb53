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

export function requestContext(principal: Principal, correlationHeader?: string): RequestContext {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
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
