import type { ExpectedVersion } from './event-store.types';

/** The stream was not at the version the caller expected: someone else appended first. */
export class ExpectedVersionConflict extends Error {
  readonly code = 'EXPECTED_VERSION_CONFLICT';
  readonly kind = 'conflict' as const;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`Stream ${streamId}: expected version ${String(expected)}, actual ${actual < 0 ? 'no stream' : actual}`);
    this.name = 'ExpectedVersionConflict';
  }
  get details(): Record<string, unknown> {
    return { streamId: this.streamId, expected: this.expected, actual: this.actual };
  }
}

/**
 * A stream belongs to exactly one tenant; appending to it as another tenant is refused. Stream ids carry their
 * tenant (`streamIdOf(category, tenantId, id)`), so no client can name another tenant's stream: reaching this is
 * a bug (a stream id built by hand). It is deliberately not a domain error: the client gets the generic 500
 * INTERNAL_ERROR, which says nothing about the other tenant (a 409 "id taken" would), and the log gets the rest.
 */
export class StreamTenantMismatch extends Error {
  readonly code = 'STREAM_TENANT_MISMATCH';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} belongs to another tenant`);
    this.name = 'StreamTenantMismatch';
  }
}

export class InvalidAppend extends Error {
  readonly code = 'INVALID_APPEND';
  readonly kind = 'invalid' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidAppend';
  }
}

/**
 * An event with this id is already stored: the append was a retry of one that succeeded. The driver's detail
 * (which names the key) stays in `driverDetail` for the log, never in the message a client reads.
 */
export class DuplicateEventId extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  readonly kind = 'conflict' as const;
  constructor(
    readonly streamId: string,
    readonly driverDetail: string,
  ) {
    super('An event of this append is already stored');
    this.name = 'DuplicateEventId';
  }
}

/**
 * The stream's last event was written by a transaction with a larger id than the caller's, which was assigned
 * earlier (it wrote something else before appending). Appending would put the event before its predecessor in
 * the log order, so the caller must retry its whole transaction (a new one gets a new id).
 */
export class TransactionOrderConflict extends Error {
  readonly code = 'TRANSACTION_ORDER_CONFLICT';
  readonly kind = 'conflict' as const;
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} moved on after this transaction began writing; retry the transaction`);
    this.name = 'TransactionOrderConflict';
  }
}
