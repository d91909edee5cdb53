import type { SnapshotPolicy } from './aggregate';

/**
 * The snapshot policy of an aggregate whose state is plain data, Maps and Sets (the store writes it with the
 * structured-clone serialisation, ADR 0011). `schemaVersion` must change with the state's shape: an older snapshot
 * is then ignored and the stream folded from the start.
 */
export function snapshotPolicy<S>(type: string, schemaVersion: number, every: number, sizeOf?: (state: S) => number): SnapshotPolicy<S> {
  return sizeOf ? { type, schemaVersion, every, sizeOf } : { type, schemaVersion, every };
}
