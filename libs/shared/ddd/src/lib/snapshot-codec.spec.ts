import { decodeState, encodeState } from './snapshot-codec';

describe('snapshot codec', () => {
  it('round-trips Maps, Sets and nested objects through JSON, in order', () => {
    const state = { tasks: new Map([['b', { n: 1 }], ['a', { n: 2 }]]), seen: new Set(['x', 'y']), list: [1, { k: 'v' }] };
    expect(decodeState(JSON.parse(JSON.stringify(encodeState(state))))).toEqual(state);
  });

  it('keeps client-chosen keys such as __proto__ and constructor as keys, in Maps and in plain objects', () => {
    const state = { byId: new Map([['__proto__', 1], ['constructor', 2]]), plain: JSON.parse('{"__proto__": {"x": 1}, "toString": 3}') };
    const encoded = encodeState(state) as { plain: object };
    expect(Object.getPrototypeOf(encoded.plain)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(encoded.plain, '__proto__')?.value).toEqual({ x: 1 });
    const decoded = decodeState(JSON.parse(JSON.stringify(encoded))) as typeof state;
    expect([...decoded.byId]).toEqual([['__proto__', 1], ['constructor', 2]]);
    expect(Object.getOwnPropertyDescriptor(decoded.plain, '__proto__')?.value).toEqual({ x: 1 });
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
