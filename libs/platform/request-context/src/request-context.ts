import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import { systemClock } from './clock';
import type { Clock } from './clock';
import type { Principal } from './principal';

/** Who asked, when, why and under which trace: everything a command carries in besides its data. */
export interface RequestContext {
  readonly principal: Principal;
  /** ISO-8601 instant the command is decided at; deciders read it instead of a clock. */
  readonly now: string;
  readonly commandId: string;
  readonly correlationId: string;
  /** What caused the events: the command, or the consumed event a service reacts to. */
  readonly causationId: string;
  /** W3C trace context the events carry, so the trace runs from the request through the relay and the consumers. */
  readonly traceparent: string | null;
}

/** The event a service reacts to, as far as its reaction's context needs it. */
export interface Cause {
  readonly eventId: string;
  readonly correlationId?: string | null;
  readonly traceparent?: string | null;
}

export const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

const traceIdOf = (traceparent: string): string => traceparent.slice(3, 35);

/**
 * The active span's trace context; without one, a valid given `traceparent` is carried as is so the chain is not
 * lost. With `sameTraceAs`, an active span of another trace (a consumer's batch span) does not win over the cause's.
 */
function activeTraceparent(given: string | null | undefined, sameTraceAs = false): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const valid = given && TRACEPARENT.test(given) ? given : null;
  const active = carrier.traceparent && TRACEPARENT.test(carrier.traceparent) ? carrier.traceparent : null;
  if (active && !(sameTraceAs && valid && traceIdOf(valid) !== traceIdOf(active))) return active;
  return valid;
}

/**
 * The context of an HTTP command. A caller's `x-correlation-id` is kept when it is a sane token; otherwise the
 * command id correlates.
 */
export function requestContext(
  principal: Principal,
  headers: { correlationId?: string; traceparent?: string } = {},
  clock: Clock = systemClock,
): RequestContext {
  const commandId = randomUUID();
  const header = headers.correlationId;
  const correlationId = header && CORRELATION_ID.test(header) ? header : commandId;
  return { principal, now: clock.now().toISOString(), commandId, correlationId, causationId: commandId, traceparent: activeTraceparent(headers.traceparent) };
}

/**
 * A context for work a service does on its own behalf: reacting to another context's event (pass it as `cause`,
 * so the reaction keeps its correlation, names it as causation and continues its trace) or a timer.
 */
export function systemContext(service: string, tenantId: string, cause?: Cause, clock: Clock = systemClock): RequestContext {
  const commandId = randomUUID();
  const correlationId = cause?.correlationId && CORRELATION_ID.test(cause.correlationId) ? cause.correlationId : commandId;
  return {
    principal: { sub: service, tenantId, roles: [], actor: `service:${service}` },
    now: clock.now().toISOString(),
    commandId,
    correlationId,
    causationId: cause?.eventId ?? commandId,
    traceparent: activeTraceparent(cause?.traceparent, true),
  };
}
