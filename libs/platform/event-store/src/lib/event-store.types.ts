/** What a caller expects the stream to look like when it appends (optimistic concurrency). */
export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

/** Metadata carried by every stored event; the relay maps it onto the CloudEvents envelope. */
export interface EventMetadata {
  readonly eventId: string;
  readonly tenantId: string;
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent?: string | null;
  readonly occurredAt: string;
  /**
   * On a part of a staged change (ADR 0009): the stream the part belongs to. The relay never publishes a part on
   * its own: it publishes a change's parts right before the event that commits them, and never an uncommitted one.
   */
  readonly stagedInto?: string;
  /** On the event that commits a staged change: the staging stream holding its parts, and how many there are. */
  readonly commitsStage?: { readonly streamId: string; readonly chunks: number };
}

export interface NewEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
  /** Integer version of the event's public schema (see libs/contracts). */
  readonly schemaVersion?: number;
  readonly metadata: EventMetadata;
  /** `data` already as JSON text (the write path made it to measure the event): the store writes it as it is. */
  readonly json?: string;
}

/** A position in the whole log. Ordered by (transactionId, position); both are 64-bit, kept as decimal strings. */
export interface Checkpoint {
  readonly transactionId: string;
  readonly position: string;
}

export const START_OF_LOG: Checkpoint = Object.freeze({ transactionId: '0', position: '0' });

export interface StoredEvent<TType extends string = string, TData = unknown> {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly tenantId: string;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly checkpoint: Checkpoint;
}

export interface AppendResult {
  /** Version of the stream after the append (the number of events in it). */
  readonly nextExpectedVersion: number;
}

export interface Snapshot<TState = unknown> {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly snapshotType: string;
  readonly schemaVersion: number;
  readonly state: TState;
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  const tx = BigInt(a.transactionId) - BigInt(b.transactionId);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const pos = BigInt(a.position) - BigInt(b.position);
  return pos === 0n ? 0 : pos < 0n ? -1 : 1;
}
