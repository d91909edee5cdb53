/**
 * RFC 9457 problem details as every service answers an error.
 *
 * `type` is `https://pm.example/problems/<code in kebab-case>` (see {@link problemTypeUri}): one
 * URI per stable `code`, so clients can match on either. The URIs are identifiers, not links
 * that must resolve (RFC 9457 §3.1.1).
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path (without the query string, which may carry personal data). */
  instance: string;
  /** Stable UPPER_SNAKE code; the part clients and tests match on. */
  code: string;
  /** Every validation issue, when the request did not pass its schema. */
  errors?: ProblemFieldError[];
  /** The W3C trace id of the request, to find its trace and logs. */
  traceId?: string;
  /** Machine-readable facts about a domain rejection (e.g. the conflicting version). */
  details?: Record<string, unknown>;
}

export interface ProblemFieldError {
  /** JSON Pointer (RFC 6901) into the validated input, `''` for the input itself. */
  path: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://pm.example/problems/';

/** Codes the platform itself produces; feature code adds its own (domain error codes). */
export const PROBLEM_CODES = {
  validationFailed: 'VALIDATION_FAILED',
  malformedJson: 'MALFORMED_JSON',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  notFound: 'NOT_FOUND',
  internalError: 'INTERNAL_ERROR',
} as const;

export function problemTypeUri(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`;
}

/** `TASK_DATES_INVALID` → `Task dates invalid`: one title per code, as RFC 9457 asks. */
export function titleFromCode(code: string): string {
  const words = code.toLowerCase().split('_').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
