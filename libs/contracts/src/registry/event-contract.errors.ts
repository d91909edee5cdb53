import type { z } from 'zod';

/**
 * Stable codes: consumers branch on them (every one of them is permanent, so a message failing
 * with one goes straight to the dead-letter topic instead of being retried).
 */
export type EventContractErrorCode =
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNKNOWN_EVENT_VERSION'
  | 'INVALID_EVENT_DATA'
  | 'INVALID_ENVELOPE'
  | 'MISSING_UPCASTER'
  | 'UPCAST_FAILED'
  | 'DUPLICATE_EVENT_CONTRACT'
  | 'INVALID_EVENT_CONTRACT';

export interface EventContractErrorDetails {
  readonly type?: string;
  readonly version?: number;
  readonly issues?: readonly z.core.$ZodIssue[];
}

export class EventContractError extends Error {
  override readonly name = 'EventContractError';
  readonly type: string | undefined;
  readonly version: number | undefined;
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(
    readonly code: EventContractErrorCode,
    message: string,
    details: EventContractErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.type = details.type;
    this.version = details.version;
    this.issues = details.issues ?? [];
  }
}

export function isEventContractError(error: unknown, code?: EventContractErrorCode): error is EventContractError {
  return error instanceof EventContractError && (code === undefined || error.code === code);
}
