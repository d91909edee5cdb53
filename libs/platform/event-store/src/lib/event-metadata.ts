import { randomUUID } from 'node:crypto';
import type { EventMetadata } from './event-store.types';

/** Builds metadata for events caused by one command. Ids and time come from the caller, never from the store. */
export function eventMetadata(input: {
  tenantId: string;
  actor: string;
  occurredAt: string;
  correlationId?: string;
  causationId?: string | null;
  traceparent?: string | null;
  eventId?: string;
}): EventMetadata {
  return {
    eventId: input.eventId ?? randomUUID(),
    tenantId: input.tenantId,
    actor: input.actor,
    correlationId: input.correlationId ?? randomUUID(),
    causationId: input.causationId ?? null,
    traceparent: input.traceparent ?? null,
    occurredAt: input.occurredAt,
  };
}
