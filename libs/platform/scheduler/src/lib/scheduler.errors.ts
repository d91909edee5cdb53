/** A schedule request the scheduler refuses to store (empty or oversized ids, NUL, lone surrogates, bad date). */
export class InvalidScheduleRequest extends Error {
  readonly code = 'INVALID_SCHEDULE_REQUEST';
  readonly kind = 'invalid' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidScheduleRequest';
  }
}

/** A recurring handler returned a next due time that does not move the item forward. */
export class RecurrenceNotInFuture extends Error {
  readonly code = 'RECURRENCE_NOT_IN_FUTURE';
  constructor(next: Date, due: Date) {
    super(`A recurring handler returned nextDueAt ${next.toISOString()}, not after the current due time ${due.toISOString()}`);
    this.name = 'RecurrenceNotInFuture';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Ids are client data: bounded, and text PostgreSQL can store. */
export function checkId(what: string, value: unknown, maxLength = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new InvalidScheduleRequest(`${what} must be a string of 1 to ${maxLength} characters`);
  }
  if (value.includes('\u0000') || LONE_SURROGATE.test(value)) throw new InvalidScheduleRequest(`${what} contains a NUL or a lone surrogate`);
  return value;
}

export function checkDate(what: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new InvalidScheduleRequest(`${what} must be a valid Date`);
  return value;
}
