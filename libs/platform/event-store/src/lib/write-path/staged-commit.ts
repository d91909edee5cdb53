import type { RequestContext } from '@pm/platform/request-context';
import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import type { NewEvent } from '../event-store.types';
import type { PgEventStore } from '../pg-event-store';
import { contractRegistry } from '@pm/contracts';
import { EventContractViolation, publicTypeOf, validateEvent } from './event-contract-check';
import { Logger } from '@nestjs/common';
import { metadataFor } from './event-metadata';

/** Bytes of event data per chunk: a chunk is one Kafka message, whose broker limit is about 1 MB. */
const log = new Logger('WritePath');

export const DEFAULT_MAX_CHUNK_BYTES = 512 * 1024;
/** Beyond this a single event would not fit a Kafka message (with its envelope): refused as a contract violation. */
export const MAX_EVENT_BYTES = 900 * 1024;

export interface StagedChange<E extends DomainEvent, S> {
  /** The aggregate stream's version the change was decided on: the commit appends with it. */
  readonly expectedVersion: number;
  /** The change's events in order, produced as they are decided (chunks are written while more are computed). */
  readonly events: AsyncIterable<readonly E[]> | Iterable<readonly E[]>;
  readonly stagingStreamId: string;
  /** The chunk event's data around its events (e.g. `{ projectId, importId, chunk, events }`). */
  chunkData(events: readonly unknown[], chunk: number): unknown;
  /** The commit event, once every chunk is staged. */
  commit(summary: { readonly chunks: number; readonly events: number }): E;
  /**
   * Events appended right after the commit, in the same append, each at its own stream version and contract version
   * (read once every chunk is staged). For events a chunk cannot carry: a chunk's entries are read as version 1 of
   * their contracts (ADR 0009), so an event whose contract has moved past version 1 goes here.
   */
  trailing?(): readonly E[];
  /** Chunks below this were staged by an earlier attempt of the same change (chunking is deterministic). */
  readonly fromChunk?: number;
  readonly maxChunkBytes?: number;
  /** After each chunk is staged (progress, a resume checkpoint). */
  onChunkStaged?(chunk: number, events: number): Promise<void> | void;
  /** The aggregate's state after the change, snapshotted right after the commit so no load re-folds the chunks. */
  finalState?(): S;
  /** The same, already encoded as the store writes snapshots (`encodeSnapshotPieces`, off the event loop), in its pieces. */
  finalStateBytes?(): Uint8Array | readonly Uint8Array[];
}

export interface StagedCommitResult {
  readonly version: number;
  readonly chunks: number;
  readonly events: number;
}

/**
 * A change too large for one transaction (ADR 0009): its events, each validated against its contract, are written
 * in chunks to a staging stream, each chunk its own short transaction (readers of the log never wait behind one
 * long transaction) and its own message under the broker's limit; then ONE commit event on the aggregate's stream,
 * with the expected version, makes them part of the aggregate. A crash before the commit leaves chunks nothing
 * applies; a concurrent change to the aggregate fails the commit (ExpectedVersionConflict) and the change is re-made.
 */
export async function commitStaged<C, E extends DomainEvent, S>(
  store: PgEventStore,
  ctx: RequestContext,
  aggregate: Aggregate<C, E, S>,
  streamId: string,
  change: StagedChange<E, S>,
): Promise<StagedCommitResult> {
  const staged = aggregate.staged;
  if (!staged) throw new Error(`${aggregate.name} does not take staged changes`);
  const maxBytes = change.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  let chunk = 0;
  let total = 0;
  // Bytes of the chunk's `events` array as JSON: brackets, then each `{"type":…,"data":…}` and its comma.
  const EMPTY = 2;
  let pending: unknown[] = [];
  let pendingBytes = EMPTY;

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    if (chunk >= (change.fromChunk ?? 0)) {
      const data = change.chunkData(pending, chunk);
      // The envelope fields are checked by the chunk's contract; its events were each checked by their own above.
      validateEvent(aggregate.context, { type: staged.chunkType, data: change.chunkData(pending.slice(0, 1), chunk) });
      const event: NewEvent = { type: staged.chunkType, data, schemaVersion: chunkVersion(aggregate.context, staged.chunkType), metadata: { ...metadataFor(ctx), stagedInto: streamId } };
      await store.append(change.stagingStreamId, [event], chunk === 0 ? 'no-stream' : chunk);
    }
    total += pending.length;
    await change.onChunkStaged?.(chunk, total);
    chunk += 1;
    pending = [];
    pendingBytes = EMPTY;
  };

  for await (const batch of change.events) {
    for (const event of batch) {
      const { data } = validateEvent(aggregate.context, event);
      const entry = { type: event.type, data };
      const bytes = Buffer.byteLength(JSON.stringify(entry)) + 1;
      if (bytes > MAX_EVENT_BYTES) throw new EventContractViolation(`pm.${aggregate.context}.${event.type}`, '', `${bytes} bytes: an event must fit one message`);
      if (pending.length > 0 && pendingBytes + bytes > maxBytes) await flush();
      pending.push(entry);
      pendingBytes += bytes;
    }
  }
  await flush();
  if (chunk === 0) throw new Error('A staged change needs at least one event');

  const commit = change.commit({ chunks: chunk, events: total });
  const { data, schemaVersion } = validateEvent(aggregate.context, commit);
  const trailing: NewEvent[] = (change.trailing?.() ?? []).map((event) => ({ type: event.type, ...validateEvent(aggregate.context, event), metadata: metadataFor(ctx) }));
  const { nextExpectedVersion } = await store.append(
    streamId,
    [{ type: commit.type, data, schemaVersion, metadata: { ...metadataFor(ctx), commitsStage: { streamId: change.stagingStreamId, chunks: chunk } } }, ...trailing],
    change.expectedVersion === 0 ? 'no-stream' : change.expectedVersion,
  );
  const policy = aggregate.snapshot;
  const snapshot = { streamId, streamVersion: nextExpectedVersion, snapshotType: policy?.type ?? '', schemaVersion: policy?.schemaVersion ?? 0 };
  // The change is committed: a snapshot is an optimisation, and failing to take one (a state past PostgreSQL's
  // 1 GB bytea limit, say) must not make a committed change look failed. The next load folds the stage instead.
  try {
    if (policy && change.finalStateBytes) await store.saveSnapshotBytes({ ...snapshot, bytes: change.finalStateBytes() }, ctx.principal.tenantId);
    else if (policy && change.finalState) await store.saveSnapshot({ ...snapshot, state: change.finalState() }, ctx.principal.tenantId);
  } catch (error) {
    log.warn({ streamId, version: nextExpectedVersion, err: (error as Error).message }, 'snapshot after a staged commit not saved');
  }
  return { version: nextExpectedVersion, chunks: chunk, events: total };
}

function chunkVersion(context: string, chunkType: string): number {
  return contractRegistry.latest(publicTypeOf(context, chunkType)).version;
}
