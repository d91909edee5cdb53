import type { Decider } from '@pm/shared/ddd';
import type { PgEventStore } from './pg-event-store';
import { ExpectedVersionConflict } from './event-store.errors';
import type { EventMetadata, NewEvent, StoredEvent } from './event-store.types';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export type { Decider } from '@pm/shared/ddd';

export interface SnapshotPolicy {
  /** Snapshot type name and the version of its state shape; a new shape ignores older snapshots. */
  readonly type: string;
  readonly schemaVersion: number;
  /** Take a snapshot when at least this many events were read past the last one. */
  readonly every: number;
}

export interface HandleCommandOptions<TCommand, TEvent extends DomainEvent, TState> {
  readonly streamId: string;
  readonly decider: Decider<TCommand, TEvent, TState>;
  readonly command: TCommand;
  /** Metadata for the i-th new event (tenant, actor, correlation, trace). */
  readonly metadata: (event: TEvent, index: number) => EventMetadata;
  readonly tenantId: string;
  readonly schemaVersionOf?: (type: string) => number;
  readonly snapshot?: SnapshotPolicy;
  /** Re-run decide against fresh state this many times when another writer got there first. */
  readonly retriesOnConflict?: number;
}

export interface HandleCommandResult<TEvent, TState> {
  readonly events: TEvent[];
  readonly state: TState;
  readonly version: number;
}

/** Rebuilds state from the latest snapshot (if any) and the events after it. */
export async function loadState<TCommand, TEvent extends DomainEvent, TState>(
  store: PgEventStore,
  streamId: string,
  decider: Decider<TCommand, TEvent, TState>,
  tenantId: string,
  snapshot?: SnapshotPolicy,
): Promise<{ state: TState; version: number; readSinceSnapshot: number }> {
  let state = decider.initialState();
  let version = 0;
  if (snapshot) {
    const snap = await store.loadSnapshot<TState>(streamId, snapshot.type, snapshot.schemaVersion, tenantId);
    if (snap) {
      state = snap.state;
      version = snap.streamVersion;
    }
  }
  const events: StoredEvent[] = await store.readStream(streamId, { fromVersion: version + 1, tenantId });
  for (const e of events) {
    state = decider.evolve(state, { type: e.type, data: e.data } as TEvent);
    version = e.streamVersion;
  }
  return { state, version, readSinceSnapshot: events.length };
}

/**
 * The write path of every command: load, decide (pure), append with the version read. A concurrent writer
 * makes the append fail with ExpectedVersionConflict; the decision is then re-made against the new state.
 */
export async function handleCommand<TCommand, TEvent extends DomainEvent, TState>(
  store: PgEventStore,
  options: HandleCommandOptions<TCommand, TEvent, TState>,
): Promise<HandleCommandResult<TEvent, TState>> {
  const { streamId, decider, command, snapshot } = options;
  for (let attempt = 0; ; attempt++) {
    const loaded = await loadState(store, streamId, decider, options.tenantId, snapshot);
    const events = decider.decide(command, loaded.state);
    if (events.length === 0) return { events, state: loaded.state, version: loaded.version };
    const toAppend: NewEvent[] = events.map((e, i) => ({
      type: e.type,
      data: e.data,
      schemaVersion: options.schemaVersionOf?.(e.type) ?? 1,
      metadata: options.metadata(e, i),
    }));
    try {
      const { nextExpectedVersion } = await store.append(streamId, toAppend, loaded.version === 0 ? 'no-stream' : loaded.version);
      const state = events.reduce((s, e) => decider.evolve(s, e), loaded.state);
      if (snapshot && loaded.readSinceSnapshot + events.length >= snapshot.every) {
        await store.saveSnapshot(
          { streamId, streamVersion: nextExpectedVersion, snapshotType: snapshot.type, schemaVersion: snapshot.schemaVersion, state },
          options.tenantId,
        );
      }
      return { events, state, version: nextExpectedVersion };
    } catch (err) {
      if (err instanceof ExpectedVersionConflict && attempt < (options.retriesOnConflict ?? 3)) continue;
      throw err;
    }
  }
}
