import type { PgEventStore } from '../pg-event-store';
import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import { upcastStoredEvent } from './event-contract-check';
import { readStagedEvents } from './staged-events';

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
  const { decider, snapshot, context } = aggregate;
  const loaded = await store.loadForFold(streamId, tenantId, snapshot);
  let state = loaded.snapshot && snapshot ? snapshot.deserialize(loaded.snapshot.state) : decider.initialState();
  let version = loaded.snapshot?.streamVersion ?? 0;
  const { tail } = loaded;
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
  return { state, version, sinceSnapshot: tail.length };
}
