import type { Pool, PoolClient } from 'pg';
import { AppendNotifier } from './append-wakeups';
import { DuplicateEventId, ExpectedVersionConflict, InvalidAppend, StreamTenantMismatch, TransactionOrderConflict } from './event-store.errors';
import { EVENT_ID_INDEX, STREAM_VERSION_INDEX } from './event-store.schema';
import type {
  AppendResult,
  Checkpoint,
  ExpectedVersion,
  NewEvent,
  Snapshot,
  StoredEvent,
} from './event-store.types';
import { START_OF_LOG } from './event-store.types';
import { APPEND_ONE_SQL, APPEND_SQL, APPEND_STATEMENT_EVENTS, APPEND_STREAMS_SQL, EVENT_COLUMNS, STEPPED_APPEND_EVENTS, eventColumnLiteralsInSteps, eventColumns, INVALID_TEXT, RETRYABLE_EXPECTATIONS, UNIQUE_VIOLATION, actualVersion, encodeExpected, expectationHolds, toStoredEvent } from './pg-event-store.sql';
import { READ_HORIZON_SQL } from './pg-event-store.sql';
import { loadManyForFold, loadSnapshot, saveSnapshotBytes } from './pg-event-store.snapshots';
import type { SnapshotBytes, SnapshotShape } from './pg-event-store.snapshots';
import { encodeSnapshotPieces } from './snapshot-codec';
import { runInTimeSlices } from './time-slices';
import type { EventColumns, EventRow, ForFold, PgError, Queryable, StreamHead } from './pg-event-store.sql';

export type { FoldEvent, ForFold } from './pg-event-store.sql';
export { eventMetadata } from './event-metadata';

export interface PgEventStoreOptions {
  /**
   * Announce committed appends on `APPENDED_CHANNEL` (after the commit, debounced) so the relay and
   * projections wake at once instead of at their next poll. On by default.
   */
  readonly notifyAppends?: boolean;
}

/**
 * The event store of one service, on its own PostgreSQL database. It is also the outbox: the relay tails
 * {@link readAll} and publishes to Kafka, so an event is stored and published without a distributed transaction.
 */
export class PgEventStore {
  private readonly notifier?: AppendNotifier;

  constructor(
    private readonly pool: Pool,
    options: PgEventStoreOptions = {},
  ) {
    if (options.notifyAppends !== false) this.notifier = new AppendNotifier(pool);
  }

  /**
   * Wakes tailing readers now. `append` calls it itself when it ran in its own transaction; a caller that
   * appended through its own `client` calls it after its COMMIT (until then nothing is visible), or the
   * readers see the events at their next poll.
   */
  notifyAppended(): void {
    this.notifier?.notify();
  }

  /** Resolves once the wake-up notifications sent so far are done (tests and benchmarks). */
  async notificationsSettled(): Promise<void> {
    await this.notifier?.settled();
  }

  /**
   * Appends events to one stream in one statement (one transaction, unless `client` is inside one).
   *
   * The statement reads the stream's head (last version and owning tenant), checks the expectation and inserts
   * at head+1..head+n. Two writers that read the same head race for the same (stream_id, stream_version) key;
   * the unique index lets exactly one win and the other fails with a unique violation, reported as
   * ExpectedVersionConflict. No stream table and no lock: the index is the guard.
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    client: Queryable = this.pool,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new InvalidAppend('Nothing to append');
    const tenantId = events[0].metadata.tenantId;
    if (!tenantId) throw new InvalidAppend('Every event needs a tenant');
    if (events.some((e) => e.metadata.tenantId !== tenantId)) throw new InvalidAppend('All events of one append must share a tenant');
    if (events.length > APPEND_STATEMENT_EVENTS && !RETRYABLE_EXPECTATIONS.has(expected)) return this.appendInStatements(streamId, tenantId, events, expected, client);
    return this.insert(streamId, tenantId, events.length, await columnsOf(events), expected, client);
  }

  /** One append statement of `count` events whose parameters are encoded (see append). */
  private async insert(
    streamId: string,
    tenantId: string,
    count: number,
    columns: EventColumns<string[], number[]> | EventColumns<string, string>,
    expected: ExpectedVersion,
    client: Queryable,
  ): Promise<AppendResult> {
    const { ids, types, versions, data, metadata, occurredAt } = columns;
    // Scalars for one event: its columns are arrays then (only appends over STEPPED_APPEND_EVENTS come as literals).
    const one = count === 1;
    const query = {
      // Named: PostgreSQL parses and plans the statement once per connection, not on every append.
      name: one ? 'es_append_one' : 'es_append_many',
      text: one ? APPEND_ONE_SQL : APPEND_SQL,
      values: [
        streamId,
        tenantId,
        encodeExpected(expected),
        one ? ids[0] : ids,
        one ? types[0] : types,
        one ? versions[0] : versions,
        one ? data[0] : data,
        one ? metadata[0] : metadata,
        one ? occurredAt[0] : occurredAt,
      ],
    };
    // Inside the caller's transaction a unique violation aborts it: only an append on its own may retry.
    const ownTransaction = client === this.pool;
    for (let attempt = 1; ; attempt++) {
      let res: { rows: Array<{ v: number }> };
      try {
        res = await client.query<{ v: number }>(query);
      } catch (err) {
        const pgErr = err as PgError;
        if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === STREAM_VERSION_INDEX) {
          if (ownTransaction && RETRYABLE_EXPECTATIONS.has(expected) && attempt < 100) {
            // A short random pause spreads the losers out, so the same writer does not keep losing.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
            continue;
          }
          // Read the head outside the caller's (now aborted) transaction.
          throw this.conflict(streamId, expected, tenantId, await this.head(streamId, this.pool));
        }
        if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === EVENT_ID_INDEX) {
          throw new DuplicateEventId(streamId, pgErr.detail ?? '');
        }
        if (pgErr.code && INVALID_TEXT.has(pgErr.code)) {
          // The SQLSTATE stays in the cause (the log), out of the message a client reads.
          throw new InvalidAppend('Event data holds text that cannot be stored (a NUL character or an unpaired surrogate)', { cause: err });
        }
        throw err;
      }
      if (res.rows.length === 0) {
        const head = await this.head(streamId, client);
        if (!head.orderOk && head.tenantId === tenantId) throw new TransactionOrderConflict(streamId);
        // The head moved between the statement's read and now in a way the statement could not accept (seen
        // under load with concurrent 'any' appends): if the expectation holds against the head as it is now,
        // an append on its own simply tries again, like a lost race.
        const sameTenant = head.tenantId === null || head.tenantId === tenantId;
        if (ownTransaction && sameTenant && expectationHolds(expected, head.version) && attempt < 100) continue;
        throw this.conflict(streamId, expected, tenantId, head);
      }
      let next = 0;
      for (const row of res.rows) if (row.v > next) next = row.v;
      if (ownTransaction) this.notifier?.notify();
      return { nextExpectedVersion: next };
    }
  }

  /**
   * An append of more than APPEND_STATEMENT_EVENTS events as several statements in one transaction (the caller's,
   * or one of its own): `pg` builds a statement's message in one piece, and an edit of a 400,000-task plan (17,112
   * events, about 12 MB of parameters) held the event loop 190 ms doing it (ADR 0021 amendment). The first statement
   * checks the caller's expectation; each next one expects the version the one before it left, so the events take
   * the same versions and positions, all visible at one commit, as in one statement.
   */
  private async appendInStatements(streamId: string, tenantId: string, events: readonly NewEvent[], expected: ExpectedVersion, client: Queryable): Promise<AppendResult> {
    // Every statement's parameters are encoded (in time slices) before the transaction takes an xid: the store's
    // readers wait for the oldest open transaction on the server (ADR 0002), so the statements then go back to back.
    const statements: Array<{ count: number; columns: EventColumns<string[], number[]> | EventColumns<string, string> }> = [];
    for (let i = 0; i < events.length; i += APPEND_STATEMENT_EVENTS) {
      const slice = events.slice(i, i + APPEND_STATEMENT_EVENTS);
      statements.push({ count: slice.length, columns: await columnsOf(slice) });
    }
    const inStatements = async (tx: Queryable): Promise<AppendResult> => {
      let result: AppendResult = { nextExpectedVersion: 0 };
      for (const [k, { count, columns }] of statements.entries()) {
        result = await this.insert(streamId, tenantId, count, columns, k === 0 ? expected : result.nextExpectedVersion, tx);
      }
      return result;
    };
    if (client === this.pool) return this.transaction(inStatements);
    // The caller's client must be inside a transaction, or the statements would not be one append: a savepoint
    // outside a transaction block is refused by the server.
    await client.query('SAVEPOINT es_append_statements');
    const result = await inStatements(client);
    await client.query('RELEASE SAVEPOINT es_append_statements');
    return result;
  }

  /**
   * Appends to several streams of one tenant inside the caller's transaction in ONE statement (a write plan's
   * streams: a notification per recipient, a project and its schedule), instead of one round trip per stream. Every
   * stream's expectation is checked by the statement, which inserts all of the events or none. When it inserts none,
   * the appends are made one by one, so each failure is reported exactly as `append` reports it; a unique violation
   * (a concurrent writer took a version) is reported against the stream whose head moved.
   */
  async appendStreams(appends: ReadonlyArray<{ readonly streamId: string; readonly events: readonly NewEvent[]; readonly expected: ExpectedVersion }>, client: PoolClient): Promise<AppendResult[]> {
    const tenantId = appends[0]?.events[0]?.metadata.tenantId;
    const oneByOne = async () => {
      const results: AppendResult[] = [];
      for (const a of appends) results.push(await this.append(a.streamId, a.events, a.expected, client));
      return results;
    };
    const distinct = new Set(appends.map((a) => a.streamId)).size === appends.length;
    const total = appends.reduce((n, a) => n + a.events.length, 0);
    if (appends.length < 2 || total > APPEND_STATEMENT_EVENTS || !tenantId || !distinct || appends.some((a) => a.events.length === 0 || a.events.some((e) => e.metadata.tenantId !== tenantId))) return oneByOne();
    const cols = { ...(await columnsOf(appends.flatMap((a) => a.events))), sidx: appends.flatMap((a, i) => a.events.map(() => i + 1)), ord: appends.flatMap((a) => a.events.map((_, j) => j + 1)) };
    let rows: Array<{ stream_id: string; v: number }>;
    try {
      const res = await client.query<{ stream_id: string; v: number }>({
        name: 'es_append_streams',
        text: APPEND_STREAMS_SQL,
        values: [appends.map((a) => a.streamId), appends.map((a) => encodeExpected(a.expected)), tenantId, cols.sidx, cols.ord, cols.ids, cols.types, cols.versions, cols.data, cols.metadata, cols.occurredAt],
      });
      rows = res.rows;
    } catch (err) {
      const pgErr = err as PgError;
      if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === STREAM_VERSION_INDEX) {
        // The caller's transaction is aborted: read the heads outside it and name the stream that moved.
        for (const a of appends) {
          const head = await this.head(a.streamId, this.pool);
          if (head.tenantId !== null && head.tenantId !== tenantId) throw new StreamTenantMismatch(a.streamId);
          if (!expectationHolds(a.expected, head.version)) throw this.conflict(a.streamId, a.expected, tenantId, head);
        }
        throw this.conflict(appends[0].streamId, appends[0].expected, tenantId, await this.head(appends[0].streamId, this.pool));
      }
      if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === EVENT_ID_INDEX) throw new DuplicateEventId(appends[0].streamId, pgErr.detail ?? '');
      if (pgErr.code && INVALID_TEXT.has(pgErr.code)) {
        throw new InvalidAppend('Event data holds text that cannot be stored (a NUL character or an unpaired surrogate)', { cause: err });
      }
      throw err;
    }
    // None inserted: an expectation, the tenant or the transaction order did not hold; one by one says which.
    if (rows.length === 0) return oneByOne();
    const next = new Map<string, number>();
    for (const row of rows) next.set(row.stream_id, Math.max(next.get(row.stream_id) ?? 0, row.v));
    return appends.map((a) => ({ nextExpectedVersion: next.get(a.streamId) ?? 0 }));
  }

  /** Another tenant's stream: a bug (stream ids carry their tenant), never reported to the client as such. */
  private conflict(streamId: string, expected: ExpectedVersion, tenantId: string, head: StreamHead): Error {
    if (head.tenantId !== null && head.tenantId !== tenantId) return new StreamTenantMismatch(streamId);
    return new ExpectedVersionConflict(streamId, expected, actualVersion(head));
  }

  private async head(streamId: string, client: Queryable): Promise<StreamHead> {
    const res = await client.query<{ v: number; t: string; ok: boolean }>({
      name: 'es_head',
      text: `SELECT stream_version::int4 AS v, tenant_id AS t,
               (pg_current_xact_id_if_assigned() IS NULL OR transaction_id <= pg_current_xact_id_if_assigned()) AS ok
             FROM es_events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`,
      values: [streamId],
    });
    return res.rows.length
      ? { version: res.rows[0].v, tenantId: res.rows[0].t, orderOk: res.rows[0].ok }
      : { version: 0, tenantId: null, orderOk: true };
  }

  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws.
   * Appends made through `client` wake the tailing readers once the commit made them visible.
   */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      this.notifyAppended();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Reads one stream forward from `fromVersion` (inclusive, 1-based). A tenant filter keeps tenants apart. */
  async readStream(
    streamId: string,
    options: { fromVersion?: number; maxCount?: number; tenantId?: string } = {},
  ): Promise<StoredEvent[]> {
    const res = await this.pool.query<EventRow>({
      name: 'es_read_stream',
      text: `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE stream_id = $1 AND stream_version >= $2 AND ($4::text IS NULL OR tenant_id = $4)
       ORDER BY es_events.stream_version LIMIT $3`,
      values: [streamId, options.fromVersion ?? 1, options.maxCount ?? 2_147_483_647, options.tenantId ?? null],
    });
    return res.rows.map(toStoredEvent);
  }

  /** The stream's current version (0 when it has no events). */
  async streamVersion(streamId: string): Promise<number> {
    return (await this.head(streamId, this.pool)).version;
  }

  /**
   * Reads the whole log after `from`, in (transaction id, position) order.
   *
   * Positions come from a sequence and are taken before commit, so a transaction that commits late can hold
   * a smaller position than one already read: "position > last seen" would skip it forever. Rows are therefore
   * only returned once every transaction that could still add a row before them has finished (their transaction id
   * is below the {@link readHorizon}), and the checkpoint is the pair (transaction id, position), which grows
   * monotonically in that visibility order.
   */
  async readAll(from: Checkpoint = START_OF_LOG, maxCount = 1000): Promise<StoredEvent[]> {
    const horizon = await this.readHorizon();
    const res = await this.pool.query<EventRow>({
      name: 'es_read_all',
      text: `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         AND transaction_id < $4::text::xid8
       ORDER BY es_events.transaction_id, es_events.global_position
       LIMIT $3`,
      values: [from.transactionId, from.position, maxCount, horizon],
    });
    return res.rows.map(toStoredEvent);
  }

  /**
   * The transaction id below which every transaction of THIS database has finished (ADR 0012). The server-wide
   * `pg_snapshot_xmin` would do, but it waits for every open transaction of every database on the server: another
   * service's consumer batch or a long report elsewhere would hold this log back. Only sessions of this database can
   * write to it, so: the oldest transaction id that one of them holds (`pg_stat_activity`, prepared transactions too),
   * capped by the next id to be assigned. Read in its own statement BEFORE the read's snapshot: a transaction not
   * listed had finished by then, and one that starts later gets an id at or above the cap. A role that cannot see
   * other sessions' transaction ids (neither superuser nor pg_read_all_stats) falls back to the server-wide xmin.
   */
  async readHorizon(): Promise<string> {
    const res = await this.pool.query<{ horizon: string }>({ name: 'es_read_horizon', text: READ_HORIZON_SQL });
    return res.rows[0].horizon;
  }

  /** Number of events after a checkpoint (visible or not yet), for progress bars and lag metrics. */
  async countAfter(from: Checkpoint = START_OF_LOG): Promise<number> {
    const res = await this.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM es_events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
      [from.transactionId, from.position],
    );
    return Number(res.rows[0].n);
  }

  /**
   * What a fold needs, in one round trip: the stream's latest snapshot of the given type and shape (if any) and the
   * events after it, in version order. Only the owning tenant's snapshot and events are returned.
   */
  async loadForFold(streamId: string, tenantId: string, snapshot?: SnapshotShape): Promise<ForFold> {
    return (await this.loadManyForFold([streamId], tenantId, snapshot)).get(streamId) ?? { snapshot: null, tail: [] };
  }

  /**
   * {@link loadForFold} for several streams of one tenant in one round trip (a stream with no events gets an empty
   * tail). A snapshot over `INLINE_SNAPSHOT_BYTES` is read after it, in slices (snapshot-slices.ts).
   */
  loadManyForFold(streamIds: readonly string[], tenantId: string, snapshot?: SnapshotShape): Promise<Map<string, ForFold>> {
    return loadManyForFold(this.pool, streamIds, tenantId, snapshot);
  }

  /**
   * A snapshot already serialised (`encodeSnapshot`, as {@link saveSnapshot} writes it): a large state is
   * serialised where it was built (the import worker) rather than on the event loop (ADR 0011).
   */
  saveSnapshotBytes(snapshot: SnapshotBytes, tenantId: string): Promise<void> {
    return saveSnapshotBytes(this.pool, snapshot, tenantId);
  }

  /** A state of plain data, Maps and Sets, written with the structured-clone serialisation (ADR 0011). */
  async saveSnapshot<TState>(snapshot: Snapshot<TState>, tenantId: string): Promise<void> {
    const { state, ...rest } = snapshot;
    await this.saveSnapshotBytes({ ...rest, bytes: encodeSnapshotPieces(state) }, tenantId);
  }

  /** The snapshot of a stream, only for the tenant that owns it. */
  loadSnapshot<TState>(streamId: string, snapshotType: string, schemaVersion: number, tenantId: string): Promise<Snapshot<TState> | null> {
    return loadSnapshot<TState>(this.pool, streamId, snapshotType, schemaVersion, tenantId);
  }
}


/** An append's per-event parameters; a large append's are encoded in time slices (ADR 0021 amendment). */
function columnsOf(events: readonly NewEvent[]): Promise<EventColumns<string[], number[]> | EventColumns<string, string>> {
  return events.length > STEPPED_APPEND_EVENTS ? runInTimeSlices(eventColumnLiteralsInSteps(events)) : Promise.resolve(eventColumns(events));
}
