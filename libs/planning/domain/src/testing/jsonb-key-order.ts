/**
 * Rebuilds a value with every object's keys in reverse order, which is what a round trip through
 * PostgreSQL jsonb can do to stored event data (jsonb orders keys by length, then bytes). Specs only.
 */
export function reorderedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reorderedKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorderedKeys(v)]),
    ) as T;
  }
  return value;
}
