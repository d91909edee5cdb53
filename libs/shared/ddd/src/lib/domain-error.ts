/**
 * How the HTTP layer should read a rejection: `conflict` → 409, `invalid` → 422/400,
 * `not-found` → 404, `forbidden` → 403. The `code` is the stable part clients match on.
 */
export type DomainErrorKind = 'conflict' | 'invalid' | 'not-found' | 'forbidden';

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(code: string, kind: DomainErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    if (details !== undefined) this.details = details;
  }
}

export const conflict = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(code, 'conflict', message, details);

export const invalid = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(code, 'invalid', message, details);

export const notFound = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(code, 'not-found', message, details);

export const forbidden = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(code, 'forbidden', message, details);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
