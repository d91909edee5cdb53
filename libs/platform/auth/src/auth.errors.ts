import { ProblemException } from '@pm/platform/http';
import type { Role } from './principal.model';

export const AUTH_PROBLEM_CODES = {
  tokenMissing: 'AUTH_TOKEN_MISSING',
  tokenInvalid: 'AUTH_TOKEN_INVALID',
  forbidden: 'AUTH_FORBIDDEN',
  unavailable: 'AUTH_UNAVAILABLE',
} as const;

const REALM = 'realm="pm"';

// RFC 6750 §3: a bare challenge when no token came, `invalid_token` when it failed,
// `insufficient_scope` when it was fine but not enough.
export function tokenMissing(): ProblemException {
  return new ProblemException({
    status: 401,
    code: AUTH_PROBLEM_CODES.tokenMissing,
    title: 'Authentication required',
    detail: 'A bearer token is required: send "Authorization: Bearer <token>".',
    headers: { 'WWW-Authenticate': `Bearer ${REALM}` },
  });
}

export function tokenInvalid(detail: string): ProblemException {
  return new ProblemException({
    status: 401,
    code: AUTH_PROBLEM_CODES.tokenInvalid,
    title: 'Invalid bearer token',
    detail,
    headers: { 'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token", error_description="${detail.replace(/"/g, "'")}"` },
  });
}

export function forbidden(required: readonly Role[]): ProblemException {
  return new ProblemException({
    status: 403,
    code: AUTH_PROBLEM_CODES.forbidden,
    title: 'Forbidden',
    detail: `This operation requires one of the roles: ${required.join(', ')}.`,
    headers: { 'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope"` },
  });
}

export function noRole(): ProblemException {
  return new ProblemException({
    status: 403,
    code: AUTH_PROBLEM_CODES.forbidden,
    title: 'Forbidden',
    detail: 'The bearer token carries no role of this platform.',
    headers: { 'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope"` },
  });
}

export function authUnavailable(cause: unknown): ProblemException {
  return new ProblemException(
    {
      status: 503,
      code: AUTH_PROBLEM_CODES.unavailable,
      title: 'Authentication unavailable',
      detail: 'The bearer token could not be checked right now; retry later.',
      headers: { 'Retry-After': '5' },
    },
    { cause },
  );
}
