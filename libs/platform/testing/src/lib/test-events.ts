import { randomUUID } from 'node:crypto';

/** The shape of the event store's NewEvent, spelled out so this lib depends on no other (it is imported by their specs). */
export interface TestNewEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: {
    readonly eventId: string;
    readonly tenantId: string;
    readonly actor: string;
    readonly correlationId: string;
    readonly causationId: string | null;
    readonly traceparent: string | null;
    readonly occurredAt: string;
  };
}

/** Builds a valid event to append in tests and benchmarks. */
export function testEvent(tenantId: string, type = 'TestHappened', data: unknown = { n: 1 }): TestNewEvent {
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
