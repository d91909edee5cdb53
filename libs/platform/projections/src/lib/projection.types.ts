import type { PoolClient } from 'pg';

/** What a projection sees of an event, whether it came from the local store or from a Kafka topic. */
export interface ProjectionEvent {
  readonly eventId: string;
  /** Public type, e.g. `pm.planning.ProjectCreated`. */
  readonly type: string;
  readonly schemaVersion: number;
  readonly tenantId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly occurredAt: string;
  readonly data: unknown;
  /** The event's correlation and W3C trace context: what a reaction to it carries on (ADR 0008). */
  readonly correlationId?: string | null;
  readonly traceparent?: string | null;
}

/**
 * A read model built from events. `apply` must be idempotent and order-tolerant per stream (guard on
 * streamVersion), because at-least-once delivery can hand it the same event twice; `reset` empties it
 * for a rebuild. Both write only through the transaction they are given.
 */
export interface Projection {
  readonly name: string;
  readonly handles: readonly string[];
  apply(event: ProjectionEvent, tx: PoolClient): Promise<void>;
  reset(tx: PoolClient): Promise<void>;
}

export type ProgressListener = (done: number, total: number) => void;
