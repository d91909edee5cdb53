import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@pm/platform/request-context';
import type { EventMetadata } from '../event-store.types';

/**
 * Metadata of one event a command produces: its own id, the tenant and actor, correlated with the request, caused by
 * the command (or the event the service reacted to), and carrying the command's trace context.
 */
export function metadataFor(ctx: RequestContext): EventMetadata {
  return {
    eventId: randomUUID(),
    tenantId: ctx.principal.tenantId,
    actor: ctx.principal.actor,
    correlationId: ctx.correlationId,
    causationId: ctx.causationId,
    traceparent: ctx.traceparent,
    occurredAt: ctx.now,
  };
}
