import type { SnapshotPolicy } from './aggregate';

const MAP = '$map';
const SET = '$set';

/**
 * A state as JSON that survives jsonb: Maps and Sets become tagged entry lists (jsonb keeps array order but not key
 * order, and JSON has no Map), everything else is plain JSON. States hold no client-chosen object keys (they are
 * Map keys), so the two tags cannot collide with data.
 */
export function encodeState(value: unknown): unknown {
  if (value instanceof Map) return { [MAP]: [...value].map(([k, v]) => [encodeState(k), encodeState(v)]) };
  if (value instanceof Set) return { [SET]: [...value].map(encodeState) };
  if (Array.isArray(value)) return value.map(encodeState);
  if (value !== null && typeof value === 'object') {
    // Own properties only, whatever the key: assigning `out['__proto__']` would set a prototype, not a key.
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([key, v]) => [key, encodeState(v)]));
  }
  return value;
}

export function decodeState(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(decodeState);
  if (json !== null && typeof json === 'object') {
    const tagged = json as Record<string, unknown>;
    if (Array.isArray(tagged[MAP])) return new Map((tagged[MAP] as Array<[unknown, unknown]>).map(([k, v]) => [decodeState(k), decodeState(v)]));
    if (Array.isArray(tagged[SET])) return new Set((tagged[SET] as unknown[]).map(decodeState));
    // Built without a prototype chain to walk into: a key like `__proto__` is an own property, never a setter.
    return Object.fromEntries(Object.entries(tagged).map(([key, v]) => [key, decodeState(v)]));
  }
  return json;
}

/**
 * The snapshot policy of an aggregate whose state is plain data, Maps and Sets. `schemaVersion` must change with
 * the state's shape: an older snapshot is then ignored and the stream folded from the start.
 */
export function jsonSnapshotPolicy<S>(type: string, schemaVersion: number, every: number): SnapshotPolicy<S> {
  return {
    type,
    schemaVersion,
    every,
    serialize: encodeState,
    // The inverse of serialize for states of this shape (the property test of each aggregate proves the round trip).
    deserialize: (json) => decodeState(json) as S,
  };
}
