import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@pm/platform/event-store';

/** Builds a valid NewEvent for tests and benchmarks. */
export function testEvent(tenantId: string, type = 'TestHappened', data: unknown = { n: 1 }): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      tenantId,
      actor: 'user:test',
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
      occurredAt: new Date().toISOString(),
    },
  };
}
