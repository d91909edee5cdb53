/**
 * What a problem body must never carry, whoever built it: driver errors, SQL states, SQL fragments, stack traces.
 * Domain and platform errors write their messages for clients; this is the net under them, so a message that
 * quotes the database by mistake degrades to its code's title instead of leaking.
 */

/** A PostgreSQL error as pg (or TypeORM's wrapper) raises it: a five-character SQLSTATE plus the server's fields. */
export function isDriverError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; severity?: unknown; routine?: unknown; driverError?: unknown; name?: unknown };
  if (candidate.driverError !== undefined || candidate.name === 'QueryFailedError') return true;
  return typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code) && (candidate.severity !== undefined || candidate.routine !== undefined);
}

const LEAKY_TEXT = [
  /\n\s+at [^\n]+[:(]/, // a stack frame
  /\bSQLSTATE\b/i,
  /\(\s*[0-9][0-9A-Z]{4}\s*\)/, // a parenthesised SQL state, e.g. (22P05)
  /\b(?:duplicate key value|violates (?:unique|foreign key|check|not-null) constraint|relation "[^"]*"|syntax error at or near|column "[^"]*" (?:of relation|does not exist))/i,
  /\b(?:postgres(?:ql)?:\/\/|QueryFailedError|DatabaseError)\b/i,
];

export function isLeakyText(text: string): boolean {
  return LEAKY_TEXT.some((pattern) => pattern.test(text));
}

// Keys a driver error or a careless spread of one brings along.
const LEAKY_KEYS = new Set(['stack', 'cause', 'sqlState', 'sqlstate', 'severity', 'routine', 'query', 'parameters', 'driverError', 'internalQuery', 'hint']);

/** `details` without driver fields, errors or leaky strings (one level deep: details are flat facts). */
export function sanitizeDetails(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (details === undefined) return undefined;
  const kept = Object.entries(details).filter(
    ([key, value]) => !LEAKY_KEYS.has(key) && !(value instanceof Error) && !(typeof value === 'string' && isLeakyText(value)),
  );
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
