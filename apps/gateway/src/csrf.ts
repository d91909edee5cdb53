import type { IncomingMessage } from 'node:http';

/** The custom header the web app sends on every call; a cross-site form or a simple request cannot set it. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'pm-web';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * docs/security.md, CSRF for a BFF with a cookie: SameSite=Strict on the cookie, and for every state-changing request
 * an `Origin` equal to this gateway's own and the custom header. Reads (GET) change nothing, so they pass.
 */
export function csrfRefusal(req: IncomingMessage): string | null {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return null;
  if (req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) return `a state-changing request needs the header ${CSRF_HEADER}: ${CSRF_HEADER_VALUE}`;
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (!origin || !host) return 'a state-changing request needs an Origin header';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return 'the Origin header is not a URL';
  }
  return originHost === host ? null : 'the request comes from another origin';
}
