import fc from 'fast-check';
import { sameValue } from './same-value';

describe('sameValue', () => {
  it('ignores key order at any depth, as jsonb reorders keys', () => {
    expect(sameValue({ from: 'a', to: 'b', n: [{ x: 1, y: 2 }] }, { n: [{ y: 2, x: 1 }], to: 'b', from: 'a' })).toBe(true);
  });
  it('still tells different values, array order and absent keys apart', () => {
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });
  it('survives a JSON round trip with shuffled keys (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(JSON.stringify(value), (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
        expect(sameValue(value, shuffled)).toBe(true);
      }),
    );
  });
});
