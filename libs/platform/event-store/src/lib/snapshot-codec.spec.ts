import { serialize } from 'node:v8';
import { adoptRealm } from '@pm/shared/ddd/testing';
import { SNAPSHOT_PART_ENTRIES, decodeSnapshot, decodeSnapshotInSteps, encodeSnapshot, encodeSnapshotPieces } from './snapshot-codec';

const bigMap = (n: number, prefix: string) => new Map(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, { id: `${prefix}${i}`, n: i, tags: new Set([i % 3]) }]));

describe('snapshot codec', () => {
  it('writes a state without large Maps as the plain structured clone it always was', () => {
    const state = { status: 'open', tasks: bigMap(SNAPSHOT_PART_ENTRIES, 't'), at: 0 };
    expect(Buffer.compare(encodeSnapshot(state), serialize(state))).toBe(0);
    expect(adoptRealm(decodeSnapshot(serialize(state)))).toEqual(state);
  });

  it('writes large top-level Maps in parts and reads back the same state, fields and entries in their order', () => {
    const state = { status: 'open', tasks: bigMap(2 * SNAPSHOT_PART_ENTRIES + 1, 't'), small: new Map([['a', 1]]), links: bigMap(SNAPSHOT_PART_ENTRIES + 5, 'l'), count: 7 };
    const bytes = encodeSnapshot(state);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('PMSNAPP1');
    const decoded = adoptRealm(decodeSnapshot(bytes)) as typeof state;
    expect(decoded).toEqual(state);
    expect(Object.keys(decoded)).toEqual(Object.keys(state));
    expect([...decoded.tasks.keys()]).toEqual([...state.tasks.keys()]);
    // The pieces (a frame, the shell, then 3 + 2 parts) are the same bytes unjoined, each owning its memory.
    const pieces = encodeSnapshotPieces(state);
    expect(pieces).toHaveLength(7);
    expect(Buffer.compare(Buffer.concat(pieces), bytes)).toBe(0);
  });

  it('pauses once before each part (3 parts of tasks and 2 of links here)', () => {
    const steps = decodeSnapshotInSteps(encodeSnapshot({ tasks: bigMap(2 * SNAPSHOT_PART_ENTRIES + 1, 't'), links: bigMap(SNAPSHOT_PART_ENTRIES + 5, 'l') }));
    let pauses = 0;
    for (let step = steps.next(); !step.done; step = steps.next()) pauses++;
    expect(pauses).toBe(5);
  });

  it('keeps a large Map under a field named like a prototype member as data', () => {
    const state = JSON.parse('{"__proto__": null, "constructor": 1}') as Record<string, unknown>;
    Object.defineProperty(state, '__proto__', { value: bigMap(SNAPSHOT_PART_ENTRIES + 1, 'p'), enumerable: true, writable: true, configurable: true });
    const decoded = decodeSnapshot(encodeSnapshot(state)) as Record<string, unknown>;
    // A plain object (deserialize answers in its own realm, hence no instanceof here) whose own field holds the Map.
    expect(Object.getPrototypeOf(Object.getPrototypeOf(decoded))).toBeNull();
    const field: unknown = Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value;
    expect(Object.prototype.toString.call(field)).toBe('[object Map]');
    expect((field as Map<string, unknown>).size).toBe(SNAPSHOT_PART_ENTRIES + 1);
    expect(decoded.constructor).toBe(1);
    expect(({} as Record<string, unknown>).n).toBeUndefined();
  });

  it('refuses a parted snapshot cut short (the loader then folds the stream instead)', () => {
    const bytes = encodeSnapshot({ tasks: bigMap(SNAPSHOT_PART_ENTRIES + 1, 't') });
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 10))).toThrow('shorter than its frame');
  });
});
