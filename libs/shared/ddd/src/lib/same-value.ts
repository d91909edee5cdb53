/**
 * Deep structural equality that ignores the order of object keys (arrays keep theirs: order is content
 * there, a WBS child list or a critical path). State folded from the store went through PostgreSQL jsonb,
 * which reorders keys, so comparing JSON text would call a retried identical command a different one.
 * Keys holding `undefined` count as absent, as they do once serialised.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const left = definedEntries(a);
  const right = new Map(definedEntries(b));
  return left.length === right.size && left.every(([key, value]) => right.has(key) && sameValue(value, right.get(key)));
}

const definedEntries = (value: object): Array<[string, unknown]> => Object.entries(value).filter(([, v]) => v !== undefined);
