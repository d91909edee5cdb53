import { deserialize, serialize } from 'node:v8';
import { types } from 'node:util';

/**
 * A value rebuilt with this realm's Map, Set, Array and Object. `node:v8` (and `structuredClone`) build what they
 * read in Node's main realm, while Jest runs each spec in a VM context of its own: Jest's equality and `instanceof`
 * would tell such a Map from the spec's own. Services run in one realm, so only specs need this.
 */
export function adoptRealm<T>(value: T): T {
  return adopt(value) as T;
}

function adopt(value: unknown): unknown {
  if (types.isMap(value)) return new Map([...(value as Map<unknown, unknown>)].map(([k, v]) => [adopt(k), adopt(v)]));
  if (types.isSet(value)) return new Set([...(value as Set<unknown>)].map(adopt));
  if (Array.isArray(value)) return value.map(adopt);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Defined, not assigned: a key such as `__proto__` stays an own property.
    for (const [key, v] of Object.entries(value)) Object.defineProperty(out, key, { value: adopt(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** What the event store does to a state it snapshots (ADR 0011): written with `node:v8` and read back. */
export function throughSnapshot<S>(state: S): S {
  return adoptRealm(deserialize(serialize(state)) as S);
}
