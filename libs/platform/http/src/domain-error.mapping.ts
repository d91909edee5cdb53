export type DomainErrorKind = 'conflict' | 'invalid' | 'not-found' | 'forbidden';

/**
 * What the HTTP layer needs from a domain rejection. Structural on purpose: domain libs must
 * not import Nest or this lib, and the event store's own errors (expected-version conflict,
 * tenant mismatch) have the same shape without sharing a class.
 */
export interface DomainErrorLike {
  code: string;
  kind: DomainErrorKind;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * `invalid` is 422, not 400: the request was well-formed and passed its schema, but the
 * business refused it (e.g. a finish date before the start). 400 stays for schema failures.
 */
export const DOMAIN_ERROR_STATUS: Readonly<Record<DomainErrorKind, number>> = {
  conflict: 409,
  invalid: 422,
  'not-found': 404,
  forbidden: 403,
};

export function isDomainErrorLike(error: unknown): error is DomainErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Partial<Record<keyof DomainErrorLike, unknown>>;
  return (
    typeof candidate.code === 'string' &&
    typeof candidate.kind === 'string' &&
    Object.hasOwn(DOMAIN_ERROR_STATUS, candidate.kind)
  );
}
