import type { Pool, PoolClient } from 'pg';
import type { ConsumedEvent, EventHandler } from './consumer.types';

export type InboxOutcome = 'applied' | 'duplicate';

export type InboxBatchResult =
  /** Committed: one outcome per message, from the first; fewer than given when the time bound cut the batch. */
  | { readonly ok: true; readonly outcomes: readonly InboxOutcome[] }
  /** Rolled back: nothing of the batch was applied. `failedAt` names the message whose handler threw, if one did. */
  | { readonly ok: false; readonly failedAt?: number; readonly error: unknown };

export interface InboxBatchOptions {
  readonly pool: Pool;
  readonly inboxName: string;
  readonly handler: EventHandler;
  /** Stop taking messages into the transaction once it has run this long (the rest go in the next one). */
  readonly maxTransactionMs: number;
  /** Keeps the group membership alive during a long transaction (kafkajs throttles it to the heartbeat interval). */
  readonly heartbeat: () => Promise<void>;
  /** Runs the handler call of the i-th message (its trace context). */
  readonly around?: (index: number, fn: () => Promise<void>) => Promise<void>;
  /**
   * Writes the handlers gather and make once per transaction (e.g. many rows in one statement, locks taken in one
   * order): `begin` after BEGIN, `flush` after the last handler and before COMMIT, in the transaction.
   */
  readonly transactionScope?: TransactionScope;
  /** Test seams: after the handlers ran, before COMMIT; and after COMMIT. */
  readonly beforeCommit?: (events: readonly ConsumedEvent[]) => Promise<void> | void;
  readonly afterCommit?: (events: readonly ConsumedEvent[]) => Promise<void> | void;
}

export interface TransactionScope {
  /**
   * After BEGIN, with the transaction's messages (those it may apply: the time bound may end it before the last, and
   * duplicates are among them): a scope may read ahead what its handlers will need, in the transaction.
   */
  readonly begin: (tx: PoolClient, events: readonly ConsumedEvent[]) => void | Promise<void>;
  readonly flush: (tx: PoolClient) => Promise<void>;
}

const INSERT_INBOX = `
INSERT INTO inbox (consumer, event_id, event_type, tenant_id, topic, kafka_partition, kafka_offset)
SELECT $1, e.id, e.type, e.tenant, $2, $3, e.off
FROM unnest($4::uuid[], $5::text[], $6::text[], $7::int8[]) AS e(id, type, tenant, off)
ON CONFLICT DO NOTHING
RETURNING event_id::text AS id`;

/** The first chunk's size: later chunks are sized from the time its messages took (see `applyInboxBatch`). */
export const FIRST_INBOX_CHUNK = 8;

/**
 * Applies messages of one partition, in order, in ONE transaction together with their inbox rows. The inbox rows go
 * in chunk by chunk, each in one statement (ON CONFLICT DO NOTHING) before its messages' handlers: a message whose row
 * already existed, or whose event id appeared earlier in the same batch, is a duplicate and its handler is not
 * called. Any failure rolls the whole batch back and is reported, never half-applied.
 *
 * The time bound may end the transaction before the last message. Rows go in per chunk so that a cut leaves few
 * rows to take back: the first chunk is small (`FIRST_INBOX_CHUNK`), and each next one holds as many messages as the
 * time left fits at the pace measured so far (all the rest when they fit: two statements for most batches). A cut
 * deletes only the inserted rows of its chunk's unreached messages.
 */
export async function applyInboxBatch(events: readonly ConsumedEvent[], options: InboxBatchOptions): Promise<InboxBatchResult> {
  const { pool, inboxName, handler } = options;
  let started = Date.now();
  // The first message with an event id is the one applied; a later one with the same id is a duplicate.
  const first = new Map<string, number>();
  events.forEach((e, i) => {
    const id = e.envelope.id.toLowerCase();
    if (!first.has(id)) first.set(id, i);
  });
  const firstsIn = (from: number, to: number) => events.slice(from, to).filter((e, k) => first.get(e.envelope.id.toLowerCase()) === from + k);
  let tx: PoolClient;
  try {
    tx = await pool.connect();
  } catch (error) {
    return { ok: false, error };
  }
  let failedAt: number | undefined;
  const outcomes: InboxOutcome[] = [];
  try {
    await tx.query('BEGIN');
    await options.transactionScope?.begin(tx, events);
    // The time bound is the handlers': a scope's read-ahead for all the messages does not shorten their transaction.
    started = Date.now();
    const fresh = new Set<string>();
    /** Inbox rows of the messages [from, to): the first of each event id, inserted unless already there. */
    const insertChunk = async (from: number, to: number) => {
      const firsts = firstsIn(from, to);
      if (firsts.length === 0) return;
      const inserted = await tx.query<{ id: string }>({
        name: 'inbox_insert_batch',
        text: INSERT_INBOX,
        values: [
          inboxName,
          events[0].topic,
          events[0].partition,
          firsts.map((e) => e.envelope.id),
          firsts.map((e) => e.envelope.type),
          firsts.map((e) => e.envelope.tenantid),
          firsts.map((e) => e.offset),
        ],
      });
      for (const r of inserted.rows) fresh.add(r.id);
    };
    const isNew = (i: number) => {
      const id = events[i].envelope.id.toLowerCase();
      return first.get(id) === i && fresh.has(id);
    };
    const handlersStarted = Date.now();
    /** The next chunk from message i: what the time left fits at the pace so far, at least one message. */
    const chunkFrom = (i: number) => {
      if (i === 0) return Math.min(events.length, FIRST_INBOX_CHUNK);
      const left = options.maxTransactionMs - (Date.now() - started);
      const perMessage = Math.max(0.01, (Date.now() - handlersStarted) / i);
      return i + Math.min(events.length - i, Math.max(1, Math.ceil(left / perMessage)));
    };
    let chunkEnd = 0;
    // A heartbeat that fails says the group is rebalancing: end the transaction early so the batch can hand the
    // partition back soon (the caller's unguarded heartbeat then ends it), instead of failing again per message.
    let rebalancing = false;
    for (let i = 0; i < events.length; i++) {
      if (i === chunkEnd) {
        chunkEnd = chunkFrom(i);
        await insertChunk(i, chunkEnd);
      }
      const applies = isNew(i);
      if (applies) {
        failedAt = i;
        await (options.around ? options.around(i, () => handler(events[i], tx)) : handler(events[i], tx));
        failedAt = undefined;
      }
      outcomes.push(applies ? 'applied' : 'duplicate');
      if (!rebalancing) await options.heartbeat().catch(() => void (rebalancing = true));
      if ((rebalancing || Date.now() - started >= options.maxTransactionMs) && i + 1 < events.length) break;
    }
    if (outcomes.length < chunkEnd) {
      // Cut short (time bound or rebalance) inside a chunk: its unreached messages are not applied here, so their
      // inbox rows must not commit either. Rows of later chunks were never inserted.
      const rest = events.slice(outcomes.length, chunkEnd).flatMap((e, k) => (isNew(outcomes.length + k) ? [e.envelope.id] : []));
      if (rest.length) await tx.query('DELETE FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])', [inboxName, rest]);
    }
    await options.transactionScope?.flush(tx);
    await options.beforeCommit?.(events.slice(0, outcomes.length));
    await commitOrThrow(tx);
  } catch (error) {
    const rolledBack = await tx.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    // A connection that could not even roll back is broken: the pool must not hand it out again.
    tx.release(!rolledBack);
    return { ok: false, failedAt, error };
  }
  tx.release();
  await options.afterCommit?.(events.slice(0, outcomes.length));
  return { ok: true, outcomes };
}

/** A handler that swallowed an SQL error leaves the transaction aborted, and COMMIT then quietly rolls back. */
export async function commitOrThrow(tx: PoolClient): Promise<void> {
  const res = await tx.query('COMMIT');
  if (res.command !== 'COMMIT') throw new Error(`COMMIT answered ${res.command}: a handler swallowed a database error, nothing was applied`);
}
