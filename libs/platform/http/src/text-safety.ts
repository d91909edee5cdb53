import { ProblemException } from './problem.exception';
import type { HttpRequest } from './http-request.types';

/**
 * A NUL character or a lone UTF-16 surrogate is valid JSON and valid percent-encoding, but not storable text
 * (PostgreSQL refuses both, Kafka consumers in other languages choke on them) and no business value needs them.
 */
// eslint-disable-next-line no-control-regex -- the NUL control character is exactly what is refused here
export const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasUnstorableText(text: string): boolean {
  return UNSTORABLE_TEXT.test(text);
}

export const INVALID_TEXT_CODE = 'INVALID_TEXT';

/** Where in a request the refused text was: the path, a query parameter, or the body. */
export type TextLocation = 'path' | 'query' | 'body';

const UNSTORABLE_MESSAGE = 'holds a NUL character or an unpaired UTF-16 surrogate';

/**
 * The JSON Pointer of the first key or string in `value` that holds unstorable text, `undefined` when none
 * does. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findUnstorableText(value: unknown): string | undefined {
  const pending: Array<{ value: unknown; pointer: string }> = [{ value, pointer: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, pointer } = next;
    if (typeof current === 'string') {
      if (hasUnstorableText(current)) return pointer;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries: Array<[string, unknown]> = Array.isArray(current)
      ? current.map((item, index) => [String(index), item])
      : Object.entries(current as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      const childPointer = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (hasUnstorableText(key)) return childPointer;
      pending.push({ value: item, pointer: childPointer });
    }
  }
  return undefined;
}

/** 400 INVALID_TEXT naming where: `details.in` and a JSON Pointer (`/query/name`, `/path/2`, `/body/tasks/0/name`). */
export function invalidText(where: TextLocation, pointer: string, message = UNSTORABLE_MESSAGE): ProblemException {
  return new ProblemException({
    status: 400,
    code: INVALID_TEXT_CODE,
    title: 'Invalid text',
    detail: `The request ${where === 'body' ? 'body' : where === 'query' ? 'query string' : 'path'} ${message}.`,
    errors: [{ path: `/${where}${pointer}`, message }],
    details: { in: where },
  });
}

/** What the path segments decode to (as the router will hand them to handlers), or the refusal. */
function pathProblem(rawPath: string): ProblemException | undefined {
  const segments = rawPath.split('/');
  for (let i = 1; i < segments.length; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segments[i]);
    } catch {
      // The router would fail the same decoding later with a bare error (a 500): refuse it here as the client's.
      return invalidText('path', `/${i - 1}`, 'is not valid percent-encoded UTF-8');
    }
    if (hasUnstorableText(decoded)) return invalidText('path', `/${i - 1}`);
  }
  return undefined;
}

interface ParsedRequest extends HttpRequest {
  query?: unknown;
  body?: unknown;
}

/**
 * Express middleware run on every request after the body parsers and before routing: the path (each segment
 * decoded), the query string (as parsed for handlers) and a JSON or form body must hold storable text only,
 * else 400 INVALID_TEXT. Token claims get the same check in the auth lib (401).
 */
export function textSafetyMiddleware(request: ParsedRequest, _response: unknown, next: (error?: unknown) => void): void {
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  const problem =
    pathProblem(queryStart === -1 ? url : url.slice(0, queryStart)) ??
    located('query', queryStart === -1 ? undefined : request.query) ??
    located('body', request.body);
  next(problem);
}

function located(where: TextLocation, value: unknown): ProblemException | undefined {
  // A raw body (a Buffer or a stream still unread, e.g. an XML upload) is its reader's to check.
  if (value === undefined || Buffer.isBuffer(value)) return undefined;
  const pointer = findUnstorableText(value);
  return pointer === undefined ? undefined : invalidText(where, pointer);
}
