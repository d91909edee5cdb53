import type { PoolClient } from 'pg';
import type { CloudEventEnvelope } from '@pm/contracts';

export interface ConsumedEvent {
  readonly envelope: CloudEventEnvelope;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Runs inside the inbox transaction: write only through `tx`, so the handler's effects and the inbox row commit
 * together. Several messages of one partition may share that transaction (ADR 0006): a handler must not commit,
 * roll back or end it, and sees the writes of the messages before it.
 */
export type EventHandler = (event: ConsumedEvent, tx: PoolClient) => Promise<void>;

/** Thrown by a handler for an event that can never succeed (it breaks a contract): no retries, straight to the DLQ. */
export class NonRetryableError extends Error {
  constructor(
    message: string,
    readonly code = 'NON_RETRYABLE',
  ) {
    super(message);
    this.name = 'NonRetryableError';
  }
}
