import type { FoldEvent, ForFold, PgEventStore } from '../pg-event-store';
import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import { upcastStoredEvent } from './event-contract-check';
import { readStagedEvents } from './staged-events';
import { decodeSnapshotInSteps } from '../snapshot-codec';
import { runInTimeSlices } from '../time-slices';

export interface LoadedAggregate<S> {
  readonly state: S;
  /** The stream's version the state reflects (0: no events). */
  readonly version: number;
  /** Events folded on top of the snapshot (all of them without one): when to take the next snapshot. */
  readonly sinceSnapshot: number;
}

/**
 * Snapshot + tail: the latest snapshot of the fold's current shape (if any), then only the events after it. The fold
 * may update the state in place (long plans would be quadratic otherwise), so every load builds a fresh state.
 */
export async function loadAggregate<C, E extends DomainEvent, S>(
  store: PgEventStore,
  aggregate: Aggregate<C, E, S>,
  streamId: string,
  tenantId: string,
): Promise<LoadedAggregate<S>> {
  return fromStored(store, aggregate, streamId, tenantId, await store.loadForFold(streamId, tenantId, aggregate.snapshot));
}

/** {@link loadAggregate} for several streams of one aggregate and tenant, read in one round trip. */
export async function loadAggregates<C, E extends DomainEvent, S>(
  store: PgEventStore,
  aggregate: Aggregate<C, E, S>,
  streamIds: readonly string[],
  tenantId: string,
): Promise<Map<string, LoadedAggregate<S>>> {
  const stored = await store.loadManyForFold(streamIds, tenantId, aggregate.snapshot);
  const loaded = new Map<string, LoadedAggregate<S>>();
  for (const streamId of streamIds) loaded.set(streamId, await fromStored(store, aggregate, streamId, tenantId, stored.get(streamId) ?? { snapshot: null, tail: [] }));
  return loaded;
}

async function fromStored<C, E extends DomainEvent, S>(store: PgEventStore, aggregate: Aggregate<C, E, S>, streamId: string, tenantId: string, loaded: ForFold): Promise<LoadedAggregate<S>> {
  const { decider, snapshot } = aggregate;
  const restored = loaded.snapshot && snapshot ? await restoreSnapshot<S>(loaded.snapshot.bytes) : undefined;
  if (loaded.snapshot && restored === undefined) {
    // Unreadable (written by a serialiser this runtime does not read): the snapshot is only a cache, fold it all.
    const all = await store.readStream(streamId, { fromVersion: 1, tenantId });
    return foldTail(store, aggregate, tenantId, { state: decider.initialState(), version: 0, sinceSnapshot: 0 }, all);
  }
  const from = { state: restored ?? decider.initialState(), version: loaded.snapshot?.streamVersion ?? 0, sinceSnapshot: 0 };
  return foldTail(store, aggregate, tenantId, from, loaded.tail);
}

/**
 * A snapshot's state (ADR 0011: structured-clone bytes, a large state's Maps in parts), decoded in time slices so a
 * large plan's first load does not hold the event loop; undefined when these bytes cannot be read.
 */
async function restoreSnapshot<S>(bytes: Buffer): Promise<S | undefined> {
  try {
    return (await runInTimeSlices(decodeSnapshotInSteps(bytes))) as S;
  } catch {
    return undefined;
  }
}

/**
 * A state already in memory (a cached aggregate the caller owns) brought up to the stream's head: only the events
 * appended after its version are read and folded, the state updated in place.
 */
export async function loadAfter<C, E extends DomainEvent, S>(
  store: PgEventStore,
  aggregate: Aggregate<C, E, S>,
  streamId: string,
  tenantId: string,
  known: LoadedAggregate<S>,
): Promise<LoadedAggregate<S>> {
  const tail = await store.readStream(streamId, { fromVersion: known.version + 1, tenantId });
  return foldTail(store, aggregate, tenantId, known, tail);
}

async function foldTail<C, E extends DomainEvent, S>(
  store: PgEventStore,
  aggregate: Aggregate<C, E, S>,
  tenantId: string,
  from: LoadedAggregate<S>,
  tail: readonly FoldEvent[],
): Promise<LoadedAggregate<S>> {
  const { decider, context } = aggregate;
  let { state, version } = from;
  for (const stored of tail) {
    if (aggregate.staged && stored.type === aggregate.staged.commitType) {
      // A committed staged change: its chunks' events come first, in chunk order (ADR 0009).
      for await (const chunk of readStagedEvents(store, aggregate.staged.stagingStreamOf(stored.data), tenantId)) {
        for (const event of chunk) state = decider.evolve(state, event as E);
      }
    }
    // The decider's event union is the contract catalogue of its context, upcast to the latest versions.
    state = decider.evolve(state, upcastStoredEvent(context, stored.type, stored.schemaVersion, stored.data) as E);
    version = stored.streamVersion;
  }
  return { state, version, sinceSnapshot: from.sinceSnapshot + tail.length };
}
