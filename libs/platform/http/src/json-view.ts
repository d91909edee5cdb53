import { types } from 'node:util';

/**
 * A value as its JSON answer: Maps become objects (built with `Object.fromEntries`, so a key such as `__proto__` is
 * an own property, never a prototype), Sets become arrays. Domain states key client ids by Map; this is the one
 * place they turn back into the objects an API has always answered. Maps and Sets are recognised whatever realm
 * built them (a state read from a snapshot is deserialised by `node:v8`, outside a test runner's VM context).
 */
export function jsonView(value: unknown): unknown {
  if (types.isMap(value)) return Object.fromEntries([...value].map(([k, v]) => [String(k), jsonView(v)]));
  if (types.isSet(value)) return [...value].map(jsonView);
  if (Array.isArray(value)) return value.map(jsonView);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonView(v)]));
  return value;
}
