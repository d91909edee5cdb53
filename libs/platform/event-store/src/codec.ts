// The snapshot codec alone, for worker threads that write a state's snapshot bytes without loading the store.
export { SNAPSHOT_PART_ENTRIES, decodeSnapshot, decodeSnapshotInSteps, encodeSnapshot, encodeSnapshotPieces } from './lib/snapshot-codec';
