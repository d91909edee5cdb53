import type { Pool, PoolClient } from 'pg';

/** What a projection sees of an event, whether it came from the local store or from a Kafka topic. */
export interface ProjectionEvent {
  readonly eventId: string;
  /** Public type, e.g. `pm.planning.ProjectCreated`. */
  readonly type: string;
  readonly schemaVersion: number;
  readonly tenantId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  /** When the producing service decided the event (CloudEvents `occurredat`; `time` for events published without it). */
  readonly occurredAt: string;
  /**
   * When the producing store recorded it (CloudEvents `time`; `recorded_at` of a local store, ADR 0506). Within a stream
   * it follows the stream's order up to a step back of the producer's clock; `occurredAt` need not. Time travel counts
   * an event from this instant.
   */
  readonly recordedAt: string;
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
  /**
   * Optional: the events of one transaction at once (only handled types, in log order), with the same rows as `apply`
   * of each in order, in fewer statements. The store-fed runner and a rebuild use it (ADR 0504); if it throws during
   * a rebuild, the transaction is retried one event at a time.
   */
  applyBatch?(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void>;
  reset(tx: PoolClient): Promise<void>;
}

export type ProgressListener = (done: number, total: number) => void;

/**
 * A read model kept per stream (a lane): each stream's events are applied in stream order, in transactions of
 * their own, so one stream's large batch never holds up another stream's (ADR 0010). The runner records how far
 * each lane got in the same transaction as the lane's rows, which is what makes an event take effect exactly once.
 */
export interface LaneProjection {
  readonly name: string;
  readonly handles: readonly string[];
  /** Streams this read model follows; every other stream of the log is skipped without a transaction. */
  followsStream(streamId: string): boolean;
  /** The lane's next events, in stream order (only the handled types; there may be none). */
  applyLane(streamId: string, events: readonly ProjectionEvent[], tx: PoolClient): Promise<void>;
  reset(tx: PoolClient): Promise<void>;
  /**
   * An event too large for one short transaction (a committed import). The runner calls `prepareLane` for it
   * outside any lane transaction, holding the lane's lock on a session, so the projection can stage its work in
   * short transactions of its own; then the event is the first of a lane transaction as usual.
   */
  needsPreparation?(event: ProjectionEvent): boolean;
  prepareLane?(streamId: string, event: ProjectionEvent, pool: Pool): Promise<void>;
  /** After a lane transaction committed (outside it): maintenance its changes call for, such as statistics. */
  laneCommitted?(streamId: string, pool: Pool): Promise<void>;
}
