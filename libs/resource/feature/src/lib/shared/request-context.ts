import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import type { Principal } from '@pm/platform/auth';
import { eventMetadata } from '@pm/platform/event-store';
import type { EventMetadata } from '@pm/platform/event-store';
import type { Caller, CommandMetadata } from '@pm/resource/domain';

/** Who asked, when, and under which trace: everything a command carries in besides its data. */
export interface RequestContext {
  readonly principal: Principal;
  readonly now: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly traceparent: string | null;
}

const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

export function requestContext(principal: Principal, headers: { correlationId?: string; traceparent?: string } = {}): RequestContext {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent && headers.traceparent && TRACEPARENT.test(headers.traceparent)) carrier.traceparent = headers.traceparent;
  const commandId = randomUUID();
  const header = headers.correlationId;
  const correlationId = header && /^[\w.:-]{1,128}$/.test(header) ? header : commandId;
  return { principal, now: new Date().toISOString(), commandId, correlationId, traceparent: carrier.traceparent ?? null };
}

/** A context for work the service does on its own (re-evaluating over-allocation after a planning event). */
export function systemContext(tenantId: string, correlationId: string = randomUUID()): RequestContext {
  return {
    principal: { sub: 'resource-service', tenantId, roles: [], actor: 'service:resource-service' },
    now: new Date().toISOString(),
    commandId: randomUUID(),
    correlationId,
    traceparent: null,
  };
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

export const commandMetadata = (ctx: RequestContext): CommandMetadata => ({ now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId });
export const callerOf = (ctx: RequestContext): Caller => ({ userId: ctx.principal.sub, roles: ctx.principal.roles });
