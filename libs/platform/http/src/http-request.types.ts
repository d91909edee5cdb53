import type { IncomingMessage } from 'node:http';

/**
 * The parts of an Express request the platform reads. Express 5 ships no type declarations
 * and @types/express is not a dependency, so the platform names what it relies on instead.
 */
export interface HttpRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  /** Set by the router once a route matched; absent for unknown paths. */
  route?: { path?: unknown };
}

/** The request path without the query string (which may carry personal data). */
export function requestPath(request: HttpRequest): string {
  const url = request.originalUrl ?? request.url ?? '';
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}

/**
 * The route template that matched (`/projects/:projectId`), for span names and metric labels;
 * `undefined` when none matched, so unknown paths cannot blow up label cardinality.
 */
export function matchedRoute(request: HttpRequest): string | undefined {
  const path = request.route?.path;
  if (typeof path !== 'string') return undefined;
  return `${request.baseUrl ?? ''}${path}` || '/';
}
