import type { LoadedAggregate } from './aggregate-loader';

interface Entry {
  readonly aggregate: object;
  readonly tenantId: string;
  readonly loaded: LoadedAggregate<unknown>;
}

/**
 * The states of recently written aggregates, so a command on a large plan folds only the events appended since its
 * own last write instead of decoding a snapshot of the whole plan (a 2,000-task schedule's snapshot decodes in ~30 ms,
 * a 100,000-task one in over a second). The fold updates state in place, so an entry has one owner at a time:
 * `take` removes it (a concurrent command on the same stream loads from the store, as without the cache), and only
 * a committed plan gives states back (`put`). A failed or conflicting plan gives nothing back: its state may hold
 * decisions that were never stored. Bounded by entries, least recently used first out. An entry is only a starting
 * point: the events after its version, from any replica, are read and folded before it is used.
 */
export class AggregateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number) {}

  take<S>(streamId: string, aggregate: object, tenantId: string): LoadedAggregate<S> | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    this.entries.delete(streamId);
    // Another aggregate's fold or another tenant's state is never handed out.
    if (entry.aggregate !== aggregate || entry.tenantId !== tenantId) return undefined;
    return entry.loaded as LoadedAggregate<S>;
  }

  put(streamId: string, aggregate: object, tenantId: string, loaded: LoadedAggregate<unknown>): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { aggregate, tenantId, loaded });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  drop(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}
