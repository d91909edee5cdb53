import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OPENAPI_PATHS } from './openapi.setup';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

// Shared by every response: no framing anywhere, no base or form targets, nothing loaded unless said below.
const COMMON_DIRECTIVES = {
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/**
 * The JSON API loads nothing: `default-src 'none'` (a JSON or problem+json body rendered by a browser by
 * mistake runs no script). Swagger UI at /docs needs its own scripts and styles (same origin; its HTML holds
 * inline `<style>` blocks and the UI sets inline styles, hence `'unsafe-inline'` for styles only), data: images
 * and fetches of /docs-json; no inline script runs there either.
 */
export const API_CONTENT_SECURITY_POLICY = COMMON_DIRECTIVES;
export const DOCS_CONTENT_SECURITY_POLICY = {
  ...COMMON_DIRECTIVES,
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
};

function helmetWith(directives: Record<string, string[]>): Middleware {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    // One year, subdomains included; browsers only honour it over HTTPS (TLS ends at the ingress).
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  }) as Middleware;
}

/**
 * Express middleware setting the security headers on every response (errors and 404s included): HSTS,
 * `X-Content-Type-Options: nosniff`, `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for old browsers),
 * `Referrer-Policy: no-referrer`, and a Content-Security-Policy for a JSON API, or for Swagger UI under /docs.
 */
export function securityHeadersMiddleware(): Middleware {
  const api = helmetWith(API_CONTENT_SECURITY_POLICY);
  const docs = helmetWith(DOCS_CONTENT_SECURITY_POLICY);
  return (request, response, next) => {
    const url = request.url ?? '';
    const isDocsUi = url === OPENAPI_PATHS.ui || url.startsWith(`${OPENAPI_PATHS.ui}/`) || url.startsWith(`${OPENAPI_PATHS.ui}?`);
    (isDocsUi ? docs : api)(request, response, next);
  };
}
