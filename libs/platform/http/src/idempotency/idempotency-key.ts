import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ProblemException } from '../problem.exception';
import type { HttpRequest } from '../http-request.types';

/** The request header (draft-ietf-httpapi-idempotency-key-header) and the answer header a replay carries. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** Set (with the replay header) when the answer was rebuilt from the committed key row, not stored from the first reply. */
export const IDEMPOTENCY_RECOVERED_HEADER = 'Idempotency-Recovered';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** A retention of 24 h, as Stripe keeps keys: a retry after that is a new request. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export const IDEMPOTENCY_CODES = {
  invalid: 'IDEMPOTENCY_KEY_INVALID',
  reused: 'IDEMPOTENCY_KEY_REUSED',
  inFlight: 'IDEMPOTENCY_KEY_IN_FLIGHT',
} as const;

/** The methods that change state; reads ignore the header (they are idempotent already). */
export const COMMAND_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * The key of an `Idempotency-Key` header: 1–255 visible ASCII characters. The draft makes the value a Structured
 * Field string (`"abc"`); Stripe's clients send it bare. Both are accepted and mean the same key. Anything else,
 * including a header sent twice (Node joins the copies with ", "), is a 400 IDEMPOTENCY_KEY_INVALID.
 */
export function parseIdempotencyKey(value: string | string[]): string {
  const raw = Array.isArray(value) ? value.join(', ') : value;
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
  const key = quoted ? raw.slice(1, -1) : raw;
  const plain = quoted ? !/["\\]/.test(key) : true;
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !VISIBLE_ASCII.test(key) || !plain) {
    throw new ProblemException({
      status: 400,
      code: IDEMPOTENCY_CODES.invalid,
      detail: `${IDEMPOTENCY_KEY_HEADER} must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters (a UUID is a good key)`,
    });
  }
  return key;
}

const RAW_BODY = Symbol.for('pm.platform.http.raw-body');

/** The body parsers' `verify` hook: keeps a reference to the bytes they parsed, for the request fingerprint. */
export function rememberRawBody(request: IncomingMessage, _response: unknown, bytes: Buffer): void {
  (request as IncomingMessage & { [RAW_BODY]?: Buffer })[RAW_BODY] = bytes;
}

function rawBodyOf(request: IncomingMessage): Buffer | undefined {
  return (request as IncomingMessage & { [RAW_BODY]?: Buffer })[RAW_BODY];
}

/**
 * What makes two requests "the same request" for one key: method, path with query, content type and the body's
 * bytes as sent (a retry resends the same bytes; hashing them needs no walk of a hostile JSON structure). A body no
 * platform parser read (a streamed XML import) counts by its declared length.
 */
export function requestFingerprint(request: HttpRequest): string {
  const hash = createHash('sha256');
  const header = (name: string): string => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  };
  hash.update(`${request.method ?? ''}\n${request.originalUrl ?? request.url ?? ''}\n${header('content-type')}\n`);
  const body = rawBodyOf(request);
  if (body) hash.update(body);
  else hash.update(`length:${header('content-length')}`);
  return hash.digest('hex');
}
