import type { PgEventStore } from '../pg-event-store';
import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import { upcastStoredEvent } from './event-contract-check';

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
  let state = decider.initialState();
  let version = 0;
  if (snapshot) {
    const saved = await store.loadSnapshot<unknown>(streamId, snapshot.type, snapshot.schemaVersion, tenantId);
    if (saved) {
      state = snapshot.deserialize(saved.state);
      version = saved.streamVersion;
    }
  }
  const tail = await store.readStream(streamId, { fromVersion: version + 1, tenantId });
  for (const stored of tail) {
    // The decider's event union is the contract catalogue of its context, upcast to the latest versions.
    state = decider.evolve(state, upcastStoredEvent(context, stored.type, stored.schemaVersion, stored.data) as E);
    version = stored.streamVersion;
  }
  return { state, version, sinceSnapshot: tail.length };
}
