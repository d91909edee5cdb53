import fc from 'fast-check';
import { sameValue } from './same-value';

/** Rebuilds a value with every object's keys in reverse order, as PostgreSQL jsonb may hand them back. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
  }
  return value;
}

describe('sameValue', () => {
  it('treats the same content with different key order as equal, at any depth', () => {
    expect(sameValue({ a: 1, b: { c: [1, { d: 'x', e: null }] } }, { b: { c: [1, { e: null, d: 'x' }] }, a: 1 })).toBe(true);
  });

  it('keeps array order significant', () => {
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });

  it('tells apart missing keys, extra keys, null and different values', () => {
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(sameValue({ a: null }, {})).toBe(false);
    expect(sameValue({ a: '1' }, { a: 1 })).toBe(false);
    expect(sameValue([], {})).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });

  it('ignores keys holding undefined, as serialisation does', () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it('holds for any JSON value against its key-reordered copy, and JSON text equality implies it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameValue(a, reordered(a))).toBe(true);
        if (JSON.stringify(a) === JSON.stringify(b)) expect(sameValue(a, b)).toBe(true);
      }),
    );
  });
});
