import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { ZodError } from 'zod';
import { DOMAIN_ERROR_STATUS, isDomainErrorLike } from './domain-error.mapping';
import { isProblemException } from './problem.exception';
import { isDriverError, isLeakyText, sanitizeDetails } from './problem-sanitizer';
import { PROBLEM_CODES, problemTypeUri, titleFromCode } from './problem-details.types';
import type { ProblemDetails, ProblemFieldError } from './problem-details.types';

/** What the filter does with one exception: the body, extra headers, and whether to log it. */
export interface MappedProblem {
  problem: ProblemDetails;
  headers: Record<string, string>;
  /** Only server faults are logged as errors; client errors are the client's business. */
  logAsError: boolean;
}

export interface ProblemContext {
  instance: string;
  traceId?: string;
}

// Fixed codes per status so a Node upgrade renaming a reason phrase (413 became "Content Too
// Large" in RFC 9110) cannot change a code clients match on.
const STATUS_CODE_NAMES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: PROBLEM_CODES.notFound,
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  410: 'GONE',
  412: 'PRECONDITION_FAILED',
  413: PROBLEM_CODES.payloadTooLarge,
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  428: 'PRECONDITION_REQUIRED',
  429: 'TOO_MANY_REQUESTS',
  500: PROBLEM_CODES.internalError,
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

const PLATFORM_TITLES: Readonly<Record<string, string>> = {
  [PROBLEM_CODES.validationFailed]: 'Request validation failed',
  [PROBLEM_CODES.malformedJson]: 'Malformed JSON body',
  [PROBLEM_CODES.payloadTooLarge]: 'Payload too large',
  [PROBLEM_CODES.notFound]: 'Not found',
  [PROBLEM_CODES.internalError]: 'Internal server error',
};

const INTERNAL_ERROR_DETAIL = 'An unexpected error occurred. Quote the traceId when reporting it.';

export function codeForStatus(status: number): string {
  return STATUS_CODE_NAMES[status] ?? `HTTP_${status}`;
}

export function toProblem(exception: unknown, context: ProblemContext): MappedProblem {
  if (isProblemException(exception)) {
    const { status, code, detail, title, errors, details, headers, logAsError } = exception.problem;
    const result = mapped(context, { status, code, detail, title, errors, details }, headers ?? {});
    return logAsError === undefined ? result : { ...result, logAsError };
  }
  if (exception instanceof ZodError) {
    return mapped(context, {
      status: 400,
      code: PROBLEM_CODES.validationFailed,
      detail: `The input has ${exception.issues.length} validation issue(s).`,
      errors: zodIssuesToFieldErrors(exception),
    });
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception, context);
  }
  const bodyParserProblem = fromBodyParserError(exception);
  if (bodyParserProblem) return mapped(context, bodyParserProblem);
  if (isDatabaseTimeout(exception)) {
    return mapped(context, { status: 503, code: 'QUERY_TIMED_OUT', detail: 'The database did not answer in time; try again.' }, { 'Retry-After': '1' });
  }
  if (isDatabaseUnavailable(exception)) {
    return mapped(context, { status: 503, code: 'DATABASE_UNAVAILABLE', detail: 'The service cannot reach its database right now; try again shortly.' }, { 'Retry-After': '2' });
  }
  if (isDomainErrorLike(exception) && !isDriverError(exception)) {
    return mapped(context, {
      status: DOMAIN_ERROR_STATUS[exception.kind],
      code: exception.code,
      detail: typeof exception.message === 'string' && exception.message ? exception.message : titleFromCode(exception.code),
      details: isPlainRecord(exception.details) ? exception.details : undefined,
    });
  }
  // A bug the platform names (an event that breaks its contract): still a 500 without internals, but with its code.
  const code = isInternalCodedError(exception) ? exception.code : PROBLEM_CODES.internalError;
  return {
    ...mapped(context, { status: 500, code, detail: INTERNAL_ERROR_DETAIL }),
    logAsError: true,
  };
}

function isInternalCodedError(error: unknown): error is { code: string; kind: 'internal' } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, kind } = error as { code?: unknown; kind?: unknown };
  return kind === 'internal' && typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,63}$/.test(code);
}

export function zodIssuesToFieldErrors(error: ZodError): ProblemFieldError[] {
  return error.issues.map((issue) => ({ path: toJsonPointer(issue.path), message: issue.message }));
}

export function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function fromHttpException(exception: HttpException, context: ProblemContext): MappedProblem {
  const status = exception.getStatus();
  // Nest 12 wraps body-parser failures in an HttpException and keeps the original as cause.
  const bodyParserProblem = fromBodyParserError(exception.cause);
  if (bodyParserProblem) return mapped(context, bodyParserProblem);
  if (status >= 500) {
    // Deliberately thrown, but a 5xx message can still describe internals: keep it in the log.
    return { ...mapped(context, { status, code: codeForStatus(status), detail: reasonPhrase(status) }), logAsError: true };
  }
  return mapped(context, { status, code: codeForStatus(status), detail: httpExceptionMessage(exception) });
}

function fromBodyParserError(error: unknown): ProblemInput | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, limit, status } = error as { type?: unknown; limit?: unknown; status?: unknown };
  if (type === 'entity.parse.failed') {
    return { status: 400, code: PROBLEM_CODES.malformedJson, detail: 'The request body is not valid JSON.' };
  }
  if (type === 'entity.too.large') {
    const limitText = typeof limit === 'number' ? ` of ${limit} bytes` : '';
    return { status: 413, code: PROBLEM_CODES.payloadTooLarge, detail: `The request body exceeds the limit${limitText}.` };
  }
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: codeForStatus(status), detail: reasonPhrase(status) };
  }
  return undefined;
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const { message } = response as { message: unknown };
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return exception.message || reasonPhrase(exception.getStatus());
}

interface ProblemInput {
  status: number;
  code: string;
  detail: string;
  title?: string;
  errors?: ProblemFieldError[];
  details?: Record<string, unknown>;
}

function mapped(context: ProblemContext, input: ProblemInput, headers: Record<string, string> = {}): MappedProblem {
  const title = input.title ?? PLATFORM_TITLES[input.code] ?? defaultTitle(input);
  const problem: ProblemDetails = {
    type: problemTypeUri(input.code),
    title,
    status: input.status,
    // Whoever wrote the message, a client never reads the database's words or a stack in it.
    detail: isLeakyText(input.detail) ? `${title}.` : input.detail,
    instance: context.instance,
    code: input.code,
  };
  if (input.errors) problem.errors = input.errors.map((e) => (isLeakyText(e.message) ? { ...e, message: 'Invalid value' } : e));
  const details = sanitizeDetails(input.details);
  if (details) problem.details = details;
  if (context.traceId) problem.traceId = context.traceId;
  return { problem, headers, logAsError: input.status >= 500 };
}

function defaultTitle(input: ProblemInput): string {
  return STATUS_CODE_NAMES[input.status] === input.code ? reasonPhrase(input.status) : titleFromCode(input.code);
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A statement cancelled by the pool's statement_timeout (57014) or a session ended by idle_in_transaction_session_timeout
// (25P03): the request may well succeed when retried, so 503 with Retry-After rather than a 500 that blames a bug.
const DATABASE_TIMEOUT_SQLSTATES = new Set(['57014', '25P03']);

function isDatabaseTimeout(exception: unknown): boolean {
  if (typeof exception !== 'object' || exception === null) return false;
  const { code, driverError } = exception as { code?: unknown; driverError?: { code?: unknown } };
  return DATABASE_TIMEOUT_SQLSTATES.has(String(code)) || DATABASE_TIMEOUT_SQLSTATES.has(String(driverError?.code));
}

// The database refused or lost the connection (SQLSTATE class 08, 53 "insufficient resources" such as 53300 too many
// connections, 57P01-57P03 shutting down or starting, 58 system errors), the socket failed, or the pool could not
// connect in time: nothing is wrong with the request, so 503 with Retry-After, never a 500.
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|58)/;
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

function isDatabaseUnavailable(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  const { code, driverError } = exception as { code?: unknown; driverError?: { code?: unknown } };
  for (const c of [code, driverError?.code]) {
    if (typeof c === 'string' && (UNAVAILABLE_SQLSTATE.test(c) || UNAVAILABLE_SOCKET.has(c))) return true;
  }
  return code === undefined && UNAVAILABLE_MESSAGE.test(exception.message);
}
