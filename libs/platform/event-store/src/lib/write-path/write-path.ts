import { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { currentIdempotencyClaim } from '@pm/platform/request-context';
import type { RequestContext } from '@pm/platform/request-context';
import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import { ExpectedVersionConflict, TransactionOrderConflict } from '../event-store.errors';
import { markIdempotencyCommitted } from '../idempotency/pg-idempotency-records';
import type { NewEvent } from '../event-store.types';
import type { PgEventStore } from '../pg-event-store';
import { AggregateCache } from './aggregate-cache';
import { loadAfter, loadAggregate, loadAggregates } from './aggregate-loader';
import type { LoadedAggregate } from './aggregate-loader';
import { EventContractViolation, validateEvent } from './event-contract-check';
import { runInTimeSlices } from '../time-slices';
import { metadataFor } from './event-metadata';
import { StagedStream } from './staged-stream';
import { MAX_EVENT_BYTES, commitStaged } from './staged-commit';
import type { StagedChange, StagedCommitResult } from './staged-commit';
import type { AnyStaged } from './staged-stream';

export interface Decided<E, S> {
  /** What this decision produced (empty: nothing to do). */
  readonly events: E[];
  /** The state after them. */
  readonly state: S;
}

/**
 * What a plan may do: read streams, decide commands on them (each decision sees the ones before it, on any stream),
 * and add writes that must commit with the events or not at all. Nothing is stored until the plan returns.
 */
export interface WritePlan {
  readonly ctx: RequestContext;
  load<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamId: string): Promise<{ state: S; version: number }>;
  /** Several streams of one aggregate in one round trip (those the plan has not loaded yet), e.g. before deciding on each. */
  loadMany<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamIds: readonly string[]): Promise<Map<string, { state: S; version: number }>>;
  decide<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamId: string, command: C | readonly C[]): Promise<Decided<E, S>>;
  alsoInTransaction(write: (client: PoolClient) => Promise<void>): void;
}

/** What one stream of a committed plan got. */
export interface CommittedStream {
  readonly streamId: string;
  /** The stream's version after the commit (unchanged when nothing was decided on it). */
  readonly version: number;
  /** The events the plan decided on it, then those the aggregate concluded from them (e.g. CPM results). */
  readonly decided: readonly DomainEvent[];
  readonly concluded: readonly DomainEvent[];
  /** The stream's state after all of them. */
  readonly state: unknown;
}

export interface WriteOutcome<R> {
  readonly result: R;
  readonly streams: ReadonlyMap<string, CommittedStream>;
}

export interface Handled<E, S> {
  /** Decided, then concluded. */
  readonly events: E[];
  readonly decided: E[];
  readonly concluded: E[];
  readonly state: S;
  readonly version: number;
}

export interface WritePathOptions {
  /** Snapshot spacing for every aggregate with a snapshot policy (default: the policy's own). */
  readonly snapshotEvery?: number;
  /** A plan is re-run from fresh state this many times when another writer got to one of its streams first. */
  readonly retriesOnConflict?: number;
  /**
   * States of aggregates with a snapshot policy (long streams) kept after a committed command, so the next command
   * on the same stream folds only what was appended since (AggregateCache). Default 16; 0 turns it off.
   */
  readonly cachedAggregates?: number;
}

/** Streams of one aggregate and tenant that `runAllIn` reads for its plans in one round trip (made by `preloadOf`). */
export interface Preload {
  readonly aggregate: Aggregate<unknown, DomainEvent, unknown>;
  readonly tenantId: string;
  readonly streamIds: readonly string[];
}

export function preloadOf<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, tenantId: string, streamIds: readonly string[]): Preload {
  // Kept untyped until a plan stages one of the streams with this very aggregate (checked by identity there).
  return { aggregate: aggregate as unknown as Aggregate<unknown, DomainEvent, unknown>, tenantId, streamIds };
}

type Preloaded = Map<string, { aggregate: object; tenantId: string; loaded: LoadedAggregate<unknown> }>;

const isRetryable = (error: unknown): boolean => error instanceof ExpectedVersionConflict || error instanceof TransactionOrderConflict;

/** What a committed plan did to one of its streams, typed by the aggregate that stream was staged with. */
export function committedOf<C, E extends DomainEvent, S>(outcome: WriteOutcome<unknown>, aggregate: Aggregate<C, E, S>, streamId: string): Handled<E, S> | undefined {
  void aggregate;
  const committed = outcome.streams.get(streamId);
  if (!committed) return undefined;
  // The stream was staged by `aggregate` (the plan refuses one stream as two aggregates): its events and state are that aggregate's.
  const decided = committed.decided as E[];
  const concluded = committed.concluded as E[];
  return { events: [...decided, ...concluded], decided, concluded, state: committed.state as S, version: committed.version };
}

/** Commands are objects, so an array is a list of them. */
function isCommandList<C>(command: C | readonly C[]): command is readonly C[] {
  return Array.isArray(command);
}

/**
 * The one write path of every command of every service: load (snapshot + tail) → decide (pure) → conclude → validate
 * each event against its contract → append with the expected version; all streams of a plan and its same-transaction
 * writes in one PostgreSQL transaction. A concurrent writer makes the whole plan run again against fresh state; any
 * failure stores nothing.
 */
export class WritePath {
  private readonly log = new Logger('WritePath');
  private readonly cache: AggregateCache;

  constructor(
    private readonly store: PgEventStore,
    private readonly options: WritePathOptions = {},
  ) {
    this.cache = new AggregateCache(options.cachedAggregates ?? 16);
  }

  /** The state of one stream for a read (a query, or a check a handler makes before it plans). */
  async load<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamId: string, tenantId: string): Promise<{ state: S; version: number }> {
    const { state, version } = await loadAggregate(this.store, aggregate, streamId, tenantId);
    return { state, version };
  }

  /** {@link load} for several streams of one aggregate, in one round trip. */
  async loadMany<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamIds: readonly string[], tenantId: string): Promise<Map<string, { state: S; version: number }>> {
    const loaded = await loadAggregates(this.store, aggregate, streamIds, tenantId);
    return new Map([...loaded].map(([id, { state, version }]) => [id, { state, version }]));
  }

  /** One command (or one list of commands decided in turn) on one stream: the common case. */
  async handle<C, E extends DomainEvent, S>(ctx: RequestContext, aggregate: Aggregate<C, E, S>, streamId: string, command: C | readonly C[]): Promise<Handled<E, S>> {
    const outcome = await this.run(ctx, (plan) => plan.decide(aggregate, streamId, command));
    return committedOf(outcome, aggregate, streamId) ?? { events: [], decided: [], concluded: [], state: outcome.result.state, version: 0 };
  }

  /** A change too large for one transaction, staged in chunks and committed by one event (ADR 0009). */
  commitStaged<C, E extends DomainEvent, S>(ctx: RequestContext, aggregate: Aggregate<C, E, S>, streamId: string, change: StagedChange<E, S>): Promise<StagedCommitResult> {
    // The next command starts from the snapshot taken at the commit rather than folding the whole stage.
    this.cache.drop(streamId);
    return commitStaged(this.store, ctx, aggregate, streamId, change);
  }

  /** Runs a plan of several decisions as one atomic step. */
  async run<R>(ctx: RequestContext, plan: (tx: WritePlan) => Promise<R>): Promise<WriteOutcome<R>> {
    const retries = this.options.retriesOnConflict ?? 3;
    for (let attempt = 0; ; attempt++) {
      const streams = new Map<string, AnyStaged>();
      const writes: Array<(client: PoolClient) => Promise<void>> = [];
      const result = await plan(this.planContext(ctx, streams, writes));
      for (const entry of streams.values()) await entry.conclude();
      try {
        await this.commit(ctx, [...streams.values()], writes);
      } catch (error) {
        if (isRetryable(error) && attempt < retries) {
          // A short random pause spreads competing writers out, so the same one does not keep losing.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
          continue;
        }
        throw error;
      }
      const snapshotted = await this.snapshotAfterCommit(ctx, streams);
      for (const entry of streams.values()) {
        if (entry.cacheable) this.cache.put(entry.streamId, entry.aggregate, ctx.principal.tenantId, entry.loadedNow(snapshotted.has(entry.streamId)));
      }
      return { result, streams: new Map([...streams].map(([id, entry]) => [id, entry.committed()])) };
    }
  }

  /**
   * A plan committed inside a transaction the caller owns and ends (a consumer's inbox transaction, ADR 0401): the
   * events and the plan's writes commit with the caller's own rows or not at all. No retry here: a conflict fails the
   * caller's transaction, which its owner retries as a whole. No snapshot or cache either, since the caller may still
   * roll back; plans on long streams belong on `run`.
   */
  async runIn<R>(client: PoolClient, ctx: RequestContext, plan: (tx: WritePlan) => Promise<R>): Promise<WriteOutcome<R>> {
    const streams = new Map<string, AnyStaged>();
    const writes: Array<(client: PoolClient) => Promise<void>> = [];
    const result = await plan(this.planContext(ctx, streams, writes));
    for (const entry of streams.values()) await entry.conclude();
    const appends = await this.appendsOf(ctx, [...streams.values()]);
    const claim = currentIdempotencyClaim();
    if (claim && (appends.length > 0 || writes.length > 0)) await markIdempotencyCommitted(client, claim);
    await this.appendAll(appends, client);
    for (const write of writes) await write(client);
    return { result, streams: new Map([...streams].map(([id, entry]) => [id, entry.committed()])) };
  }

  /**
   * Several plans inside a transaction the caller owns (a consumer's batch, ADR 0019), each with its own context (the
   * metadata of its events), stored together: every plan's streams in one append statement per tenant, then every plan's writes in
   * plan order. `preload` reads, in one round trip per entry, streams the plans will stage (e.g. the new streams a batch
   * of events creates); a plan takes a preloaded stream the first time it stages it. Plans are decided one after another
   * but do not see each other's undecided events: two plans that write one stream are refused (the caller runs them one
   * by one instead), and a plan reading a stream another one writes reads it as stored. As `runIn`: no retry, snapshot
   * or cache.
   */
  async runAllIn<R>(
    client: PoolClient,
    items: ReadonlyArray<{ readonly ctx: RequestContext; readonly plan: (tx: WritePlan) => Promise<R> }>,
    preload: ReadonlyArray<Preload> = [],
  ): Promise<Array<WriteOutcome<R>>> {
    const preloaded: Preloaded = new Map();
    for (const { aggregate, tenantId, streamIds } of preload) {
      if (streamIds.length === 0) continue;
      for (const [id, loaded] of await loadAggregates(this.store, aggregate, streamIds, tenantId)) preloaded.set(id, { aggregate, tenantId, loaded });
    }
    const plans: Array<{ ctx: RequestContext; result: R; streams: Map<string, AnyStaged>; writes: Array<(client: PoolClient) => Promise<void>> }> = [];
    for (const { ctx, plan } of items) {
      const streams = new Map<string, AnyStaged>();
      const writes: Array<(client: PoolClient) => Promise<void>> = [];
      const result = await plan(this.planContext(ctx, streams, writes, preloaded));
      for (const entry of streams.values()) await entry.conclude();
      plans.push({ ctx, result, streams, writes });
    }
    const written = new Set<string>();
    const appends: Array<{ streamId: string; expected: number; events: NewEvent[] }> = [];
    for (const { ctx, streams } of plans) appends.push(...(await this.appendsOf(ctx, [...streams.values()])));
    for (const { streamId } of appends) {
      if (written.has(streamId)) throw new Error(`Stream ${streamId} is written by two plans of one runAllIn`);
      written.add(streamId);
    }
    // One statement per tenant: an append statement writes one tenant's streams.
    const byTenant = new Map<string, typeof appends>();
    for (const append of appends) {
      const tenantId = append.events[0].metadata.tenantId;
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), append]);
    }
    for (const group of byTenant.values()) await this.appendAll(group, client);
    for (const { writes } of plans) for (const write of writes) await write(client);
    return plans.map(({ result, streams }) => ({ result, streams: new Map([...streams].map(([id, entry]) => [id, entry.committed()])) }));
  }

  private planContext(ctx: RequestContext, streams: Map<string, AnyStaged>, writes: Array<(client: PoolClient) => Promise<void>>, preloaded?: Preloaded): WritePlan {
    const tenantId = ctx.principal.tenantId;
    /** Moves a stream read by `runAllIn`'s preload into this plan (once, for the aggregate and tenant it was read as). */
    const adopt = <C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamId: string): boolean => {
      const pre = preloaded?.get(streamId);
      if (!pre || pre.aggregate !== aggregate || pre.tenantId !== tenantId || streams.has(streamId)) return false;
      preloaded?.delete(streamId);
      // Read by `aggregate` itself (checked above), so the state is that aggregate's.
      streams.set(streamId, new StagedStream(aggregate, streamId, pre.loaded as LoadedAggregate<S>));
      return true;
    };
    const staged = async <C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamId: string): Promise<StagedStream<C, E, S>> => {
      adopt(aggregate, streamId);
      const known = streams.get(streamId);
      if (known) {
        // Each stream is staged by the aggregate that loaded it, so the entry has that aggregate's types.
        if (known.aggregate !== aggregate) throw new Error(`Stream ${streamId} is used as two aggregates in one plan`);
        return known as StagedStream<C, E, S>;
      }
      const cached = aggregate.snapshot ? this.cache.take<S>(streamId, aggregate, tenantId) : undefined;
      const loaded = cached ? await loadAfter(this.store, aggregate, streamId, tenantId, cached) : await loadAggregate(this.store, aggregate, streamId, tenantId);
      const entry = new StagedStream(aggregate, streamId, loaded);
      streams.set(streamId, entry);
      return entry;
    };
    return {
      ctx,
      load: async (aggregate, streamId) => {
        const entry = await staged(aggregate, streamId);
        return { state: entry.state, version: entry.version };
      },
      loadMany: async <C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, streamIds: readonly string[]) => {
        // Streams the plan already holds keep their staged state; the others are read together.
        const missing = streamIds.filter((id) => !streams.has(id) && !adopt(aggregate, id));
        if (missing.length > 1) {
          for (const [id, loaded] of await loadAggregates(this.store, aggregate, missing, tenantId)) streams.set(id, new StagedStream(aggregate, id, loaded));
        }
        const result = new Map<string, { state: S; version: number }>();
        for (const id of streamIds) {
          const entry = await staged(aggregate, id);
          result.set(id, { state: entry.state, version: entry.version });
        }
        return result;
      },
      decide: async (aggregate, streamId, command) => {
        const entry = await staged(aggregate, streamId);
        const events = entry.decide(isCommandList(command) ? command : [command]);
        return { events, state: entry.state };
      },
      alsoInTransaction: (write) => void writes.push(write),
    };
  }

  /**
   * Each event checked against its contract and measured, as the store will write it. In steps of 500 events: a
   * plan of thousands (a large plan's recalculation) is checked in time slices, not in one piece of the event loop.
   */
  private *toNewEvents(ctx: RequestContext, entry: AnyStaged): Generator<void, NewEvent[], void> {
    const out: NewEvent[] = [];
    for (const event of entry.events) {
      if (out.length > 0 && out.length % 500 === 0) yield;
      try {
        const { data, schemaVersion } = validateEvent(entry.context, event);
        const json = JSON.stringify(data);
        const bytes = Buffer.byteLength(json);
        // An event must fit one Kafka message: one that grows with an aggregate is a decider bug (split it).
        if (bytes > MAX_EVENT_BYTES) throw new EventContractViolation(`pm.${entry.context}.${event.type}`, '', `${bytes} bytes: an event must fit one message`);
        out.push({ type: event.type, data, schemaVersion, metadata: metadataFor(ctx), json });
      } catch (error) {
        if (error instanceof EventContractViolation) {
          this.log.error({ code: error.code, eventType: error.eventType, path: error.path, issue: error.issue, streamId: entry.streamId, tenantId: ctx.principal.tenantId }, error.message);
        }
        throw error;
      }
    }
    return out;
  }

  /** Every event is checked before anything is written: a violation stores nothing. */
  private async appendsOf(ctx: RequestContext, streams: readonly AnyStaged[]): Promise<Array<{ streamId: string; expected: number; events: NewEvent[] }>> {
    const appends: Array<{ streamId: string; expected: number; events: NewEvent[] }> = [];
    for (const s of streams) {
      if (s.events.length > 0) appends.push({ streamId: s.streamId, expected: s.loaded.version, events: await runInTimeSlices(this.toNewEvents(ctx, s)) });
    }
    return appends;
  }

  private async commit(ctx: RequestContext, streams: readonly AnyStaged[], writes: ReadonlyArray<(client: PoolClient) => Promise<void>>): Promise<void> {
    const appends = await this.appendsOf(ctx, streams);
    if (appends.length === 0 && writes.length === 0) return;
    // An HTTP command with an Idempotency-Key marks its key committed in the same transaction (ADR 0013).
    const claim = currentIdempotencyClaim();
    if (appends.length === 1 && writes.length === 0 && !claim) {
      // One statement is its own transaction: no BEGIN/COMMIT round trips on the most common path.
      const [{ streamId, expected, events }] = appends;
      await this.store.append(streamId, events, expected === 0 ? 'no-stream' : expected);
      return;
    }
    await this.store.transaction(async (client) => {
      if (claim) await markIdempotencyCommitted(client, claim);
      await this.appendAll(appends, client);
      for (const write of writes) await write(client);
    });
  }

  /** A plan's streams in one statement inside its transaction (PgEventStore.appendStreams). */
  private async appendAll(appends: ReadonlyArray<{ streamId: string; expected: number; events: NewEvent[] }>, client: PoolClient): Promise<void> {
    if (appends.length === 0) return;
    await this.store.appendStreams(appends.map(({ streamId, expected, events }) => ({ streamId, events, expected: expected === 0 ? 'no-stream' : expected })), client);
  }

  /** A snapshot is an optimisation taken after the commit: failing to take one never fails the command. Returns the streams snapshotted. */
  private async snapshotAfterCommit(ctx: RequestContext, streams: ReadonlyMap<string, AnyStaged>): Promise<Set<string>> {
    const saved = new Set<string>();
    for (const entry of streams.values()) {
      const due = entry.snapshotDue(this.options.snapshotEvery);
      if (!due) continue;
      try {
        await this.store.saveSnapshot(
          { streamId: entry.streamId, streamVersion: entry.version, snapshotType: due.type, schemaVersion: due.schemaVersion, state: due.state },
          ctx.principal.tenantId,
        );
        saved.add(entry.streamId);
      } catch (error) {
        this.log.warn({ streamId: entry.streamId, err: (error as Error).message }, 'snapshot not saved');
      }
    }
    return saved;
  }
}
