import { deserialize, serialize } from 'node:v8';

/**
 * Entries per part of a state's large Map. A snapshot is structured-clone bytes (ADR 0011), and one `deserialize` of
 * a 100,000-task schedule held the event loop 0.5-1.6 s (with the collections it caused) at the first command after an
 * import, for every tenant of the service. A state's top-level Maps larger than this are written in parts of this
 * many entries, each its own structured clone, so that decoding can pause between parts (decodeSnapshotInSteps).
 */
export const SNAPSHOT_PART_ENTRIES = 10_000;

/** Starts a parted snapshot; a plain structured clone starts with its version tag, 0xFF, so the two never collide. */
const PARTED = Buffer.from('PMSNAPP1', 'latin1');

interface PartedHead {
  readonly shell: Record<string, unknown>;
  /** The parted fields in order, each with its entry count. */
  readonly fields: ReadonlyArray<readonly [string, number]>;
}

/** A plain object of any realm (a state a snapshot restored comes from `deserialize`'s realm). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const isMap = (value: unknown): value is Map<unknown, unknown> => Object.prototype.toString.call(value) === '[object Map]';

/** Sets a field as data, whatever its name (`__proto__` included). */
const setField = (target: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
};

/**
 * A state's snapshot bytes: a plain structured clone, or, when the state is a plain object with top-level Maps of
 * more than SNAPSHOT_PART_ENTRIES entries, a framed list of clones (`PMSNAPP1`, the part count and lengths as
 * uint32, then the parts): the state with those fields emptied, then their entries in order, a part at a time.
 * Objects shared between two parted Maps would come back as copies; a state's Maps hold their own values.
 */
export function encodeSnapshot(state: unknown): Buffer {
  const pieces = encodeSnapshotPieces(state);
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
}

/**
 * {@link encodeSnapshot}'s bytes as the pieces they were made in, each owning its memory (a worker thread transfers
 * them, the store streams them one after another): joining 80 MB of parts into one buffer first doubled what a large
 * import's end held.
 */
export function encodeSnapshotPieces(state: unknown): Buffer[] {
  if (!isPlainObject(state)) return [serialize(state)];
  const large = Object.entries(state).filter((entry): entry is [string, Map<unknown, unknown>] => isMap(entry[1]) && entry[1].size > SNAPSHOT_PART_ENTRIES);
  if (large.length === 0) return [serialize(state)];
  const shell = { ...state };
  for (const [key] of large) setField(shell, key, null);
  const head: PartedHead = { shell, fields: large.map(([key, map]) => [key, map.size] as const) };
  const parts: Buffer[] = [serialize(head)];
  for (const [, map] of large) {
    let entries: Array<[unknown, unknown]> = [];
    for (const entry of map) {
      entries.push(entry);
      if (entries.length === SNAPSHOT_PART_ENTRIES) {
        parts.push(serialize(entries));
        entries = [];
      }
    }
    if (entries.length > 0) parts.push(serialize(entries));
  }
  const frame = Buffer.alloc(PARTED.length + 4 * (1 + parts.length));
  PARTED.copy(frame);
  frame.writeUInt32BE(parts.length, PARTED.length);
  parts.forEach((part, i) => frame.writeUInt32BE(part.length, PARTED.length + 4 * (1 + i)));
  return [frame, ...parts];
}

/** Decodes what {@link encodeSnapshot} wrote (or any plain structured clone) at once. */
export function decodeSnapshot(bytes: Buffer): unknown {
  const steps = decodeSnapshotInSteps(bytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** {@link decodeSnapshot} in steps: a pause before each part, so a caller can let other work run between them. */
export function* decodeSnapshotInSteps(bytes: Buffer): Generator<void, unknown, void> {
  if (bytes.length < PARTED.length || !bytes.subarray(0, PARTED.length).equals(PARTED)) return deserialize(bytes);
  const count = bytes.readUInt32BE(PARTED.length);
  let offset = PARTED.length + 4 * (1 + count);
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const length = bytes.readUInt32BE(PARTED.length + 4 * (1 + i));
    if (offset + length > bytes.length) throw new Error('A parted snapshot is shorter than its frame says');
    parts.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  const head = deserialize(parts[0]) as PartedHead;
  let next = 1;
  for (const [key, size] of head.fields) {
    const map = new Map<unknown, unknown>();
    while (map.size < size) {
      if (next >= parts.length) throw new Error(`A parted snapshot ends before its field ${key} is complete`);
      yield;
      for (const [k, v] of deserialize(parts[next++]) as Array<[unknown, unknown]>) map.set(k, v);
    }
    setField(head.shell, key, map);
  }
  return head.shell;
}
