export const REDACTED = '[REDACTED]';

/** Header paths pino's own `redact` handles (it is fast, but only knows exact paths). */
export const REDACTED_HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** Keys whose values are secret wherever they appear in a logged object. */
export const SENSITIVE_KEY = /password|passwd|passphrase|^pass$|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key|ticket/i;

const MAX_DEPTH = 8;

/**
 * A copy of a log object with every value under a sensitive-looking key replaced, at any depth.
 * Pino's `redact` needs every path spelled out in advance, which cannot cover a command or a
 * config object someone logs tomorrow. Only plain objects and arrays are walked: errors and
 * other instances go to their serializers untouched.
 */
export function redactSensitive<T>(value: T): T {
  return walk(value, 0, new WeakSet()) as T;
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => walk(item, depth + 1, seen));
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  seen.add(value);
  // Built with Object.fromEntries: a logged key such as `__proto__` stays a key instead of setting the copy's prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, SENSITIVE_KEY.test(key) && child !== undefined && child !== null ? REDACTED : walk(child, depth + 1, seen)]),
  );
}

/**
 * A request URL with the values of sensitive-looking query parameters (`access_token`, `token`, `api_key`, ...)
 * replaced: no credential belongs in a URL (docs/security.md), and if a client puts one there anyway, the request
 * log must not keep it.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return eq !== -1 && SENSITIVE_KEY.test(name) ? `${rawName}=${encodeURIComponent(REDACTED)}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}
